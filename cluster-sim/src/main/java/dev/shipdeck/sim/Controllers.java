package dev.shipdeck.sim;

import java.util.List;

/** The controllers every simulated cluster runs. */
final class Controllers {
    private Controllers() {}

    static List<Controller> standard(Store store) {
        return List.of(new ReplicaSetController(store), new DeploymentController(store), new RolloutController(store));
    }
}

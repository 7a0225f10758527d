package dev.shipdeck.sim;

import java.util.List;

/** The controllers every simulated cluster runs. */
final class Controllers {
    private Controllers() {}

    static List<Controller> standard(Store store) {
        EventRecorder events = new EventRecorder(store);
        return List.of(new ReplicaSetController(store, events), new DeploymentController(store, events),
                new RolloutController(store, events), new AnalysisController(store, events), new EventTtlController(store));
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;

/**
 * Argo Rollouts' controller for {@code argoproj.io/v1alpha1} Rollouts with a canary strategy (no traffic routing),
 * on simulated time. It owns one ReplicaSet per pod template ({@code <rollout>-<hash>}), walks the canary steps
 * ({@code setWeight}, {@code pause}) and reacts to the status and spec patches the {@code kubectl argo rollouts}
 * plugin sends (promote, promote --full, abort, retry, restart, undo, pause). The work of one pass is in
 * {@link RolloutSync}. Does nothing while the Rollout CRD is not installed.
 */
public final class RolloutController implements Controller {
    static final String GROUP = "argoproj.io";
    static final String VERSION = "v1alpha1";
    static final String KIND = "Rollout";

    private final Store store;
    private final EventRecorder events;

    public RolloutController(Store store) {
        this(store, new EventRecorder(store));
    }

    RolloutController(Store store, EventRecorder events) {
        this.store = store;
        this.events = events;
    }

    /** The rollouts type as the installed CRD defines it, or null when the CRD is absent. */
    @Override
    public ResourceType primary() {
        return store.resources().lookup(GROUP, VERSION, "rollouts");
    }

    @Override
    public List<Key> keysFor(Store.Event event) {
        ResourceType rollouts = primary();
        if (rollouts == null) {
            return List.of();
        }
        ObjectNode o = event.object();
        if (event.resource().key().equals(rollouts.key())) {
            return List.of(new Key(Json.namespace(o), Json.name(o)));
        }
        if (event.resource().key().equals(Resources.REPLICA_SETS.key())) {
            JsonNode owner = ReplicaSetController.controllerRef(o);
            if (owner != null && KIND.equals(owner.path("kind").asText())
                    && owner.path("apiVersion").asText().startsWith(GROUP + "/")) {
                return List.of(new Key(Json.namespace(o), owner.path("name").asText()));
            }
        }
        return List.of();
    }

    @Override
    public Duration reconcile(Key key) {
        ResourceType rollouts = primary();
        if (rollouts == null) {
            return null;
        }
        ObjectNode rollout = store.find(rollouts, key.namespace(), key.name());
        if (rollout == null || !rollout.path("spec").path("strategy").has("canary")) {
            return null;
        }
        return new RolloutSync(store, events, rollouts, rollout).run();
    }
}

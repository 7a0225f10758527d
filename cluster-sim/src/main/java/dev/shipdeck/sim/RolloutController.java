package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;

/**
 * Argo Rollouts' controller for {@code argoproj.io/v1alpha1} Rollouts with a canary strategy (no traffic routing) or
 * a blue-green one, on simulated time. It owns one ReplicaSet per pod template ({@code <rollout>-<hash>}), walks the
 * canary steps ({@code setWeight}, {@code pause}, {@code analysis}), switches the blue-green active and preview
 * services ({@code rollouts-pod-template-hash} in their selectors) with the pause for promotion, the pre- and
 * post-promotion analysis and the delayed scale-down of the old ReplicaSet, and reacts to the status and spec patches
 * the {@code kubectl argo rollouts} plugin sends (promote, promote --full, abort, retry, restart, undo, pause). The
 * work of one pass is in {@link RolloutSync}; AnalysisRuns are made by {@link RolloutAnalysis} and measured by
 * {@link AnalysisController}. Does nothing while the Rollout CRD is not installed, and leaves alone the Rollouts
 * labelled with a {@code argo-rollouts.argoproj.io/controller-instance-id} (this controller has no instance id).
 */
public final class RolloutController implements Controller {
    static final String GROUP = "argoproj.io";
    static final String VERSION = "v1alpha1";
    static final String KIND = "Rollout";
    static final String INSTANCE_ID = "argo-rollouts.argoproj.io/controller-instance-id";

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
        ResourceType runs = RolloutAnalysis.runs(store);
        boolean run = runs != null && event.resource().key().equals(runs.key());
        if (run || event.resource().key().equals(Resources.REPLICA_SETS.key())) {
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
        JsonNode strategy = rollout == null ? null : rollout.path("spec").path("strategy");
        if (strategy == null || !strategy.has("canary") && !strategy.has("blueGreen")
                || rollout.path("metadata").path("labels").has(INSTANCE_ID)) {
            return null;
        }
        return new RolloutSync(store, events, rollouts, rollout).run();
    }
}

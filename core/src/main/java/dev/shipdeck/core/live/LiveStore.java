package dev.shipdeck.core.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.ReadGap;
import dev.shipdeck.core.status.SnapshotBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What the informers of one environment hold: per kind, the newest JSON of each object by uid. Written from the
 * informers' threads, read when a snapshot is built.
 */
final class LiveStore {
    private final Map<String, Map<String, JsonNode>> objects = new ConcurrentHashMap<>();
    private final Function<GenericKubernetesResource, JsonNode> toJson;

    /** @param toJson how an informer's object becomes JSON (the client's serialization) */
    LiveStore(List<LiveKinds.Kind> kinds, Function<GenericKubernetesResource, JsonNode> toJson) {
        this.toJson = toJson;
        kinds.forEach(k -> objects.put(k.kind(), new ConcurrentHashMap<>()));
    }

    /** Stores {@code obj} unless a newer version of it is already there (cache fill and events may interleave); returns it as JSON. */
    JsonNode keepNewest(LiveKinds.Kind k, GenericKubernetesResource obj) {
        JsonNode json = trim(toJson.apply(obj));
        objects.get(k.kind()).merge(obj.getMetadata().getUid(), json, (old, fresh) -> newer(fresh, old) ? fresh : old);
        return json;
    }

    /**
     * The informer events of kind {@code k} into this store; {@code delivered} is told of each added or updated object
     * (kind, JSON), then {@code changed} runs.
     */
    ResourceEventHandler<GenericKubernetesResource> handler(LiveKinds.Kind k, Runnable changed, BiConsumer<String, JsonNode> delivered) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) { put(obj); }

            @Override
            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) { put(newObj); }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
                objects.get(k.kind()).remove(obj.getMetadata().getUid());
                changed.run();
            }

            private void put(GenericKubernetesResource obj) {
                delivered.accept(k.kind(), keepNewest(k, obj));
                changed.run();
            }
        };
    }

    /** Forgets everything (the informers start over). */
    void clear() {
        objects.values().forEach(Map::clear);
    }

    Collection<JsonNode> of(LiveKinds.Kind k) {
        return objects.get(k.kind()).values();
    }

    /** The snapshot builder's inputs from what is held now. */
    SnapshotBuilder.Inputs inputs(boolean rolloutsAvailable, List<ReadGap> gaps) {
        return new SnapshotBuilder.Inputs(objects.get("Deployment").values(), objects.get("Rollout").values(),
                objects.get("ReplicaSet").values(), objects.get("Namespace").values(),
                objects.get("HorizontalPodAutoscaler").values(), rolloutsAvailable, gaps,
                objects.containsKey("AnalysisRun") ? objects.get("AnalysisRun").values() : List.of());
    }

    /**
     * Drops what no view, rule or command reads from the store and that can be most of an object's size: the
     * server-side-apply bookkeeping ({@code metadata.managedFields}) and kubectl's last-applied copy of the whole
     * object. Commands read the objects they change afresh from the API, so nothing they send comes from here.
     */
    static JsonNode trim(JsonNode json) {
        if (json.path("metadata") instanceof com.fasterxml.jackson.databind.node.ObjectNode meta) {
            meta.remove("managedFields");
            if (meta.path("annotations") instanceof com.fasterxml.jackson.databind.node.ObjectNode a) {
                a.remove(dev.shipdeck.core.workload.Conventions.LAST_APPLIED);
            }
        }
        return json;
    }

    private static boolean newer(JsonNode a, JsonNode b) {
        String ra = a.path("metadata").path("resourceVersion").asText("");
        String rb = b.path("metadata").path("resourceVersion").asText("");
        try {
            return Long.parseLong(ra) >= Long.parseLong(rb);
        } catch (NumberFormatException e) {
            return true; // resourceVersions are opaque on some servers: the latest delivery wins
        }
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/** A store with a {@code default} namespace and the Deployment and ReplicaSet controllers running, for tests. */
final class WorkloadTestCluster implements AutoCloseable {
    static final String NS = "default";

    final SimClock clock;
    final Store store;
    private final ControllerManager manager;

    WorkloadTestCluster(double speed) {
        clock = new SimClock(speed);
        store = new Store(clock, new Resources());
        ObjectNode ns = Json.object();
        Json.meta(ns).put("name", NS);
        store.create(Resources.NAMESPACES, null, ns);
        manager = new ControllerManager(store,
                List.of(new DeploymentController(store), new ReplicaSetController(store)), "test");
        manager.start();
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10));
    }

    ObjectNode create(ResourceType type, String json) {
        try {
            return store.create(type, NS, (ObjectNode) Json.MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    ObjectNode get(ResourceType type, String name) {
        return store.find(type, NS, name);
    }

    List<ObjectNode> list(ResourceType type) {
        return store.list(type, NS, o -> true).items();
    }

    /** Read-modify-write of the main resource, like {@code kubectl edit}. */
    ObjectNode edit(ResourceType type, String name, Consumer<ObjectNode> change) {
        return store.mutate(type, NS, name, null, o -> {
            change.accept(o);
            return true;
        });
    }

    /** What {@code kubectl rollout status} concludes: SUCCESS, RUNNING or FAILED. */
    static String rolloutStatus(JsonNode d) {
        JsonNode s = d.path("status");
        if (d.path("metadata").path("generation").asLong() > s.path("observedGeneration").asLong(0)) {
            return "RUNNING";
        }
        JsonNode progressing = DeploymentController.getCondition(s, "Progressing");
        if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.path("reason").asText())) {
            return "FAILED";
        }
        int want = d.path("spec").path("replicas").asInt(1);
        int updated = s.path("updatedReplicas").asInt(0);
        if (updated < want || s.path("replicas").asInt(0) > updated || s.path("availableReplicas").asInt(0) < updated) {
            return "RUNNING";
        }
        return "SUCCESS";
    }

    static String deployment(String name, int replicas, String image, String extraSpec) {
        return """
                {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "%1$s", "annotations": {"team": "payments"}},
                 "spec": {"replicas": %2$d, %4$s
                   "selector": {"matchLabels": {"app": "%1$s"}},
                   "template": {"metadata": {"labels": {"app": "%1$s"}},
                                "spec": {"containers": [{"name": "main", "image": "%3$s"}]}}}}
                """.formatted(name, replicas, image, extraSpec.isEmpty() ? "" : extraSpec + ",");
    }

    static void setImage(ObjectNode d, String image) {
        ((ObjectNode) d.path("spec").path("template").path("spec").path("containers").get(0)).put("image", image);
    }

    @Override
    public void close() {
        manager.close();
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.shipdeck.sim.WorkloadTestCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

class ReplicaSetControllerTest {
    private final WorkloadTestCluster cluster = new WorkloadTestCluster(1);

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static String replicaSet(int replicas, String image, String extraSpec, String templateAnnotations) {
        return """
                {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                 "metadata": {"name": "api"},
                 "spec": {"replicas": %d, %s
                   "selector": {"matchLabels": {"app": "api"}},
                   "template": {"metadata": {"labels": {"app": "api"}, "annotations": {%s}},
                                "spec": {"containers": [{"name": "main", "image": "%s"}]}}}}
                """.formatted(replicas, extraSpec.isEmpty() ? "" : extraSpec + ",", templateAnnotations, image);
    }

    private ObjectNode api() {
        return cluster.get(Resources.REPLICA_SETS, "api");
    }

    private List<ObjectNode> pods() {
        return cluster.list(Resources.PODS);
    }

    private static String phase(JsonNode pod) {
        return pod.path("status").path("phase").asText();
    }

    private static JsonNode podCondition(JsonNode pod, String type) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    private void setReplicas(int n) {
        cluster.edit(Resources.REPLICA_SETS, "api", rs -> ((ObjectNode) rs.get("spec")).put("replicas", n));
    }

    @Test
    void podsStartPendingAndBecomeReadyAfterTheSimulatedDelay() {
        ObjectNode rs = cluster.create(Resources.REPLICA_SETS, replicaSet(2, "nginx:1.25", "",
                "\"sim.shipdeck.dev/ready-after-seconds\": \"5\""));
        eventually().until(() -> pods().size() == 2);

        ObjectNode pod = pods().get(0);
        assertThat(pod.path("metadata").path("name").asText()).matches("api-[a-z0-9]{5}");
        assertThat(pod.path("metadata").path("labels").path("app").asText()).isEqualTo("api");
        assertThat(pod.path("metadata").path("annotations").path("sim.shipdeck.dev/ready-after-seconds").asText()).isEqualTo("5");
        JsonNode ref = pod.path("metadata").path("ownerReferences").get(0);
        assertThat(ref.path("kind").asText()).isEqualTo("ReplicaSet");
        assertThat(ref.path("uid").asText()).isEqualTo(rs.path("metadata").path("uid").asText());
        assertThat(ref.path("controller").asBoolean()).isTrue();
        assertThat(ref.path("blockOwnerDeletion").asBoolean()).isTrue();
        assertThat(pod.path("spec").path("nodeName").asText()).isEqualTo(ReplicaSetController.NODE_NAME);
        assertThat(phase(pod)).isEqualTo("Pending");
        assertThat(podCondition(pod, "PodScheduled").path("status").asText()).isEqualTo("True");
        assertThat(pod.path("status").path("containerStatuses").get(0).path("state").path("waiting").path("reason").asText())
                .isEqualTo("ContainerCreating");
        eventually().until(() -> api().path("status").path("replicas").asInt() == 2);
        assertThat(api().path("status").has("readyReplicas")).isFalse();

        cluster.clock.advance(Duration.ofSeconds(6));
        eventually().until(() -> api().path("status").path("availableReplicas").asInt() == 2);
        JsonNode status = api().path("status");
        assertThat(status.path("readyReplicas").asInt()).isEqualTo(2);
        assertThat(status.path("fullyLabeledReplicas").asInt()).isEqualTo(2);
        assertThat(status.path("observedGeneration").asLong()).isEqualTo(1);
        assertThat(pods()).allSatisfy(p -> {
            assertThat(phase(p)).isEqualTo("Running");
            for (String type : List.of("Initialized", "Ready", "ContainersReady", "PodScheduled")) {
                assertThat(podCondition(p, type).path("status").asText()).isEqualTo("True");
            }
            assertThat(p.path("status").path("podIP").asText()).startsWith("10.");
            assertThat(p.path("status").path("startTime").asText()).isNotEmpty();
            JsonNode container = p.path("status").path("containerStatuses").get(0);
            assertThat(container.path("name").asText()).isEqualTo("main");
            assertThat(container.path("image").asText()).isEqualTo("docker.io/library/nginx:1.25");
            assertThat(container.path("imageID").asText()).startsWith("docker.io/library/nginx@sha256:");
            assertThat(container.path("ready").asBoolean()).isTrue();
            assertThat(container.path("started").asBoolean()).isTrue();
            assertThat(container.path("restartCount").asInt()).isZero();
            assertThat(container.path("state").path("running").path("startedAt").asText()).isNotEmpty();
        });
    }

    @Test
    void neverReadyPodsRunWithoutBecomingReady() {
        cluster.create(Resources.REPLICA_SETS, replicaSet(1, "registry.example.com/api:2.0-broken", "", ""));
        eventually().until(() -> pods().size() == 1);
        cluster.clock.advance(Duration.ofSeconds(10));
        eventually().until(() -> phase(pods().get(0)).equals("Running"));

        ObjectNode pod = pods().get(0);
        JsonNode ready = podCondition(pod, "Ready");
        assertThat(ready.path("status").asText()).isEqualTo("False");
        assertThat(ready.path("reason").asText()).isEqualTo("ContainersNotReady");
        assertThat(podCondition(pod, "ContainersReady").path("status").asText()).isEqualTo("False");
        assertThat(pod.path("status").path("containerStatuses").get(0).path("ready").asBoolean()).isFalse();
        assertThat(api().path("status").path("replicas").asInt()).isEqualTo(1);
        assertThat(api().path("status").has("readyReplicas")).isFalse();
    }

    @Test
    void availabilityWaitsForMinReadySeconds() {
        cluster.create(Resources.REPLICA_SETS, replicaSet(1, "nginx:1.25", "\"minReadySeconds\": 30", ""));
        eventually().until(() -> pods().size() == 1);
        cluster.clock.advance(Duration.ofSeconds(4));
        eventually().until(() -> api().path("status").path("readyReplicas").asInt() == 1);
        assertThat(api().path("status").has("availableReplicas")).isFalse();
        cluster.clock.advance(Duration.ofSeconds(31));
        eventually().until(() -> api().path("status").path("availableReplicas").asInt() == 1);
    }

    @Test
    void scalingDownRemovesNotReadyPodsFirst() {
        cluster.create(Resources.REPLICA_SETS, replicaSet(2, "nginx:1.25", "", ""));
        eventually().until(() -> pods().size() == 2);
        cluster.clock.advance(Duration.ofSeconds(4));
        eventually().until(() -> api().path("status").path("readyReplicas").asInt() == 2);
        Set<String> readyPods = pods().stream().map(Json::name).collect(Collectors.toSet());

        setReplicas(4);
        eventually().until(() -> pods().size() == 4);
        setReplicas(2);
        eventually().until(() -> pods().size() == 2);
        assertThat(pods()).extracting(Json::name).containsExactlyInAnyOrderElementsOf(readyPods);

        setReplicas(1);
        eventually().until(() -> api().path("status").path("replicas").asInt() == 1);
        assertThat(pods()).hasSize(1);
    }

    @Test
    void deletedPodsAreReplaced() {
        cluster.create(Resources.REPLICA_SETS, replicaSet(2, "nginx:1.25", "", ""));
        eventually().until(() -> pods().size() == 2);
        String gone = Json.name(pods().get(0));
        cluster.store.delete(Resources.PODS, WorkloadTestCluster.NS, gone);
        eventually().until(() -> pods().size() == 2 && pods().stream().noneMatch(p -> Json.name(p).equals(gone)));
    }

    @Test
    void podEventsMapToTheirControllingReplicaSet() {
        ReplicaSetController controller = new ReplicaSetController(cluster.store);
        cluster.create(Resources.REPLICA_SETS, replicaSet(1, "nginx:1.25", "", ""));
        eventually().until(() -> pods().size() == 1);
        ObjectNode pod = pods().get(0);
        assertThat(controller.keysFor(new Store.Event(1, "MODIFIED", Resources.PODS, pod)))
                .containsExactly(new Controller.Key(WorkloadTestCluster.NS, "api"));
        assertThat(controller.keysFor(new Store.Event(1, "MODIFIED", Resources.REPLICA_SETS, api())))
                .containsExactly(new Controller.Key(WorkloadTestCluster.NS, "api"));
        assertThat(controller.keysFor(new Store.Event(1, "MODIFIED", Resources.CONFIG_MAPS, Json.object()))).isEmpty();
    }

    @Test
    void deletingTheReplicaSetCollectsItsPods() {
        cluster.create(Resources.REPLICA_SETS, replicaSet(3, "nginx:1.25", "", ""));
        eventually().until(() -> pods().size() == 3);
        cluster.store.delete(Resources.REPLICA_SETS, WorkloadTestCluster.NS, "api");
        eventually().until(() -> pods().isEmpty());
    }
}

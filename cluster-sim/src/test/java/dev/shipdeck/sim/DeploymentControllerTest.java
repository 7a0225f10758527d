package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.shipdeck.sim.WorkloadTestCluster.deployment;
import static dev.shipdeck.sim.WorkloadTestCluster.eventually;
import static dev.shipdeck.sim.WorkloadTestCluster.rolloutStatus;
import static dev.shipdeck.sim.WorkloadTestCluster.setImage;
import static org.assertj.core.api.Assertions.assertThat;

class DeploymentControllerTest {
    private final WorkloadTestCluster cluster = new WorkloadTestCluster(20);

    @AfterEach
    void stop() {
        cluster.close();
    }

    private ObjectNode web() {
        return cluster.get(Resources.DEPLOYMENTS, "web");
    }

    private void awaitRollout(String expected) {
        eventually().until(() -> rolloutStatus(web()).equals(expected));
    }

    private List<ObjectNode> replicaSets() {
        return cluster.list(Resources.REPLICA_SETS).stream()
                .sorted(Comparator.comparingLong(DeploymentController::revision)).toList();
    }

    private List<ObjectNode> pods() {
        return cluster.list(Resources.PODS);
    }

    private static String ann(JsonNode o, String key) {
        return o.path("metadata").path("annotations").path(key).asText(null);
    }

    private static JsonNode condition(JsonNode d, String type) {
        return DeploymentController.getCondition(d.path("status"), type);
    }

    private void changeImage(String image) {
        cluster.edit(Resources.DEPLOYMENTS, "web", d -> setImage(d, image));
    }

    @Test
    void rolloutCompletesWithRevisionOneAndConditions() {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 3, "nginx:1.25", ""));
        awaitRollout("SUCCESS");

        ObjectNode d = web();
        ObjectNode rs = replicaSets().get(0);
        String hash = PodTemplates.hash(d.path("spec").path("template"));
        assertThat(rs.path("metadata").path("name").asText()).isEqualTo("web-" + hash);
        assertThat(rs.path("metadata").path("labels").path("pod-template-hash").asText()).isEqualTo(hash);
        assertThat(rs.path("spec").path("selector").path("matchLabels").path("pod-template-hash").asText()).isEqualTo(hash);
        assertThat(ReplicaSetController.controlledBy(rs, d.path("metadata").path("uid").asText())).isTrue();
        assertThat(ann(rs, DeploymentController.REVISION)).isEqualTo("1");
        assertThat(ann(rs, DeploymentController.DESIRED_REPLICAS)).isEqualTo("3");
        assertThat(ann(rs, DeploymentController.MAX_REPLICAS)).isEqualTo("4");
        assertThat(ann(rs, "team")).isEqualTo("payments");
        assertThat(ann(d, DeploymentController.REVISION)).isEqualTo("1");
        assertThat(d.path("metadata").path("generation").asLong()).isEqualTo(1);

        JsonNode s = d.path("status");
        assertThat(s.path("replicas").asInt()).isEqualTo(3);
        assertThat(s.path("updatedReplicas").asInt()).isEqualTo(3);
        assertThat(s.path("readyReplicas").asInt()).isEqualTo(3);
        assertThat(s.path("availableReplicas").asInt()).isEqualTo(3);
        assertThat(s.has("unavailableReplicas")).isFalse();
        assertThat(condition(d, "Available").path("reason").asText()).isEqualTo("MinimumReplicasAvailable");
        JsonNode progressing = condition(d, "Progressing");
        assertThat(progressing.path("status").asText()).isEqualTo("True");
        assertThat(progressing.path("reason").asText()).isEqualTo("NewReplicaSetAvailable");
        assertThat(progressing.path("message").asText()).isEqualTo("ReplicaSet \"web-" + hash + "\" has successfully progressed.");
        assertThat(pods()).hasSize(3).allSatisfy(p ->
                assertThat(p.path("metadata").path("labels").path("pod-template-hash").asText()).isEqualTo(hash));
    }

    @Test
    void settledDeploymentIsNotRewritten() throws InterruptedException {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 2, "nginx:1.25", ""));
        awaitRollout("SUCCESS");
        eventually().until(() -> condition(web(), "Progressing").path("reason").asText().equals("NewReplicaSetAvailable"));
        Thread.sleep(100);
        long rv = cluster.store.currentResourceVersion();
        cluster.clock.advance(Duration.ofMinutes(20));
        Thread.sleep(300);
        assertThat(cluster.store.currentResourceVersion()).isEqualTo(rv);
    }

    @Test
    void imageChangeMakesRevisionTwoAndScalesTheOldReplicaSetToZero() {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 3, "nginx:1.25", ""));
        awaitRollout("SUCCESS");
        changeImage("nginx:1.26");
        awaitRollout("SUCCESS");

        List<ObjectNode> rss = replicaSets();
        assertThat(rss).hasSize(2);
        assertThat(ann(rss.get(1), DeploymentController.REVISION)).isEqualTo("2");
        assertThat(rss.get(0).path("spec").path("replicas").asInt()).isZero();
        assertThat(rss.get(1).path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(ann(web(), DeploymentController.REVISION)).isEqualTo("2");
        assertThat(web().path("status").path("observedGeneration").asLong()).isEqualTo(2);
        String newName = rss.get(1).path("metadata").path("name").asText();
        assertThat(pods()).hasSize(3).allSatisfy(p ->
                assertThat(p.path("metadata").path("name").asText()).startsWith(newName + "-"));
    }

    @Test
    void rollingUpdateStaysWithinSurgeAndUnavailability() {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 4, "nginx:1.25",
                "\"strategy\": {\"type\": \"RollingUpdate\", \"rollingUpdate\": {\"maxSurge\": 1, \"maxUnavailable\": 0}}"));
        awaitRollout("SUCCESS");
        Map<String, Boolean> ready = new HashMap<>();
        AtomicInteger maxPods = new AtomicInteger();
        AtomicInteger minReady = new AtomicInteger(Integer.MAX_VALUE);
        AtomicBoolean replayed = new AtomicBoolean();
        try (var watch = cluster.store.watch(Resources.PODS, WorkloadTestCluster.NS, o -> true, null, e -> {
            String name = e.object().path("metadata").path("name").asText();
            if (e.type().equals("DELETED")) {
                ready.remove(name);
            } else {
                ready.put(name, ReplicaSetController.readySince(e.object()) != null);
            }
            maxPods.accumulateAndGet(ready.size(), Math::max);
            if (replayed.get()) {
                minReady.accumulateAndGet((int) ready.values().stream().filter(b -> b).count(), Math::min);
            }
        })) {
            replayed.set(true);
            changeImage("nginx:1.26");
            awaitRollout("SUCCESS");
        }
        assertThat(maxPods.get()).isEqualTo(5);
        assertThat(minReady.get()).isEqualTo(4);
    }

    @Test
    void recreateStopsOldPodsBeforeStartingNewOnes() {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 3, "nginx:1.25", "\"strategy\": {\"type\": \"Recreate\"}"));
        awaitRollout("SUCCESS");
        Map<String, String> hashes = new HashMap<>();
        AtomicBoolean mixed = new AtomicBoolean();
        try (var watch = cluster.store.watch(Resources.PODS, WorkloadTestCluster.NS, o -> true, null, e -> {
            String name = e.object().path("metadata").path("name").asText();
            if (e.type().equals("DELETED")) {
                hashes.remove(name);
            } else {
                hashes.put(name, e.object().path("metadata").path("labels").path("pod-template-hash").asText());
            }
            if (new HashSet<>(hashes.values()).size() > 1) {
                mixed.set(true);
            }
        })) {
            changeImage("nginx:1.26");
            awaitRollout("SUCCESS");
        }
        assertThat(mixed).isFalse();
        assertThat(replicaSets()).hasSize(2);
        assertThat(ann(replicaSets().get(1), DeploymentController.MAX_REPLICAS)).isEqualTo("3");
    }

    @Test
    void rollingBackReusesTheOldReplicaSetAsRevisionThree() {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 2, "nginx:1.25", ""));
        awaitRollout("SUCCESS");
        String firstName = replicaSets().get(0).path("metadata").path("name").asText();
        changeImage("nginx:1.26");
        awaitRollout("SUCCESS");
        changeImage("nginx:1.25");
        eventually().until(() -> "3".equals(ann(web(), DeploymentController.REVISION)));
        awaitRollout("SUCCESS");

        List<ObjectNode> rss = replicaSets();
        assertThat(rss).hasSize(2);
        ObjectNode reused = rss.get(1);
        assertThat(reused.path("metadata").path("name").asText()).isEqualTo(firstName);
        assertThat(ann(reused, DeploymentController.REVISION)).isEqualTo("3");
        assertThat(ann(reused, DeploymentController.REVISION_HISTORY)).isEqualTo("1");
        assertThat(reused.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(ann(rss.get(0), DeploymentController.REVISION)).isEqualTo("2");
        assertThat(rss.get(0).path("spec").path("replicas").asInt()).isZero();

        int revision = 3;
        for (String tag : List.of("1.26", "1.25", "1.26")) {
            changeImage("nginx:" + tag);
            String expected = Integer.toString(++revision);
            eventually().until(() -> expected.equals(ann(web(), DeploymentController.REVISION)));
        }
        awaitRollout("SUCCESS");
        assertThat(ann(cluster.get(Resources.REPLICA_SETS, firstName), DeploymentController.REVISION_HISTORY)).isEqualTo("1,3");
    }

    @Test
    void revisionHistoryLimitPrunesTheOldestReplicaSets() {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 1, "nginx:1.25", "\"revisionHistoryLimit\": 1"));
        awaitRollout("SUCCESS");
        for (String tag : List.of("1.26", "1.27", "1.28")) {
            changeImage("nginx:" + tag);
            awaitRollout("SUCCESS");
        }
        eventually().until(() -> replicaSets().size() == 2);
        assertThat(replicaSets()).extracting(rs -> ann(rs, DeploymentController.REVISION)).containsExactly("3", "4");
    }

    @Test
    void neverReadyImageEndsInProgressDeadlineExceeded() {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 2, "nginx:1.25", "\"progressDeadlineSeconds\": 10"));
        awaitRollout("SUCCESS");
        changeImage("nginx:1.26-broken");
        eventually().until(() -> condition(web(), "Progressing").path("reason").asText().equals("ReplicaSetUpdated"));
        cluster.clock.advance(Duration.ofSeconds(30));
        awaitRollout("FAILED");

        ObjectNode d = web();
        JsonNode progressing = condition(d, "Progressing");
        String newName = replicaSets().get(1).path("metadata").path("name").asText();
        assertThat(progressing.path("status").asText()).isEqualTo("False");
        assertThat(progressing.path("message").asText()).isEqualTo("ReplicaSet \"" + newName + "\" has timed out progressing.");
        assertThat(condition(d, "Available").path("status").asText()).isEqualTo("True");
        assertThat(replicaSets().get(0).path("status").path("availableReplicas").asInt()).isEqualTo(2);
    }

    @Test
    void pausedDeploymentDoesNotRollUntilResumed() throws InterruptedException {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 2, "nginx:1.25", "\"progressDeadlineSeconds\": 10"));
        awaitRollout("SUCCESS");
        cluster.edit(Resources.DEPLOYMENTS, "web", d -> {
            ((ObjectNode) d.get("spec")).put("paused", true);
            setImage(d, "nginx:1.26");
        });
        eventually().until(() -> web().path("status").path("observedGeneration").asLong() == 2);
        JsonNode progressing = condition(web(), "Progressing");
        assertThat(progressing.path("status").asText()).isEqualTo("Unknown");
        assertThat(progressing.path("reason").asText()).isEqualTo("DeploymentPaused");
        assertThat(progressing.path("message").asText()).isEqualTo("Deployment is paused");
        cluster.clock.advance(Duration.ofMinutes(5));
        Thread.sleep(200);
        assertThat(replicaSets()).hasSize(1);
        assertThat(condition(web(), "Progressing").path("reason").asText()).isEqualTo("DeploymentPaused");

        cluster.edit(Resources.DEPLOYMENTS, "web", d -> ((ObjectNode) d.get("spec")).put("paused", false));
        awaitRollout("SUCCESS");
        assertThat(replicaSets()).hasSize(2);
        assertThat(ann(web(), DeploymentController.REVISION)).isEqualTo("2");
    }

    @Test
    void scalingChangesThePodCount() {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 2, "nginx:1.25", ""));
        awaitRollout("SUCCESS");
        cluster.edit(Resources.DEPLOYMENTS, "web", d -> ((ObjectNode) d.get("spec")).put("replicas", 5));
        awaitRollout("SUCCESS");
        eventually().untilAsserted(() -> assertThat(pods()).hasSize(5));
        assertThat(ann(replicaSets().get(0), DeploymentController.DESIRED_REPLICAS)).isEqualTo("5");
        // like kubectl rollout status, the rule says SUCCESS as soon as the Deployment's status is scaled, which can
        // be a moment before the ReplicaSet controller has deleted the surplus pods
        cluster.edit(Resources.DEPLOYMENTS, "web", d -> ((ObjectNode) d.get("spec")).put("replicas", 1));
        awaitRollout("SUCCESS");
        eventually().untilAsserted(() -> assertThat(pods()).hasSize(1));
        cluster.edit(Resources.DEPLOYMENTS, "web", d -> ((ObjectNode) d.get("spec")).put("replicas", 0));
        awaitRollout("SUCCESS");
        eventually().untilAsserted(() -> assertThat(pods()).isEmpty());
        eventually().untilAsserted(() -> assertThat(web().path("status").has("replicas")).isFalse());
    }

    @Test
    void scalingAPausedRolloutSplitsReplicasProportionally() {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 4, "nginx:1.25", ""));
        awaitRollout("SUCCESS");
        cluster.edit(Resources.DEPLOYMENTS, "web", d -> setImage(d, "nginx:1.26-broken"));
        eventually().until(() -> replicaSets().size() == 2 && replicaSets().get(1).path("status").path("replicas").asInt() == 2);
        cluster.edit(Resources.DEPLOYMENTS, "web", d -> ((ObjectNode) d.get("spec")).put("paused", true));
        eventually().until(() -> "DeploymentPaused".equals(condition(web(), "Progressing").path("reason").asText()));
        cluster.edit(Resources.DEPLOYMENTS, "web", d -> ((ObjectNode) d.get("spec")).put("replicas", 8));
        eventually().until(() -> replicaSets().stream().mapToInt(rs -> rs.path("spec").path("replicas").asInt()).sum() == 10);
        assertThat(replicaSets()).extracting(rs -> rs.path("spec").path("replicas").asInt()).containsExactly(6, 4);
    }

    @Test
    void deletingTheDeploymentCollectsItsReplicaSetsAndPods() {
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 2, "nginx:1.25", ""));
        awaitRollout("SUCCESS");
        changeImage("nginx:1.26");
        awaitRollout("SUCCESS");
        cluster.store.delete(Resources.DEPLOYMENTS, WorkloadTestCluster.NS, "web");
        eventually().until(() -> replicaSets().isEmpty() && pods().isEmpty());
    }

    @Test
    void replicaSetsOfOtherOwnersAreNotAdopted() {
        cluster.create(Resources.REPLICA_SETS, """
                {"metadata": {"name": "stray", "labels": {"app": "web"}},
                 "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                   "template": {"metadata": {"labels": {"app": "web"}},
                                "spec": {"containers": [{"name": "main", "image": "nginx:1.25"}]}}}}
                """);
        cluster.create(Resources.DEPLOYMENTS, deployment("web", 2, "nginx:1.25", ""));
        awaitRollout("SUCCESS");
        assertThat(replicaSets()).hasSize(2);
        assertThat(cluster.get(Resources.REPLICA_SETS, "stray").path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(web().path("status").path("replicas").asInt()).isEqualTo(2);
    }
}

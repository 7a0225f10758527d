package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RolloutControllerTest {
    private static final String NS = "default";
    private static final String NAME = "web";
    private static final String HASH = PodTemplates.ROLLOUTS_POD_TEMPLATE_HASH;

    private SimClock clock;
    private Store store;
    private ResourceType rollouts;
    private ControllerManager manager;
    private final List<JsonNode> statuses = new CopyOnWriteArrayList<>();
    private final List<JsonNode> replicaSets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        clock = new SimClock(20);
        store = new Store(clock, new Resources());
        ObjectNode ns = Json.object();
        Json.meta(ns).put("name", NS);
        store.create(Resources.NAMESPACES, null, ns);
        ObjectNode crd = rolloutsCrd();
        store.resources().register(crd);
        store.create(Resources.CRDS, null, crd);
        rollouts = store.resources().lookup("argoproj.io", "v1alpha1", "rollouts");
        store.watch(rollouts, NS, o -> true, null, e -> statuses.add(e.object().path("status")));
        store.watch(Resources.REPLICA_SETS, NS, o -> true, null, e -> replicaSets.add(e.object()));
        manager = new ControllerManager(store,
                List.of(new ReplicaSetController(store), new RolloutController(store)), "test");
        manager.start();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void crdDefinesTheRolloutsType() {
        assertThat(rollouts).isNotNull();
        assertThat(rollouts.kind()).isEqualTo("Rollout");
        assertThat(rollouts.namespaced()).isTrue();
        assertThat(rollouts.shortNames()).containsExactly("ro");
        assertThat(rollouts.subresources()).containsExactlyInAnyOrder("status", "scale");
    }

    @Test
    void withoutTheCrdTheControllerDoesNothing() {
        Store bare = new Store(new SimClock(1), new Resources());
        RolloutController controller = new RolloutController(bare);
        ObjectNode rs = Json.object();
        Json.meta(rs).put("name", "web-abc").put("namespace", NS).putArray("ownerReferences").addObject()
                .put("apiVersion", "argoproj.io/v1alpha1").put("kind", "Rollout").put("name", NAME).put("controller", true);

        assertThat(controller.primary()).isNull();
        assertThat(controller.keysFor(new Store.Event(1, "ADDED", Resources.REPLICA_SETS, rs))).isEmpty();
        assertThat(controller.reconcile(new Controller.Key(NS, NAME))).isNull();
    }

    @Test
    void replicaSetEventsMapToTheirRollout() {
        ObjectNode rs = Json.object();
        Json.meta(rs).put("name", "web-abc").put("namespace", NS).putArray("ownerReferences").addObject()
                .put("apiVersion", "argoproj.io/v1alpha1").put("kind", "Rollout").put("name", NAME).put("controller", true);
        ObjectNode deploymentRs = Json.object();
        Json.meta(deploymentRs).put("name", "api-abc").put("namespace", NS).putArray("ownerReferences").addObject()
                .put("apiVersion", "apps/v1").put("kind", "Deployment").put("name", "api").put("controller", true);
        RolloutController controller = new RolloutController(store);

        assertThat(controller.keysFor(new Store.Event(1, "MODIFIED", Resources.REPLICA_SETS, rs)))
                .containsExactly(new Controller.Key(NS, NAME));
        assertThat(controller.keysFor(new Store.Event(1, "MODIFIED", Resources.REPLICA_SETS, deploymentRs))).isEmpty();
    }

    @Test
    void firstVersionBecomesStableAtOnce() {
        String v1 = deployV1("");

        JsonNode ro = rollout();
        JsonNode s = ro.path("status");
        assertThat(s.path("currentPodHash").asText()).isEqualTo(v1);
        assertThat(s.path("currentStepIndex").asInt()).isEqualTo(4);
        assertThat(s.path("observedGeneration").isTextual()).isTrue();
        assertThat(s.path("observedGeneration").asText()).isEqualTo("1");
        assertThat(s.path("replicas").asInt()).isEqualTo(5);
        assertThat(s.path("updatedReplicas").asInt()).isEqualTo(5);
        assertThat(s.path("availableReplicas").asInt()).isEqualTo(5);
        assertThat(s.path("HPAReplicas").asInt()).isEqualTo(5);
        assertThat(s.path("selector").asText()).isEqualTo("app=web");
        assertThat(s.has("pauseConditions")).isFalse();
        assertThat(s.has("message")).isFalse();
        assertThat(condition(s, "Progressing").path("reason").asText()).isEqualTo("NewReplicaSetAvailable");
        assertThat(condition(s, "Available").path("status").asText()).isEqualTo("True");
        assertThat(condition(s, "Healthy").path("status").asText()).isEqualTo("True");
        assertThat(condition(s, "Completed").path("status").asText()).isEqualTo("True");
        assertThat(statuses).noneMatch(st -> "Paused".equals(st.path("phase").asText()));
        assertThat(ro.path("metadata").path("annotations").path(RolloutSync.REVISION).asText()).isEqualTo("1");

        ObjectNode rs = replicaSet(v1);
        assertThat(Json.name(rs)).isEqualTo("web-" + v1);
        assertThat(rs.path("metadata").path("labels").path(HASH).asText()).isEqualTo(v1);
        assertThat(rs.path("spec").path("selector").path("matchLabels").path(HASH).asText()).isEqualTo(v1);
        assertThat(rs.path("spec").path("template").path("metadata").path("labels").path(HASH).asText()).isEqualTo(v1);
        assertThat(rs.path("metadata").path("annotations").path(RolloutSync.REVISION).asText()).isEqualTo("1");
        JsonNode owner = rs.path("metadata").path("ownerReferences").get(0);
        assertThat(owner.path("apiVersion").asText()).isEqualTo("argoproj.io/v1alpha1");
        assertThat(owner.path("kind").asText()).isEqualTo("Rollout");
        assertThat(owner.path("uid").asText()).isEqualTo(ro.path("metadata").path("uid").asText());
        assertThat(owner.path("controller").asBoolean()).isTrue();
        assertThat(readyPods(v1)).isEqualTo(5);
    }

    @Test
    void staysQuietOnceHealthyOrPaused() {
        deployV1("");
        String healthyRv = Json.str(rollout(), "", "metadata", "resourceVersion");
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .until(() -> healthyRv.equals(Json.str(rollout(), "", "metadata", "resourceVersion")));

        startV2();
        eventually().until(() -> "True".equals(condition(status(), "Paused").path("status").asText()));
        String pausedRv = Json.str(rollout(), "", "metadata", "resourceVersion");
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .until(() -> pausedRv.equals(Json.str(rollout(), "", "metadata", "resourceVersion")));
    }

    @Test
    void oldReplicaSetsBeyondTheHistoryLimitArePruned() {
        String v1 = deployV1("\"revisionHistoryLimit\": 1,");
        String v2 = startV2();
        patchStatus(s -> s.put("promoteFull", true));
        eventually().until(() -> healthy() && v2.equals(status().path("stableRS").asText()));

        edit(ro -> image(ro, "registry.example.com/web:3.0"));
        String v3 = PodTemplates.hash(rollout().path("spec").path("template"));
        awaitPausedAtStep1(v3);
        patchStatus(s -> s.put("promoteFull", true));

        eventually().until(() -> healthy() && v3.equals(status().path("stableRS").asText())
                && store.find(Resources.REPLICA_SETS, NS, NAME + "-" + v1) == null);
        assertThat(replicaSet(v2).path("spec").path("replicas").asInt()).isZero();
        assertThat(replicaSet(v3).path("metadata").path("annotations").path(RolloutSync.REVISION).asText()).isEqualTo("3");
    }

    @Test
    void newVersionPausesAtTheFirstPauseStep() {
        String v1 = deployV1("");
        String v2 = startV2();

        JsonNode s = status();
        assertThat(s.path("message").asText()).isEqualTo("CanaryPauseStep");
        assertThat(s.path("controllerPause").asBoolean()).isTrue();
        assertThat(s.path("pauseConditions").get(0).path("startTime").asText()).isNotEmpty();
        assertThat(s.path("stableRS").asText()).isEqualTo(v1);
        assertThat(s.path("currentPodHash").asText()).isEqualTo(v2);
        assertThat(pods(v2)).isEqualTo(1);
        assertThat(pods(v1)).isEqualTo(4);
        assertThat(replicaSet(v2).path("metadata").path("annotations").path(RolloutSync.REVISION).asText()).isEqualTo("2");
        assertThat(rollout().path("metadata").path("annotations").path(RolloutSync.REVISION).asText()).isEqualTo("2");
        eventually().until(() -> "True".equals(condition(status(), "Paused").path("status").asText())
                && "RolloutPaused".equals(condition(status(), "Progressing").path("reason").asText()));
    }

    @Test
    void promoteWalksTheRemainingStepsToHealthy() {
        deployV1("");
        String v2 = startV2();

        patchStatus(s -> s.remove("pauseConditions"));

        eventually().until(() -> healthy() && v2.equals(status().path("stableRS").asText()));
        assertThat(statuses).anyMatch(st -> st.path("currentStepIndex").asInt() == 2);
        assertThat(statuses).anyMatch(st -> st.path("currentStepIndex").asInt() == 3
                && "CanaryPauseStep".equals(st.path("pauseConditions").path(0).path("reason").asText()));
        assertThat(replicaSets).anyMatch(rs -> Json.name(rs).equals("web-" + v2)
                && rs.path("spec").path("replicas").asInt() == 3);
        assertThat(status().path("currentStepIndex").asInt()).isEqualTo(4);
        assertThat(status().has("controllerPause")).isFalse();
        assertThat(readyPods(v2)).isEqualTo(5);
        assertThat(totalPods()).isEqualTo(5);
    }

    @Test
    void promoteByStepIndexSkipsTheCurrentStep() {
        deployV1("");
        String v2 = updateToBrokenV2();
        eventually().until(() -> pods(v2) == 1 && status().path("currentStepIndex").asInt() == 0);

        patchStatus(s -> s.put("currentStepIndex", 1));

        eventually().until(() -> "Paused".equals(status().path("phase").asText()));
        assertThat(status().path("currentStepIndex").asInt()).isEqualTo(1);
        assertThat(status().path("pauseConditions").path(0).path("reason").asText()).isEqualTo("CanaryPauseStep");
        assertThat(pods(v2)).isEqualTo(1);
    }

    @Test
    void promoteFullCompletesAtOnce() {
        String v1 = deployV1("");
        String v2 = startV2();

        patchStatus(s -> s.put("promoteFull", true));

        eventually().until(() -> healthy() && v2.equals(status().path("stableRS").asText()));
        JsonNode s = status();
        assertThat(s.path("currentStepIndex").asInt()).isEqualTo(4);
        assertThat(s.has("promoteFull")).isFalse();
        assertThat(s.has("pauseConditions")).isFalse();
        assertThat(replicaSet(v1).path("spec").path("replicas").asInt()).isZero();
        assertThat(statuses).noneMatch(st -> st.path("currentStepIndex").asInt() == 2);
    }

    @Test
    void abortScalesTheCanaryAwayAndDegrades() {
        String v1 = deployV1("");
        String v2 = startV2();

        patchStatus(s -> s.put("abort", true));

        eventually().until(() -> "Degraded".equals(status().path("phase").asText())
                && pods(v2) == 0 && readyPods(v1) == 5);
        JsonNode s = status();
        assertThat(s.path("message").asText()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2");
        assertThat(condition(s, "Progressing").path("status").asText()).isEqualTo("False");
        assertThat(condition(s, "Progressing").path("reason").asText()).isEqualTo("RolloutAborted");
        assertThat(s.path("abort").asBoolean()).isTrue();
        assertThat(s.path("abortedAt").asText()).isNotEmpty();
        assertThat(s.has("pauseConditions")).isFalse();
        assertThat(s.path("stableRS").asText()).isEqualTo(v1);
        assertThat(s.path("currentStepIndex").asInt()).isZero();
    }

    @Test
    void retryStartsTheStepsAgain() {
        String v1 = deployV1("");
        String v2 = startV2();
        patchStatus(s -> s.put("abort", true));
        eventually().until(() -> "Degraded".equals(status().path("phase").asText()) && pods(v2) == 0 && pods(v1) == 5);
        statuses.clear();

        patchStatus(s -> s.put("abort", false));

        awaitPausedAtStep1(v2);
        JsonNode s = status();
        assertThat(s.has("abortedAt")).isFalse();
        assertThat(s.path("abort").asBoolean(false)).isFalse();
        assertThat(condition(s, "Progressing").path("reason").asText()).isNotEqualTo("RolloutAborted");
        assertThat(statuses).anyMatch(st -> "RolloutRetry".equals(condition(st, "Progressing").path("reason").asText()));
        assertThat(pods(v1)).isEqualTo(4);
    }

    @Test
    void restartAtRecreatesEveryPodAndRecordsRestartedAt() {
        String v1 = deployV1("");
        Set<String> before = podNames();
        clock.advance(Duration.ofSeconds(5));
        String restartAt = clock.timestamp();

        edit(ro -> Json.with(ro, "spec").put("restartAt", restartAt));

        eventually().until(() -> restartAt.equals(status().path("restartedAt").asText()) && healthy());
        assertThat(podNames()).hasSize(5).doesNotContainAnyElementsOf(before);
        for (ObjectNode pod : store.list(Resources.PODS, NS, p -> true).items()) {
            Instant created = SimClock.parse(Json.str(pod, "", "metadata", "creationTimestamp"));
            assertThat(created).isAfterOrEqualTo(SimClock.parse(restartAt));
        }
        assertThat(statuses).anyMatch(st -> "rollout is restarting".equals(st.path("message").asText()));
        assertThat(status().path("stableRS").asText()).isEqualTo(v1);
    }

    @Test
    void undoToTheStableTemplateGoesStraightBackToHealthy() {
        String v1 = deployV1("");
        String v2 = startV2();
        ObjectNode template = PodTemplates.withoutHashLabels(replicaSet(v1).path("spec").path("template"));

        edit(ro -> Json.with(ro, "spec").set("template", template));

        eventually().until(() -> healthy() && pods(v2) == 0);
        JsonNode s = status();
        assertThat(s.path("stableRS").asText()).isEqualTo(v1);
        assertThat(s.path("currentPodHash").asText()).isEqualTo(v1);
        assertThat(s.path("currentStepIndex").asInt()).isEqualTo(4);
        assertThat(replicaSet(v1).path("metadata").path("annotations").path(RolloutSync.REVISION).asText()).isEqualTo("3");
        assertThat(replicaSet(v2).path("spec").path("replicas").asInt()).isZero();
        assertThat(statuses).noneMatch(st -> v1.equals(st.path("currentPodHash").asText()) && st.has("pauseConditions"));
        assertThat(readyPods(v1)).isEqualTo(5);
    }

    @Test
    void specPausedHoldsTheUpdate() {
        deployV1("");
        edit(ro -> {
            Json.with(ro, "spec").put("paused", true);
            image(ro, "registry.example.com/web:2.0");
        });

        eventually().until(() -> "Paused".equals(status().path("phase").asText())
                && "manually paused".equals(status().path("message").asText())
                && "True".equals(condition(status(), "Paused").path("status").asText()));
        String v2 = status().path("currentPodHash").asText();
        assertThat(pods(v2)).isZero();

        edit(ro -> Json.with(ro, "spec").put("paused", false));

        awaitPausedAtStep1(v2);
    }

    @Test
    void neverReadyCanaryExceedsTheProgressDeadline() {
        deployV1("\"progressDeadlineSeconds\": 10,");
        String v2 = updateToBrokenV2();

        eventually().until(() -> "ProgressDeadlineExceeded".equals(condition(status(), "Progressing").path("reason").asText()));
        JsonNode s = status();
        assertThat(condition(s, "Progressing").path("status").asText()).isEqualTo("False");
        assertThat(s.path("phase").asText()).isEqualTo("Degraded");
        assertThat(s.path("message").asText())
                .isEqualTo("ProgressDeadlineExceeded: ReplicaSet \"web-" + v2 + "\" has timed out progressing.");
        assertThat(s.path("abort").asBoolean(false)).isFalse();
        assertThat(pods(v2)).isEqualTo(1);
    }

    @Test
    void progressDeadlineAbortAbortsTheUpdate() {
        String v1 = deployV1("\"progressDeadlineSeconds\": 10, \"progressDeadlineAbort\": true,");
        String v2 = updateToBrokenV2();

        eventually().until(() -> status().path("abort").asBoolean(false) && pods(v2) == 0 && readyPods(v1) == 5);
        JsonNode s = status();
        assertThat(s.path("phase").asText()).isEqualTo("Degraded");
        assertThat(condition(s, "Progressing").path("reason").asText()).isEqualTo("RolloutAborted");
        // as the real controller leaves it (measured in the real tier): the time-out is in the abort's Event only; the
        // pass that aborts sets the ProgressDeadlineExceeded condition, the next one the plain RolloutAborted condition
        assertThat(s.path("message").asText()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2");
        assertThat(condition(s, "Progressing").path("message").asText()).isEqualTo("Rollout aborted update to revision 2");
    }

    @Test
    void pauseDurationsReadLikeArgo() {
        assertThat(RolloutSync.pauseDuration(step("{\"pause\": {}}"))).isNull();
        assertThat(RolloutSync.pauseDuration(step("{\"pause\": {\"duration\": 30}}"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(RolloutSync.pauseDuration(step("{\"pause\": {\"duration\": \"30\"}}"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(RolloutSync.pauseDuration(step("{\"pause\": {\"duration\": \"30s\"}}"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(RolloutSync.pauseDuration(step("{\"pause\": {\"duration\": \"1m\"}}"))).isEqualTo(Duration.ofMinutes(1));
        assertThat(RolloutSync.pauseDuration(step("{\"pause\": {\"duration\": \"1h30m\"}}"))).isEqualTo(Duration.ofMinutes(90));
    }

    // ---- scenario steps ----

    /** Creates the Rollout (5 replicas, steps setWeight 20, pause, setWeight 60, pause 2s); waits for Healthy. */
    private String deployV1(String extraSpec) {
        String json = """
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
                 "metadata": {"name": "web"},
                 "spec": {"replicas": 5, %s
                   "selector": {"matchLabels": {"app": "web"}},
                   "strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {}}, {"setWeight": 60},
                                                     {"pause": {"duration": 2}}]}},
                   "template": {"metadata": {"labels": {"app": "web"}},
                                "spec": {"containers": [{"name": "web", "image": "registry.example.com/web:1.0"}]}}}}
                """.formatted(extraSpec);
        store.create(rollouts, NS, (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8)));
        eventually().until(this::healthy);
        return status().path("stableRS").asText();
    }

    /** Updates the image to 2.0 and waits for the pause at step 1; returns the canary's hash. */
    private String startV2() {
        edit(ro -> image(ro, "registry.example.com/web:2.0"));
        String v2 = PodTemplates.hash(rollout().path("spec").path("template"));
        awaitPausedAtStep1(v2);
        return v2;
    }

    private String updateToBrokenV2() {
        edit(ro -> Json.with(ro, "spec", "template", "metadata", "annotations").put(PodTemplates.NEVER_READY, "true"));
        return PodTemplates.hash(rollout().path("spec").path("template"));
    }

    private void awaitPausedAtStep1(String canary) {
        eventually().until(() -> {
            JsonNode s = status();
            return "Paused".equals(s.path("phase").asText()) && s.path("currentStepIndex").asInt() == 1
                    && "CanaryPauseStep".equals(s.path("pauseConditions").path(0).path("reason").asText())
                    && readyPods(canary) == 1 && totalPods() == 5;
        });
    }

    private static void image(ObjectNode ro, String image) {
        ((ObjectNode) ro.path("spec").path("template").path("spec").path("containers").get(0)).put("image", image);
    }

    // ---- the API as the plugin uses it ----

    private void patchStatus(Consumer<ObjectNode> change) {
        store.mutate(rollouts, NS, NAME, "status", ro -> {
            change.accept(Json.with(ro, "status"));
            return true;
        });
    }

    private void edit(Consumer<ObjectNode> change) {
        store.mutate(rollouts, NS, NAME, null, ro -> {
            change.accept(ro);
            return true;
        });
    }

    // ---- reading ----

    private ObjectNode rollout() {
        return store.get(rollouts, NS, NAME);
    }

    private JsonNode status() {
        return rollout().path("status");
    }

    private boolean healthy() {
        JsonNode ro = rollout();
        JsonNode s = ro.path("status");
        return "Healthy".equals(s.path("phase").asText())
                && s.path("observedGeneration").asText().equals(ro.path("metadata").path("generation").asText());
    }

    private ObjectNode replicaSet(String hash) {
        return store.get(Resources.REPLICA_SETS, NS, NAME + "-" + hash);
    }

    private long pods(String hash) {
        return store.list(Resources.PODS, NS, p -> hash.equals(Json.str(p, "", "metadata", "labels", HASH))).items().size();
    }

    private long readyPods(String hash) {
        return store.list(Resources.PODS, NS, p -> hash.equals(Json.str(p, "", "metadata", "labels", HASH))
                && ReplicaSetController.readySince(p) != null).items().size();
    }

    private long totalPods() {
        return store.list(Resources.PODS, NS, p -> true).items().size();
    }

    private Set<String> podNames() {
        return store.list(Resources.PODS, NS, p -> true).items().stream().map(Json::name).collect(Collectors.toSet());
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return Json.object();
    }

    private static JsonNode step(String json) {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10));
    }

    private static ObjectNode rolloutsCrd() throws IOException {
        try (InputStream in = RolloutControllerTest.class.getResourceAsStream("/dev/shipdeck/sim/crds/rollouts.argoproj.io.yaml")) {
            assertThat(in).isNotNull();
            return (ObjectNode) Json.YAML.readTree(in);
        }
    }
}

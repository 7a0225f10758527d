package dev.shipdeck.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.StatusVerdict;
import dev.shipdeck.sim.testing.TestCluster;
import dev.shipdeck.sim.testing.TestCluster.Kind;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.shipdeck.core.Manifest.pause;
import static dev.shipdeck.core.Manifest.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Rollout rule of KUBERNETES.md, against cluster-sim and in the real tier against the real Argo Rollouts
 * controller. Canary Rollouts are driven by the controller, which writes {@code status.phase} for the observed
 * generation: Shipdeck must use it. The other rules need a status the test writes — one for an older generation (a
 * controller that has not caught up: Progressing, as the plugin says) or one without a phase (a controller before
 * Argo 1.0: the plugin computes the phase). Those Rollouts carry a {@code controller-instance-id} no controller here
 * has (the real one and cluster-sim's leave them alone), so they keep exactly the status the test wrote. Blue-green
 * Rollouts: {@link BlueGreenStatusTest}.
 */
@Tag("real")
class RolloutStatusTest {
    private static final String NO_CONTROLLER = "argo-rollouts.argoproj.io/controller-instance-id";

    @TempDir
    static Path dir;
    static TestCluster cluster;
    static KubeClients clients;
    static ClusterReader reader;

    @BeforeAll
    static void start() {
        cluster = TestCluster.builder().tag("rstatus").rollouts().start(dir);
        clients = TestClusters.clients(cluster.kubeconfig(TestCluster.ADMIN));
        reader = new ClusterReader(clients);
    }

    @AfterAll
    static void stop() {
        if (clients != null) clients.close();
        if (cluster != null) cluster.close();
    }

    private static ConditionFactory eventually() {
        return TestClusters.eventually(cluster);
    }

    private static Component read(String ns, String name) {
        return TestClusters.read(reader, cluster.context(), ns, name);
    }

    private static JsonNode stored(String ns, String name) {
        return cluster.get(Kind.ROLLOUTS, ns, name);
    }

    private static String phase(String ns, String name) {
        return stored(ns, name).path("status").path("phase").asText();
    }

    /** A canary at v1, healthy, then updated to v2 with {@code next}'s changes. */
    private static void healthyThenUpdate(String ns, Manifest next) {
        Manifest v1 = Manifest.rollout(ns, "web").version("1.0.0").replicas(2).steps(setWeight(50), pause());
        cluster.apply(v1.text());
        eventually().untilAsserted(() -> assertThat(read(ns, "web").status()).isEqualTo(ReleaseStatus.SUCCESS));
        cluster.apply(next.text());
    }

    // ---------------------------------------------------------------- phases the simulated controller writes

    @Test
    void healthyIsSuccess() {
        String ns = cluster.ns("healthy");
        cluster.apply(Manifest.rollout(ns, "web").version("1.0.0").replicas(2).steps(setWeight(50), pause()).text());

        eventually().untilAsserted(() -> {
            assertThat(phase(ns, "web")).isEqualTo("Healthy");
            Component c = read(ns, "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS);
            assertThat(c.verdict().phase()).isEqualTo("Healthy");
            assertThat(c.primary().rollout().fullyPromoted()).isTrue();
        });
    }

    @Test
    void pausedAtCanaryStepIsRunningAwaitingPromotion() {
        String ns = cluster.ns("step-pause");
        healthyThenUpdate(ns, Manifest.rollout(ns, "web").version("2.0.0").replicas(2).steps(setWeight(50), pause()));

        eventually().untilAsserted(() -> {
            assertThat(phase(ns, "web")).isEqualTo("Paused");
            StatusVerdict v = read(ns, "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(v.phase()).isEqualTo("Paused");
            assertThat(v.awaitingPromotion()).isTrue();
            assertThat(v.message()).isEqualTo("awaiting promotion (CanaryPauseStep)");
        });
    }

    @Test
    void manuallyPausedIsRunningAwaitingPromotion() {
        String ns = cluster.ns("spec-pause");
        healthyThenUpdate(ns, Manifest.rollout(ns, "web").version("1.0.0").replicas(2)
                .steps(setWeight(50), pause()).paused(true));

        eventually().untilAsserted(() -> {
            assertThat(phase(ns, "web")).isEqualTo("Paused");
            StatusVerdict v = read(ns, "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(v.awaitingPromotion()).isTrue();
            assertThat(v.message()).contains("manually paused");
        });
    }

    @Test
    void canaryWaitingForPodsIsRunning() {
        String ns = cluster.ns("progressing");
        healthyThenUpdate(ns, Manifest.rollout(ns, "web").version("2.0.0").replicas(2).neverReady()
                .steps(setWeight(50), pause()));

        eventually().untilAsserted(() -> {
            assertThat(phase(ns, "web")).isEqualTo("Progressing");
            StatusVerdict v = read(ns, "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(v.phase()).isEqualTo("Progressing");
            assertThat(v.awaitingPromotion()).isFalse();
        });
    }

    @Test
    void abortedByAPersonIsCancelled() {
        String ns = cluster.ns("aborted");
        healthyThenUpdate(ns, Manifest.rollout(ns, "web").version("2.0.0").replicas(2).steps(setWeight(50), pause()));
        eventually().untilAsserted(() -> assertThat(phase(ns, "web")).isEqualTo("Paused"));

        // what `kubectl argo rollouts abort` sends: {"status":{"abort":true}} on the status subresource
        cluster.mergePatch(Kind.ROLLOUTS, ns, "web", "status", "{\"status\":{\"abort\":true}}");

        eventually().untilAsserted(() -> {
            assertThat(phase(ns, "web")).isEqualTo("Degraded");
            StatusVerdict v = read(ns, "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.CANCELLED);
            assertThat(v.aborted()).isTrue();
            assertThat(v.message()).startsWith("RolloutAborted: Rollout aborted update to revision 2");
        });
    }

    @Test
    void progressDeadlineExceededIsFailed() {
        String ns = cluster.ns("deadline");
        healthyThenUpdate(ns, Manifest.rollout(ns, "web").version("2.0.0").replicas(2).neverReady()
                .progressDeadlineSeconds(10).steps(setWeight(50), pause()));
        eventually().untilAsserted(() -> assertThat(phase(ns, "web")).isEqualTo("Progressing"));

        cluster.advance(Duration.ofSeconds(12));

        eventually().untilAsserted(() -> {
            assertThat(phase(ns, "web")).isEqualTo("Degraded");
            StatusVerdict v = read(ns, "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
            assertThat(v.message()).startsWith("ProgressDeadlineExceeded: ");
        });
    }

    @Test
    void abortedByTheProgressDeadlineIsFailedNotCancelled() {
        String ns = cluster.ns("deadline-abort");
        Manifest v2 = Manifest.rollout(ns, "web").version("2.0.0").replicas(2).neverReady()
                .progressDeadlineSeconds(10).steps(setWeight(50), pause());
        v2.spec().put("progressDeadlineAbort", true);
        healthyThenUpdate(ns, v2);
        eventually().untilAsserted(() -> assertThat(phase(ns, "web")).isEqualTo("Progressing"));

        cluster.advance(Duration.ofSeconds(12));

        eventually().untilAsserted(() -> {
            JsonNode s = stored(ns, "web").path("status");
            assertThat(s.path("abort").asBoolean()).isTrue();
            assertThat(s.path("phase").asText()).isEqualTo("Degraded");
            // exactly what a person's abort leaves (the real controller names the time-out in an Event only)
            assertThat(s.path("message").asText()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2");
        });
        // the controller aborted it, not a person: the release failed
        StatusVerdict v = read(ns, "web").verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(v.aborted()).isTrue();
    }

    @Test
    void invalidSpecIsFailed() {
        String ns = cluster.ns("invalid");
        cluster.apply(Manifest.rollout(ns, "web").version("1.0.0").steps(setWeight(50), pause()).text());
        eventually().untilAsserted(() -> assertThat(phase(ns, "web")).isEqualTo("Healthy"));

        if (cluster.real()) {
            // the real controller validates the spec itself: a weight above 100 is invalid
            cluster.apply(Manifest.rollout(ns, "web").version("1.0.0").steps(setWeight(150), pause()).text());
        } else {
            // the simulated controller does not validate steps; the condition the real one sets, written by hand
            cluster.simCluster().orElseThrow().store().mutate(cluster.simCluster().orElseThrow().rollouts(), ns, "web", "status", r -> {
                ((ObjectNode) r.path("status")).withArray("conditions").addObject().put("type", "InvalidSpec").put("status", "True")
                        .put("reason", "InvalidSpec").put("message", "The Rollout \"web\" is invalid: spec.strategy.canary.steps[1].pause.duration: Invalid value");
                return true;
            });
        }

        eventually().untilAsserted(() -> {
            assertThat(phase(ns, "web")).isEqualTo("Degraded");
            StatusVerdict v = read(ns, "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
            assertThat(v.message()).startsWith("InvalidSpec: ");
        });
    }

    // ---------------------------------------------------------------- a status for an older generation, or without a phase

    /** A canary Rollout no controller here acts on, updated to generation 2, with the status written by the test. */
    private static Component withStatus(String ns, ObjectNode status, boolean paused, String restartAt, String observedGeneration) {
        Manifest m = Manifest.rollout(ns, "web").version("1.0.0").replicas(2).label(NO_CONTROLLER, "none");
        cluster.apply(m.text());
        Manifest gen2 = Manifest.rollout(ns, "web").version("1.0.1").replicas(2).paused(paused).label(NO_CONTROLLER, "none");
        if (restartAt != null) gen2.spec().put("restartAt", restartAt);
        status.put("observedGeneration", observedGeneration);
        cluster.apply(gen2.status(status).text());
        JsonNode r = stored(ns, "web");
        assertThat(r.path("metadata").path("generation").asLong()).isEqualTo(2);
        assertThat(r.path("status").path("observedGeneration").asText()).isEqualTo(observedGeneration);
        return read(ns, "web");
    }

    /** What a controller before Argo 1.0 leaves: the status of generation 2 without a phase, so the plugin computes it. */
    private static Component computed(String ns, ObjectNode status, boolean paused, String restartAt) {
        return withStatus(ns, status, paused, restartAt, "2");
    }

    @Test
    void aStatusOfAnOlderGenerationIsProgressingUntilTheControllerObservesTheNewOne() {
        String ns = cluster.ns("unobserved");
        StatusVerdict v = withStatus(ns, settledStatus().put("phase", "Healthy"), false, null, "1").verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.phase()).isEqualTo("Progressing");
        assertThat(v.message()).isEqualTo("waiting for rollout spec update to be observed");
    }

    private static ObjectNode settledStatus() {
        ObjectNode s = TestClusters.JSON.createObjectNode();
        s.put("replicas", 2).put("updatedReplicas", 2).put("readyReplicas", 2).put("availableReplicas", 2);
        s.put("stableRS", "abc12").put("currentPodHash", "abc12");
        return s;
    }

    private static void condition(ObjectNode status, String type, String cStatus, String reason, String message) {
        status.withArray("conditions").addObject().put("type", type).put("status", cStatus).put("reason", reason).put("message", message)
                .put("lastTransitionTime", "2026-01-01T10:00:00Z").put("lastUpdateTime", "2026-01-01T10:00:00Z");
    }

    @Test
    void computedWithFewerUpdatedReplicasIsRunning() {
        String ns = cluster.ns("stale-updated");
        ObjectNode s = settledStatus().put("updatedReplicas", 1).put("availableReplicas", 1);
        StatusVerdict v = computed(ns, s, false, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.message()).isEqualTo("more replicas need to be updated");
    }

    @Test
    void computedWithUnavailableUpdatedReplicasIsRunning() {
        String ns = cluster.ns("stale-available");
        ObjectNode s = settledStatus().put("availableReplicas", 1);
        StatusVerdict v = computed(ns, s, false, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.message()).isEqualTo("updated replicas are still becoming available");
    }

    @Test
    void computedNotFullyPromotedIsRunning() {
        String ns = cluster.ns("stale-promoted");
        ObjectNode s = settledStatus().put("currentPodHash", "def34");
        StatusVerdict v = computed(ns, s, false, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.message()).isEqualTo("waiting for all steps to complete");
    }

    @Test
    void computedAllDoneIsHealthy() {
        String ns = cluster.ns("stale-healthy");
        ObjectNode s = settledStatus();
        StatusVerdict v = computed(ns, s, false, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(v.phase()).isEqualTo("Healthy");
    }

    @Test
    void computedWithPendingRestartIsRunning() {
        String ns = cluster.ns("stale-restart");
        ObjectNode s = settledStatus().put("restartedAt", "2026-01-01T10:00:00Z");
        StatusVerdict v = computed(ns, s, false, "2026-01-01T11:00:00Z").verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.phase()).isEqualTo("Progressing");
    }

    @Test
    void computedWithDoneRestartIsHealthy() {
        String ns = cluster.ns("stale-restarted");
        ObjectNode s = settledStatus().put("restartedAt", "2026-01-01T11:00:00Z");
        StatusVerdict v = computed(ns, s, false, "2026-01-01T11:00:00Z").verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.SUCCESS);
    }

    @Test
    void computedWithPauseConditionIsPaused() {
        String ns = cluster.ns("stale-pausecond");
        ObjectNode s = settledStatus().put("currentPodHash", "def34");
        s.putArray("pauseConditions").addObject().put("reason", "BlueGreenPause").put("startTime", "2026-01-01T10:00:00Z");
        StatusVerdict v = computed(ns, s, false, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.awaitingPromotion()).isTrue();
        assertThat(v.message()).isEqualTo("awaiting promotion (BlueGreenPause)");
    }

    @Test
    void computedManuallyPausedIsPaused() {
        String ns = cluster.ns("stale-paused");
        StatusVerdict v = computed(ns, settledStatus(), true, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.awaitingPromotion()).isTrue();
        assertThat(v.message()).isEqualTo("awaiting promotion (manually paused)");
    }

    @Test
    void computedAbortedIsCancelled() {
        String ns = cluster.ns("stale-aborted");
        ObjectNode s = settledStatus().put("currentPodHash", "def34").put("abort", true);
        condition(s, "Progressing", "False", "RolloutAborted", "Rollout aborted update to revision 2");
        StatusVerdict v = computed(ns, s, true, null).verdict(); // aborted wins over paused
        assertThat(v.status()).isEqualTo(ReleaseStatus.CANCELLED);
        assertThat(v.phase()).isEqualTo("Degraded");
    }

    @Test
    void computedTimedOutIsFailed() {
        String ns = cluster.ns("stale-deadline");
        ObjectNode s = settledStatus().put("currentPodHash", "def34");
        condition(s, "Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet \"web-def34\" has timed out progressing.");
        StatusVerdict v = computed(ns, s, true, null).verdict(); // the deadline wins over paused
        assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(v.message()).isEqualTo("ProgressDeadlineExceeded: ReplicaSet \"web-def34\" has timed out progressing.");
    }

    @Test
    void computedWithInvalidSpecIsFailed() {
        String ns = cluster.ns("stale-invalid");
        ObjectNode s = settledStatus();
        condition(s, "InvalidSpec", "True", "InvalidSpec", "spec.replicas must be >= 0");
        condition(s, "Progressing", "False", "RolloutAborted", "Rollout aborted update to revision 2");
        StatusVerdict v = computed(ns, s, false, null).verdict(); // the first of the deciding conditions wins, as in the plugin
        assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(v.message()).isEqualTo("InvalidSpec: spec.replicas must be >= 0");
    }

    @Test
    void phaseOfTheObservedGenerationIsUsedAsIs() {
        String ns = cluster.ns("observed");
        // every count says healthy, but the controller said Degraded for this very generation: it knows better
        ObjectNode s = settledStatus().put("phase", "Degraded").put("message", "ProgressDeadlineExceeded: analysis \"web-7\" failed");
        s.put("observedGeneration", "1");
        cluster.apply(Manifest.rollout(ns, "web").version("1.0.0").replicas(2).label(NO_CONTROLLER, "none").status(s).text());
        StatusVerdict v = read(ns, "web").verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(v.phase()).isEqualTo("Degraded");
        assertThat(v.message()).isEqualTo("ProgressDeadlineExceeded: analysis \"web-7\" failed");
    }
}

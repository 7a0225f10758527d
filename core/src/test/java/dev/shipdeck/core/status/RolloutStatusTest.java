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
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.SimCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.shipdeck.core.Manifest.pause;
import static dev.shipdeck.core.Manifest.setWeight;
import static dev.shipdeck.core.TestClusters.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Rollout rule of KUBERNETES.md against cluster-sim. Canary Rollouts are driven by the simulated Argo
 * controller, which writes {@code status.phase} for the observed generation: Shipdeck must use it. The
 * computed-phase rules need a status whose {@code observedGeneration} is stale; the simulated controller only
 * runs canaries, so a blueGreen Rollout keeps exactly the status a test writes (a controller that has not caught up).
 */
class RolloutStatusTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;
    static SimCluster cluster;
    static KubeClients clients;
    static ClusterReader reader;

    @BeforeAll
    static void start() {
        sim = TestClusters.startEmpty();
        cluster = sim.cluster("sim");
        cluster.installRolloutsCrd();
        clients = TestClusters.clients(TestClusters.writeKubeconfig(sim, dir));
        reader = new ClusterReader(clients);
    }

    @AfterAll
    static void stop() {
        clients.close();
        sim.close();
    }

    private static Component read(String ns, String name) {
        return TestClusters.read(reader, "sim", ns, name);
    }

    private static JsonNode stored(String ns, String name) {
        return cluster.store().get(cluster.rollouts(), ns, name);
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
        cluster.apply(Manifest.rollout("healthy", "web").version("1.0.0").replicas(2).steps(setWeight(50), pause()).text());

        eventually().untilAsserted(() -> {
            assertThat(phase("healthy", "web")).isEqualTo("Healthy");
            Component c = read("healthy", "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS);
            assertThat(c.verdict().phase()).isEqualTo("Healthy");
            assertThat(c.primary().rollout().fullyPromoted()).isTrue();
        });
    }

    @Test
    void pausedAtCanaryStepIsRunningAwaitingPromotion() {
        healthyThenUpdate("step-pause", Manifest.rollout("step-pause", "web").version("2.0.0").replicas(2).steps(setWeight(50), pause()));

        eventually().untilAsserted(() -> {
            assertThat(phase("step-pause", "web")).isEqualTo("Paused");
            StatusVerdict v = read("step-pause", "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(v.phase()).isEqualTo("Paused");
            assertThat(v.awaitingPromotion()).isTrue();
            assertThat(v.message()).isEqualTo("awaiting promotion (CanaryPauseStep)");
        });
    }

    @Test
    void manuallyPausedIsRunningAwaitingPromotion() {
        healthyThenUpdate("spec-pause", Manifest.rollout("spec-pause", "web").version("1.0.0").replicas(2)
                .steps(setWeight(50), pause()).paused(true));

        eventually().untilAsserted(() -> {
            assertThat(phase("spec-pause", "web")).isEqualTo("Paused");
            StatusVerdict v = read("spec-pause", "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(v.awaitingPromotion()).isTrue();
            assertThat(v.message()).contains("manually paused");
        });
    }

    @Test
    void canaryWaitingForPodsIsRunning() {
        healthyThenUpdate("progressing", Manifest.rollout("progressing", "web").version("2.0.0").replicas(2).neverReady()
                .steps(setWeight(50), pause()));

        eventually().untilAsserted(() -> {
            assertThat(phase("progressing", "web")).isEqualTo("Progressing");
            StatusVerdict v = read("progressing", "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(v.phase()).isEqualTo("Progressing");
            assertThat(v.awaitingPromotion()).isFalse();
        });
    }

    @Test
    void abortedByAPersonIsCancelled() {
        healthyThenUpdate("aborted", Manifest.rollout("aborted", "web").version("2.0.0").replicas(2).steps(setWeight(50), pause()));
        eventually().untilAsserted(() -> assertThat(phase("aborted", "web")).isEqualTo("Paused"));

        // what `kubectl argo rollouts abort` sends: {"status":{"abort":true}} on the status subresource
        cluster.store().mutate(cluster.rollouts(), "aborted", "web", "status", r -> {
            ((ObjectNode) r.path("status")).put("abort", true);
            return true;
        });

        eventually().untilAsserted(() -> {
            assertThat(phase("aborted", "web")).isEqualTo("Degraded");
            StatusVerdict v = read("aborted", "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.CANCELLED);
            assertThat(v.aborted()).isTrue();
            assertThat(v.message()).startsWith("RolloutAborted: Rollout aborted update to revision 2");
        });
    }

    @Test
    void progressDeadlineExceededIsFailed() {
        healthyThenUpdate("deadline", Manifest.rollout("deadline", "web").version("2.0.0").replicas(2).neverReady()
                .progressDeadlineSeconds(30).steps(setWeight(50), pause()));
        eventually().untilAsserted(() -> assertThat(phase("deadline", "web")).isEqualTo("Progressing"));

        sim.clock().advance(Duration.ofSeconds(45));

        eventually().untilAsserted(() -> {
            assertThat(phase("deadline", "web")).isEqualTo("Degraded");
            StatusVerdict v = read("deadline", "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
            assertThat(v.message()).startsWith("ProgressDeadlineExceeded: ");
        });
    }

    @Test
    void abortedByTheProgressDeadlineIsFailedNotCancelled() {
        Manifest v2 = Manifest.rollout("deadline-abort", "web").version("2.0.0").replicas(2).neverReady()
                .progressDeadlineSeconds(30).steps(setWeight(50), pause());
        v2.spec().put("progressDeadlineAbort", true);
        healthyThenUpdate("deadline-abort", v2);
        eventually().untilAsserted(() -> assertThat(phase("deadline-abort", "web")).isEqualTo("Progressing"));

        sim.clock().advance(Duration.ofSeconds(45));

        eventually().untilAsserted(() -> {
            JsonNode s = stored("deadline-abort", "web").path("status");
            assertThat(s.path("abort").asBoolean()).isTrue();
            assertThat(s.path("phase").asText()).isEqualTo("Degraded");
            assertThat(s.path("message").asText()).startsWith("RolloutAborted: ").contains("timed out progressing");
        });
        // the controller aborted it, not a person: the release failed
        StatusVerdict v = read("deadline-abort", "web").verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(v.aborted()).isTrue();
    }

    @Test
    void invalidSpecIsFailed() {
        cluster.apply(Manifest.rollout("invalid", "web").version("1.0.0").steps(setWeight(50), pause()).text());
        eventually().untilAsserted(() -> assertThat(phase("invalid", "web")).isEqualTo("Healthy"));

        cluster.store().mutate(cluster.rollouts(), "invalid", "web", "status", r -> {
            ((ObjectNode) r.path("status")).withArray("conditions").addObject().put("type", "InvalidSpec").put("status", "True")
                    .put("reason", "InvalidSpec").put("message", "The Rollout \"web\" is invalid: spec.strategy.canary.steps[1].pause.duration: Invalid value");
            return true;
        });

        eventually().untilAsserted(() -> {
            assertThat(phase("invalid", "web")).isEqualTo("Degraded");
            StatusVerdict v = read("invalid", "web").verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
            assertThat(v.message()).startsWith("InvalidSpec: ");
        });
    }

    // ---------------------------------------------------------------- phase set but not for this generation

    /** A blueGreen Rollout at generation 2 whose status (written by the test) was last observed at generation 1. */
    private static Component staleStatus(String ns, ObjectNode status, boolean paused, String restartAt) {
        Manifest m = Manifest.rollout(ns, "web").blueGreen().version("1.0.0").replicas(2);
        cluster.apply(m.text());
        Manifest gen2 = Manifest.rollout(ns, "web").blueGreen().version("1.0.1").replicas(2).paused(paused);
        if (restartAt != null) gen2.spec().put("restartAt", restartAt);
        status.put("observedGeneration", "1");
        cluster.apply(gen2.status(status).text());
        JsonNode r = stored(ns, "web");
        assertThat(r.path("metadata").path("generation").asLong()).isEqualTo(2);
        assertThat(r.path("status").path("observedGeneration").asText()).isEqualTo("1");
        return read(ns, "web");
    }

    private static ObjectNode settledStatus() {
        ObjectNode s = TestClusters.JSON.createObjectNode();
        s.put("phase", "Healthy");
        s.put("replicas", 2).put("updatedReplicas", 2).put("readyReplicas", 2).put("availableReplicas", 2);
        s.put("stableRS", "abc12").put("currentPodHash", "abc12");
        return s;
    }

    private static void condition(ObjectNode status, String type, String cStatus, String reason, String message) {
        status.withArray("conditions").addObject().put("type", type).put("status", cStatus).put("reason", reason).put("message", message);
    }

    @Test
    void staleHealthyPhaseIsIgnoredForComputedProgress() {
        ObjectNode s = settledStatus().put("updatedReplicas", 1).put("availableReplicas", 1);
        StatusVerdict v = staleStatus("stale-updated", s, false, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.message()).isEqualTo("more replicas need to be updated");
    }

    @Test
    void staleStatusWithUnavailableUpdatedReplicasIsRunning() {
        ObjectNode s = settledStatus().put("availableReplicas", 1);
        StatusVerdict v = staleStatus("stale-available", s, false, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.message()).isEqualTo("updated replicas are still becoming available");
    }

    @Test
    void staleStatusNotFullyPromotedIsRunning() {
        ObjectNode s = settledStatus().put("currentPodHash", "def34");
        StatusVerdict v = staleStatus("stale-promoted", s, false, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.message()).isEqualTo("waiting for all steps to complete");
    }

    @Test
    void staleStatusAllDoneIsHealthy() {
        ObjectNode s = settledStatus().put("phase", "Progressing");
        StatusVerdict v = staleStatus("stale-healthy", s, false, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(v.phase()).isEqualTo("Healthy");
    }

    @Test
    void staleStatusWithPendingRestartIsRunning() {
        ObjectNode s = settledStatus().put("restartedAt", "2026-01-01T10:00:00Z");
        StatusVerdict v = staleStatus("stale-restart", s, false, "2026-01-01T11:00:00Z").verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.phase()).isEqualTo("Progressing");
    }

    @Test
    void staleStatusWithDoneRestartIsHealthy() {
        ObjectNode s = settledStatus().put("restartedAt", "2026-01-01T11:00:00Z");
        StatusVerdict v = staleStatus("stale-restarted", s, false, "2026-01-01T11:00:00Z").verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.SUCCESS);
    }

    @Test
    void staleStatusWithPauseConditionIsPaused() {
        ObjectNode s = settledStatus().put("currentPodHash", "def34");
        s.putArray("pauseConditions").addObject().put("reason", "BlueGreenPause").put("startTime", "2026-01-01T10:00:00Z");
        StatusVerdict v = staleStatus("stale-pausecond", s, false, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.awaitingPromotion()).isTrue();
        assertThat(v.message()).isEqualTo("awaiting promotion (BlueGreenPause)");
    }

    @Test
    void staleStatusManuallyPausedIsPaused() {
        StatusVerdict v = staleStatus("stale-paused", settledStatus(), true, null).verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.awaitingPromotion()).isTrue();
        assertThat(v.message()).isEqualTo("awaiting promotion (manually paused)");
    }

    @Test
    void staleStatusAbortedIsCancelled() {
        ObjectNode s = settledStatus().put("currentPodHash", "def34").put("abort", true);
        condition(s, "Progressing", "False", "RolloutAborted", "Rollout aborted update to revision 2");
        StatusVerdict v = staleStatus("stale-aborted", s, true, null).verdict(); // aborted wins over paused
        assertThat(v.status()).isEqualTo(ReleaseStatus.CANCELLED);
        assertThat(v.phase()).isEqualTo("Degraded");
    }

    @Test
    void staleStatusTimedOutIsFailed() {
        ObjectNode s = settledStatus().put("currentPodHash", "def34");
        condition(s, "Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet \"web-def34\" has timed out progressing.");
        StatusVerdict v = staleStatus("stale-deadline", s, true, null).verdict(); // the deadline wins over paused
        assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(v.message()).isEqualTo("ProgressDeadlineExceeded: ReplicaSet \"web-def34\" has timed out progressing.");
    }

    @Test
    void staleStatusWithInvalidSpecIsFailed() {
        ObjectNode s = settledStatus();
        condition(s, "Progressing", "False", "RolloutAborted", "Rollout aborted update to revision 2");
        condition(s, "InvalidSpec", "True", "InvalidSpec", "spec.replicas must be >= 0");
        StatusVerdict v = staleStatus("stale-invalid", s, false, null).verdict(); // invalid spec wins over everything
        assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(v.message()).isEqualTo("InvalidSpec: spec.replicas must be >= 0");
    }

    @Test
    void phaseOfTheObservedGenerationIsUsedAsIs() {
        // every count says healthy, but the controller said Degraded for this very generation: it knows better
        ObjectNode s = settledStatus().put("phase", "Degraded").put("message", "ProgressDeadlineExceeded: analysis \"web-7\" failed");
        s.put("observedGeneration", "1");
        cluster.apply(Manifest.rollout("observed", "web").blueGreen().version("1.0.0").replicas(2).status(s).text());
        StatusVerdict v = read("observed", "web").verdict();
        assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(v.phase()).isEqualTo("Degraded");
        assertThat(v.message()).isEqualTo("ProgressDeadlineExceeded: analysis \"web-7\" failed");
    }
}

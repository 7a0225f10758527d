package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.ResourceType;
import dev.shipdeck.sim.SimClock;
import dev.shipdeck.sim.SimCluster;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each Rollout action sends the Argo Rollouts plugin's patches (status subresource first, spec separately), and the
 * simulated Argo controller moves as Argo's would: a paused canary advances one step on promote, completes on
 * promote full, reverts to stable on cancel and resumes on retry.
 */
class CommandsRolloutTest {
    private static final String ENV = "sim";
    private static final String BASE = "/apis/argoproj.io/v1alpha1/namespaces/" + Sim.NS + "/rollouts/";
    private static final String MERGE = "application/merge-patch+json";
    private static final String[] STEPS = {"{\"setWeight\":20}", "{\"pause\":{}}", "{\"setWeight\":60}", "{\"pause\":{}}"};

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static SimCluster cluster;
    private static ResourceType rollouts;
    private static Sim.Connection admin;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        cluster = sim.cluster(ENV);
        cluster.installRolloutsCrd();
        rollouts = cluster.rollouts();
        // Shipdeck's clock is the cluster's (simulated time runs ahead of the wall clock), so restartAt is "now" there
        admin = Sim.connect(sim, dir.resolve("kubeconfig"), ClusterSim.ADMIN, new SimTime(sim.clock()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) admin.close();
        if (sim != null) sim.close();
    }

    /** The simulated clock as a java.time.Clock. */
    static final class SimTime extends Clock {
        private final SimClock clock;

        SimTime(SimClock clock) {
            this.clock = clock;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return clock.now();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode rollout(String name) {
        return Sim.get(cluster, rollouts, name);
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion);
    }

    private static String phase(JsonNode r) {
        return r.at("/status/phase").asText() + " step " + r.at("/status/currentStepIndex").asText()
                + " paused " + r.at("/spec/paused").asBoolean() + " pauses " + r.at("/status/pauseConditions")
                + " abort " + r.at("/status/abort").asBoolean() + " stable " + r.at("/status/stableRS").asText()
                + " current " + r.at("/status/currentPodHash").asText();
    }

    /** The names of the rollout's pods (label app=name). */
    private static List<String> pods(String name) {
        return cluster.store().list(dev.shipdeck.sim.Resources.PODS, Sim.NS, p -> name.equals(p.at("/metadata/labels/app").asText()))
                .items().stream().map(p -> p.at("/metadata/name").asText()).sorted().toList();
    }

    /** spec.replicas of the rollout's ReplicaSet with this hash. */
    private static long replicasOf(String name, String hash) {
        return Sim.get(cluster, dev.shipdeck.sim.Resources.REPLICA_SETS, name + "-" + hash).at("/spec/replicas").asLong();
    }

    /** Creates {@code name} at 1.0 and waits until it is Healthy; returns the stable hash. */
    private static String healthy(String name, ObjectNode manifest) {
        cluster.apply(Sim.stream(List.of(manifest)));
        eventually(() -> {
            ObjectNode r = rollout(name);
            assertThat(r.at("/status/phase").asText()).as(phase(r)).isEqualTo("Healthy");
            assertThat(r.at("/status/stableRS").asText()).as(phase(r)).isNotEmpty().isEqualTo(r.at("/status/currentPodHash").asText());
        });
        return rollout(name).at("/status/stableRS").asText();
    }

    /** Ships 1.1 and waits until the canary is paused at step 1 (20%); returns the canary hash. */
    private static String pausedAtFirstStep(String name, ObjectNode manifest) {
        cluster.apply(Sim.stream(List.of(manifest)));
        eventually(() -> assertPausedAt(name, 1));
        return rollout(name).at("/status/currentPodHash").asText();
    }

    private static void assertPausedAt(String name, int step) {
        ObjectNode r = rollout(name);
        assertThat(r.at("/status/phase").asText()).as(phase(r)).isEqualTo("Paused");
        assertThat(r.at("/status/currentStepIndex").asInt()).as(phase(r)).isEqualTo(step);
        assertThat(r.at("/status/pauseConditions/0/reason").asText()).as(phase(r)).isEqualTo("CanaryPauseStep");
    }

    private static CommandResult run(Action a, String component, Map<String, String> args) {
        CommandResult r = admin.commands().run(CommandRequest.of(a, ENV, component, args));
        assertThat(r.outcome()).as("%s: %s", a, r.message()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.record()).isNotNull();
        return r;
    }

    private static PlannedRequest patch(String name, String sub, String type, String body) {
        return new PlannedRequest("PATCH", BASE + name + sub, type, body);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void promoteAdvancesOneStepAndPromoteFullCompletes() {
        String stable = healthy("canary", Sim.rollout("canary", "1.0", 5, STEPS));
        String canary = pausedAtFirstStep("canary", Sim.rollout("canary", "1.1", 5, STEPS));
        assertThat(replicasOf("canary", canary)).isEqualTo(1);
        assertThat(replicasOf("canary", stable)).isEqualTo(4);

        CommandResult promote = run(Action.PROMOTE, "canary", Map.of());
        assertThat(promote.requests()).containsExactly(patch("canary", "/status", MERGE, "{\"status\":{\"pauseConditions\":null}}"));
        assertThat(promote.message()).isEqualTo("promote canary to its next step");
        eventually(() -> {
            assertPausedAt("canary", 3);
            assertThat(replicasOf("canary", canary)).isEqualTo(3);
            assertThat(replicasOf("canary", stable)).isEqualTo(2);
        });

        CommandResult full = run(Action.PROMOTE_FULL, "canary", Map.of());
        assertThat(full.requests()).containsExactly(patch("canary", "/status", MERGE, "{\"status\":{\"promoteFull\":true}}"));
        eventually(() -> {
            ObjectNode r = rollout("canary");
            assertThat(r.at("/status/phase").asText()).as(phase(r)).isEqualTo("Healthy");
            assertThat(r.at("/status/stableRS").asText()).as(phase(r)).isEqualTo(canary).isEqualTo(r.at("/status/currentPodHash").asText());
            assertThat(replicasOf("canary", canary)).isEqualTo(5);
            assertThat(replicasOf("canary", stable)).isZero();
        });
    }

    @Test
    void cancelRevertsToStableAndRetryResumes() {
        String stable = healthy("abortable", Sim.rollout("abortable", "1.0", 5, STEPS));
        String canary = pausedAtFirstStep("abortable", Sim.rollout("abortable", "1.1", 5, STEPS));

        CommandResult cancel = run(Action.CANCEL, "abortable", Map.of());
        assertThat(cancel.requests()).containsExactly(patch("abortable", "/status", MERGE, "{\"status\":{\"abort\":true}}"));
        eventually(() -> {
            ObjectNode r = rollout("abortable");
            assertThat(r.at("/status/phase").asText()).as(phase(r)).isEqualTo("Degraded");
            assertThat(r.at("/status/abort").asBoolean()).as(phase(r)).isTrue();
            assertThat(r.at("/status/message").asText()).as(phase(r)).startsWith("RolloutAborted");
            assertThat(replicasOf("abortable", canary)).isZero();
            assertThat(replicasOf("abortable", stable)).isEqualTo(5);
        });

        CommandResult retry = run(Action.RETRY, "abortable", Map.of());
        assertThat(retry.requests()).containsExactly(patch("abortable", "/status", MERGE, "{\"status\":{\"abort\":false}}"));
        eventually(() -> {
            assertPausedAt("abortable", 1);
            assertThat(rollout("abortable").at("/status/abort").asBoolean()).isFalse();
            assertThat(replicasOf("abortable", canary)).isEqualTo(1);
            assertThat(replicasOf("abortable", stable)).isEqualTo(4);
        });
    }

    @Test
    void promoteWhileNotPausedSkipsTheCurrentStepOnly() {
        healthy("stuck", Sim.rollout("stuck", "1.0", 5, STEPS));
        ObjectNode v2 = Sim.rollout("stuck", "1.1", 5, STEPS);
        v2.withObject("/spec/template/metadata").putObject("annotations").put("sim.shipdeck.dev/never-ready", "true");
        cluster.apply(Sim.stream(List.of(v2)));
        eventually(() -> {
            ObjectNode r = rollout("stuck");
            assertThat(r.at("/status/phase").asText()).as(phase(r)).isEqualTo("Progressing");
            assertThat(r.at("/status/currentStepIndex").asInt()).as(phase(r)).isZero();
            assertThat(r.at("/status/currentPodHash").asText()).as(phase(r)).isNotEqualTo(r.at("/status/stableRS").asText());
        });

        CommandResult promote = run(Action.PROMOTE, "stuck", Map.of());
        // never both: no pauseConditions to clear, so only the step index moves, and no spec patch (not spec.paused)
        assertThat(promote.requests()).containsExactly(patch("stuck", "/status", MERGE, "{\"status\":{\"currentStepIndex\":1}}"));
        eventually(() -> assertPausedAt("stuck", 1));
    }

    @Test
    void promoteAManuallyPausedRolloutClearsThePauseOnStatusFirstThenUnpausesTheSpec() {
        healthy("manual", Sim.rollout("manual", "1.0", 5, STEPS));
        pausedAtFirstStep("manual", Sim.rollout("manual", "1.1", 5, STEPS));
        cluster.store().mutate(rollouts, Sim.NS, "manual", null, r -> {
            ((ObjectNode) r.get("spec")).put("paused", true);
            return true;
        });
        eventually(() -> assertThat(rollout("manual").at("/status/message").asText()).isEqualTo("manually paused"));

        CommandResult promote = run(Action.PROMOTE, "manual", Map.of());
        assertThat(promote.requests()).containsExactly(
                patch("manual", "/status", MERGE, "{\"status\":{\"pauseConditions\":null}}"),
                patch("manual", "", MERGE, "{\"spec\":{\"paused\":false}}"));
        // As with the plugin: the controller sees the cleared pause while spec.paused is still true, so it drops its
        // controllerPause; once unpaused, the pause step starts over (a fresh CanaryPauseStep), it is not skipped.
        eventually(() -> {
            ObjectNode r = rollout("manual");
            assertThat(r.at("/spec/paused").asBoolean()).isFalse();
            assertThat(r.at("/status/message").asText()).as(phase(r)).isNotEqualTo("manually paused");
            assertPausedAt("manual", 1);
        });
        // now that it is no longer paused by hand, a promote is the plain one and advances a step
        CommandResult again = run(Action.PROMOTE, "manual", Map.of());
        assertThat(again.requests()).containsExactly(patch("manual", "/status", MERGE, "{\"status\":{\"pauseConditions\":null}}"));
        eventually(() -> assertPausedAt("manual", 3));
    }

    @Test
    void restartSetsRestartAtAndTheControllerRestartsThePods() {
        healthy("restartable", Sim.rollout("restartable", "1.0", 2, STEPS));
        List<String> podsBefore = pods("restartable");
        assertThat(podsBefore).hasSize(2);
        // restartAt has whole seconds: let the pods be older than the next one
        Instant created = sim.clock().now();
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.clock().now().isAfter(created.plusSeconds(2)));
        CommandResult restart = run(Action.RESTART, "restartable", Map.of());
        assertThat(restart.requests()).hasSize(1);
        PlannedRequest p = restart.requests().get(0);
        assertThat(p.path()).isEqualTo(BASE + "restartable");
        assertThat(p.contentType()).isEqualTo(MERGE);
        assertThat(p.body()).matches("\\{\"spec\":\\{\"restartAt\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"}}");
        String at = Sim.parse(p.body()).at("/spec/restartAt").asText();
        eventually(() -> {
            ObjectNode r = rollout("restartable");
            assertThat(r.at("/spec/restartAt").asText()).isEqualTo(at);
            assertThat(r.at("/status/restartedAt").asText()).as(phase(r)).isEqualTo(at);
            assertThat(r.at("/status/phase").asText()).as(phase(r)).isEqualTo("Healthy");
            assertThat(pods("restartable")).hasSize(2).doesNotContainAnyElementsOf(podsBefore);
        });
    }

    @Test
    void undoReplacesTheTemplateWithoutTheHashLabelAndLeavesAnnotationsAlone() {
        ObjectNode v1 = Sim.rollout("undoable", "1.0", 2, STEPS);
        v1.withObject("/metadata/annotations").put("team.example.com/owner", "payments");
        healthy("undoable", v1);
        ObjectNode v2 = Sim.rollout("undoable", "1.1", 2, STEPS);
        v2.withObject("/metadata/annotations").put("team.example.com/owner", "payments");
        String canary = pausedAtFirstStep("undoable", v2);
        run(Action.PROMOTE_FULL, "undoable", Map.of());
        eventually(() -> assertThat(rollout("undoable").at("/status/stableRS").asText()).isEqualTo(canary)
                .isEqualTo(rollout("undoable").at("/status/currentPodHash").asText()));
        ObjectNode before = rollout("undoable");

        CommandResult undo = run(Action.RESTORE_VERSION, "undoable", Map.of());
        assertThat(undo.message()).isEqualTo("restore undoable to version 1.0 (revision 1)");
        assertThat(undo.requests()).hasSize(1);
        PlannedRequest p = undo.requests().get(0);
        assertThat(p.method() + " " + p.path() + " " + p.contentType()).isEqualTo("PATCH " + BASE + "undoable application/json-patch+json");
        JsonNode ops = Sim.parse(p.body());
        assertThat(ops).hasSize(2);
        assertThat(ops.get(0).toString()).isEqualTo("{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + Sim.rv(before) + "\"}");
        assertThat(ops.get(1).path("op").asText()).isEqualTo("replace");
        assertThat(ops.get(1).path("path").asText()).isEqualTo("/spec/template");
        // the 1.0 template exactly as it was applied: the rollouts-pod-template-hash label dropped, nothing else changed
        assertThat(ops.get(1).path("value")).isEqualTo(v1.at("/spec/template"));

        eventually(() -> {
            ObjectNode r = rollout("undoable");
            assertThat(Sim.version(r)).isEqualTo("1.0");
            assertThat(r.at("/metadata/annotations/team.example.com~1owner").asText()).isEqualTo("payments");
            assertThat(r.at("/metadata/annotations/rollout.argoproj.io~1revision").asText()).as(phase(r)).isEqualTo("3");
            assertPausedAt("undoable", 1);
        });
        // the 1.0 ReplicaSet is reused as revision 3 (max + 1)
        String oldHash = before.at("/status/stableRS").asText();
        assertThat(rollout("undoable").at("/status/currentPodHash").asText()).isNotEqualTo(oldHash);
        String restoredHash = rollout("undoable").at("/status/currentPodHash").asText();
        assertThat(Sim.get(cluster, dev.shipdeck.sim.Resources.REPLICA_SETS, "undoable-" + restoredHash)
                .at("/metadata/annotations/rollout.argoproj.io~1revision").asText()).isEqualTo("3");
        assertThat(Sim.replicaSets(cluster, rollout("undoable"))).hasSize(2);
    }

    @Test
    void scaleUsesTheScaleSubresource() {
        healthy("scalable", Sim.rollout("scalable", "1.0", 2, STEPS));
        CommandResult scale = run(Action.SCALE, "scalable", Map.of("replicas", "4"));
        // as kubectl scale --resource-version: the count and the resourceVersion it was computed from (sent again, with
        // the fresh one, when only the status moved in between)
        assertThat(scale.requests()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.method()).isEqualTo("PATCH");
            assertThat(p.path()).isEqualTo(patch("scalable", "/scale", MERGE, "").path());
            assertThat(p.contentType()).isEqualTo(MERGE);
            assertThat(Sim.parse(p.body()).at("/spec/replicas").asInt()).isEqualTo(4);
            assertThat(Sim.parse(p.body()).at("/metadata/resourceVersion").asText()).isNotEmpty();
            assertThat(Sim.parse(p.body()).size()).isEqualTo(2);
        });
        eventually(() -> {
            ObjectNode r = rollout("scalable");
            assertThat(r.at("/spec/replicas").asInt()).isEqualTo(4);
            assertThat(r.at("/status/availableReplicas").asInt()).as(phase(r)).isEqualTo(4);
        });
    }

    @Test
    void withoutTheStatusSubresourceCancelFallsBackToAPlainPatchLikeThePlugin() {
        healthy("legacy", Sim.rollout("legacy", "1.0", 2, STEPS));
        pausedAtFirstStep("legacy", Sim.rollout("legacy", "1.1", 2, STEPS));
        cluster.faults().fail(c -> c.method().equals("PATCH") && c.path().endsWith("/rollouts/legacy/status"), 404, 1);
        CommandResult cancel = run(Action.CANCEL, "legacy", Map.of());
        assertThat(cancel.requests()).containsExactly(
                patch("legacy", "/status", MERGE, "{\"status\":{\"abort\":true}}"),
                patch("legacy", "", MERGE, "{\"status\":{\"abort\":true}}"));

        cluster.faults().fail(c -> c.method().equals("PATCH") && c.path().endsWith("/rollouts/legacy/status"), 404, 1);
        CommandResult promote = admin.commands().run(CommandRequest.of(Action.PROMOTE_FULL, ENV, "legacy", Map.of()));
        // (the sim keeps its status subresource, so the cancel above did not abort; promote full still applies)
        assertThat(promote.requests()).containsExactly(
                patch("legacy", "/status", MERGE, "{\"status\":{\"promoteFull\":true}}"),
                patch("legacy", "", MERGE, "{\"spec\":{\"paused\":false},\"status\":{\"promoteFull\":true}}"));
    }
}

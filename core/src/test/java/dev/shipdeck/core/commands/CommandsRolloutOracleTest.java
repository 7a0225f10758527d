package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.TestCluster;
import dev.shipdeck.sim.testing.TestCluster.Kind;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Argo Rollouts kubectl plugin is the oracle: twin canary Rollouts in two namespaces are shipped the same way;
 * one twin is then changed by {@code kubectl argo rollouts promote [--full] / abort / retry / undo / restart}, the
 * other by Shipdeck. After the Argo controller has acted on both, the Rollouts (spec, revision, status: phase, step,
 * pause conditions, abort, stable and current hash, replica counts) and their ReplicaSets must be the same,
 * timestamps aside. Runs where the plugin is on the PATH (the real tier), against the real Argo controller there.
 */
@Tag("real")
class CommandsRolloutOracleTest {
    private static final String SHIPDECK = "shipdeck";
    private static final String[] STEPS = {"{\"setWeight\":20}", "{\"pause\":{}}", "{\"setWeight\":60}", "{\"pause\":{}}"};
    private static final String HASH = "rollouts-pod-template-hash";

    @TempDir
    static Path dir;
    private static TestCluster cluster;
    private static String byPlugin;
    private static String byShipdeck;
    private static Kubectl kubectl;
    private static Sim.Connection shipdeck;

    @BeforeAll
    static void start() {
        Kubectl.assumeArgoPlugin();
        cluster = TestCluster.builder().context("argo").tag("roracle").speed(20).rollouts().start(dir);
        byPlugin = cluster.ns("by-plugin");
        byShipdeck = cluster.ns("by-shipdeck");
        kubectl = cluster.kubectl(dir.resolve("kube-cache"));
        shipdeck = Sim.connect(cluster, TestCluster.ADMIN, Clock.systemUTC(),
                Sim.environment(dir.resolve("environments.yaml"), cluster.context(), SHIPDECK, byShipdeck));
    }

    @AfterAll
    static void stop() {
        if (shipdeck != null) shipdeck.close();
        if (cluster != null) cluster.close();
    }

    // ------------------------------------------------------------------ helpers

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(cluster.patience()).pollInterval(Duration.ofMillis(200)).untilAsserted(assertion);
    }

    private static ObjectNode rollout(String ns, String name) {
        return cluster.get(Kind.ROLLOUTS, ns, name);
    }

    private static String describe(JsonNode r) {
        return r.at("/status/phase").asText() + " step " + r.at("/status/currentStepIndex").asText() + " pauses " + r.at("/status/pauseConditions")
                + " abort " + r.at("/status/abort").asBoolean() + " stable " + r.at("/status/stableRS").asText()
                + " current " + r.at("/status/currentPodHash").asText() + " message " + r.at("/status/message").asText();
    }

    /** Ships {@code version} of twin {@code name} to both namespaces. */
    private static void ship(String name, String version) {
        for (String ns : List.of(byPlugin, byShipdeck)) {
            ObjectNode r = Sim.rollout(name, version, 5, STEPS);
            ((ObjectNode) r.get("metadata")).put("namespace", ns);
            cluster.apply(Sim.stream(List.of(r)));
        }
    }

    private static void awaitBoth(String name, String phase, int step) {
        eventually(() -> {
            for (String ns : List.of(byPlugin, byShipdeck)) {
                ObjectNode r = rollout(ns, name);
                assertThat(r.at("/status/phase").asText()).as("%s/%s: %s", ns, name, describe(r)).isEqualTo(phase);
                if (step >= 0) assertThat(r.at("/status/currentStepIndex").asInt()).as("%s/%s: %s", ns, name, describe(r)).isEqualTo(step);
                assertThat(r.at("/status/observedGeneration").asText()).as("%s/%s observed", ns, name)
                        .isEqualTo(r.at("/metadata/generation").asText());
            }
        });
    }

    /** Twin {@code name} healthy at 1.0, then 1.1 paused at its first pause step (20 %). */
    private static void pausedCanary(String name) {
        ship(name, "1.0");
        awaitBoth(name, "Healthy", -1);
        ship(name, "1.1");
        awaitBoth(name, "Paused", 1);
        assertSame(name);
    }

    private static void plugin(String... args) {
        List<String> all = new ArrayList<>(List.of("argo", "rollouts"));
        all.addAll(List.of(args));
        all.addAll(List.of("-n", byPlugin));
        Kubectl.Result r = kubectl.plugin(all.toArray(String[]::new));
        assertThat(r.ok()).as("%s", r).isTrue();
    }

    private static CommandResult shipdeck(Action a, String name) {
        CommandResult r = shipdeck.commands().run(CommandRequest.of(a, SHIPDECK, name, Map.of()));
        assertThat(r.outcome()).as("%s: %s", a, r.message()).isEqualTo(Outcome.SUCCEEDED);
        return r;
    }

    /** What the plugin and Shipdeck must agree on, without timestamps. */
    private static ObjectNode comparable(ObjectNode r) {
        ObjectNode out = Sim.JSON.createObjectNode();
        ObjectNode spec = r.get("spec").deepCopy();
        if (spec.has("restartAt")) spec.put("restartAt", "<time>");
        out.set("spec", spec);
        out.put("generation", r.at("/metadata/generation").asLong());
        out.put("revision", r.at("/metadata/annotations/rollout.argoproj.io~1revision").asText());
        JsonNode st = r.path("status");
        ObjectNode status = out.putObject("status");
        for (String f : List.of("phase", "message", "currentStepIndex", "abort", "promoteFull", "stableRS", "currentPodHash", "replicas",
                "updatedReplicas", "readyReplicas", "availableReplicas", "observedGeneration", "controllerPause")) {
            if (st.has(f)) status.set(f, st.get(f));
        }
        if (st.has("restartedAt")) status.put("restartedAt", "<time>");
        ArrayNode pauses = status.putArray("pauseConditions");
        st.path("pauseConditions").forEach(p -> pauses.add(p.path("reason").asText()));
        ObjectNode conditions = status.putObject("conditions");
        st.path("conditions").forEach(c -> conditions.put(c.path("type").asText(), c.path("status").asText() + " " + c.path("reason").asText()));
        return out;
    }

    /** hash → replicas and revision of the twin's ReplicaSets. */
    private static Map<String, String> replicaSets(String ns, ObjectNode owner) {
        Map<String, String> out = new TreeMap<>();
        Sim.replicaSets(cluster, ns, owner).values().forEach(rs -> out.put(rs.at("/metadata/labels/" + HASH).asText(),
                Sim.version(rs) + " x" + rs.at("/spec/replicas").asLong() + " revision " + rs.at("/metadata/annotations/rollout.argoproj.io~1revision").asText()));
        return out;
    }

    private static void assertSame(String name) {
        eventually(() -> {
            ObjectNode p = rollout(byPlugin, name);
            ObjectNode s = rollout(byShipdeck, name);
            assertThat(comparable(s)).as("Rollout %s (Shipdeck vs plugin)", name).isEqualTo(comparable(p));
            assertThat(replicaSets(byShipdeck, s)).as("ReplicaSets of %s", name).isEqualTo(replicaSets(byPlugin, p));
        });
    }

    // ------------------------------------------------------------------ tests

    @Test
    void promoteAndPromoteFullLikeThePlugin() {
        pausedCanary("promote");

        plugin("promote", "promote");
        shipdeck(Action.PROMOTE, "promote");
        awaitBoth("promote", "Paused", 3);
        assertSame("promote");

        plugin("promote", "promote", "--full");
        shipdeck(Action.PROMOTE_FULL, "promote");
        awaitBoth("promote", "Healthy", 4);
        assertSame("promote");
    }

    @Test
    void abortThenRetryLikeThePlugin() {
        pausedCanary("abort");

        plugin("abort", "abort");
        shipdeck(Action.CANCEL, "abort");
        awaitBoth("abort", "Degraded", -1);
        assertSame("abort");
        assertThat(rollout(byShipdeck, "abort").at("/status/abort").asBoolean()).isTrue();

        plugin("retry", "rollout", "abort");
        shipdeck(Action.RETRY, "abort");
        awaitBoth("abort", "Paused", 1);
        assertSame("abort");
    }

    @Test
    void undoLikeThePlugin() {
        pausedCanary("undo");
        for (String ns : List.of(byPlugin, byShipdeck)) {
            Kubectl.Result full = kubectl.plugin("argo", "rollouts", "promote", "undo", "--full", "-n", ns);
            assertThat(full.ok()).as("%s", full).isTrue();
        }
        awaitBoth("undo", "Healthy", 4);

        plugin("undo", "undo");
        CommandResult r = shipdeck(Action.RESTORE_VERSION, "undo");
        assertThat(r.message()).isEqualTo("restore undo to version 1.0 (revision 1)");
        awaitBoth("undo", "Paused", 1);
        assertSame("undo");
        assertThat(Sim.version(rollout(byShipdeck, "undo"))).isEqualTo("1.0");
    }

    @Test
    void restartLikeThePlugin() {
        ship("restart", "1.0");
        awaitBoth("restart", "Healthy", -1);
        List<String> before = pods(byShipdeck, "restart");
        // restartAt has whole seconds and Argo restarts the pods created before it: let the pods be older than the next second
        java.time.Instant created = cluster.list(Kind.PODS, byShipdeck).stream().map(p -> java.time.Instant.parse(p.at("/metadata/creationTimestamp").asText()))
                .max(java.util.Comparator.naturalOrder()).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> java.time.Instant.now().isAfter(created.plusSeconds(2)));

        plugin("restart", "restart");
        shipdeck(Action.RESTART, "restart");
        eventually(() -> {
            for (String ns : List.of(byPlugin, byShipdeck)) {
                ObjectNode r = rollout(ns, "restart");
                assertThat(r.at("/spec/restartAt").asText()).as("%s: %s", ns, describe(r)).isNotEmpty();
                assertThat(r.at("/status/restartedAt").asText()).as("%s: %s", ns, describe(r)).isEqualTo(r.at("/spec/restartAt").asText());
                assertThat(r.at("/status/phase").asText()).as("%s: %s", ns, describe(r)).isEqualTo("Healthy");
            }
            assertThat(pods(byShipdeck, "restart")).hasSize(5).doesNotContainAnyElementsOf(before);
        });
        assertSame("restart");
    }

    private static List<String> pods(String ns, String app) {
        return cluster.list(Kind.PODS, ns).stream()
                .filter(p -> app.equals(p.at("/metadata/labels/app").asText()) && p.at("/metadata/deletionTimestamp").isMissingNode())
                .map(p -> p.at("/metadata/name").asText()).sorted().toList();
    }
}

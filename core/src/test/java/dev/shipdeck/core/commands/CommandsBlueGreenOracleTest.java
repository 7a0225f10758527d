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
 * The Argo Rollouts kubectl plugin as the oracle for blue-green: twin blue-green Rollouts (autoPromotionEnabled false,
 * each with its active and preview Service, applied first) in two namespaces are shipped to 1.1 and wait for
 * promotion; one twin is then changed by {@code kubectl argo rollouts promote [--full] / abort / retry / undo}, the
 * other by Shipdeck. After the controller has acted on both, the Rollouts (spec, revision, phase, message, pause
 * conditions, abort, stable/current hash, status.blueGreen selectors, counts, conditions), the Services' selectors
 * (as pod template hashes) and the ReplicaSets must be the same, timestamps aside. Where the plugin is on the PATH:
 * against cluster-sim, and in the real tier against the real Argo controller.
 */
@Tag("real")
class CommandsBlueGreenOracleTest {
    private static final String SHIPDECK = "shipdeck";
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
        cluster = TestCluster.builder().context("argo").tag("bgoracle").speed(20).rollouts().start(dir);
        byPlugin = cluster.ns("bg-by-plugin");
        byShipdeck = cluster.ns("bg-by-shipdeck");
        kubectl = cluster.kubectl(dir.resolve("kube-cache"));
        shipdeck = Sim.connect(cluster, TestCluster.ADMIN, Clock.systemUTC(),
                Sim.environment(dir.resolve("environments.yaml"), cluster.context(), SHIPDECK, byShipdeck));
    }

    @AfterAll
    static void stop() {
        if (shipdeck != null) shipdeck.close();
        if (cluster != null) cluster.close();
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(cluster.patience()).pollInterval(Duration.ofMillis(200)).untilAsserted(assertion);
    }

    private static ObjectNode rollout(String ns, String name) {
        return cluster.get(Kind.ROLLOUTS, ns, name);
    }

    private static String describe(JsonNode r) {
        return r.at("/status/phase").asText() + " " + r.at("/status/message").asText() + " pauses " + r.at("/status/pauseConditions")
                + " abort " + r.at("/status/abort").asBoolean() + " stable " + r.at("/status/stableRS").asText()
                + " current " + r.at("/status/currentPodHash").asText() + " blueGreen " + r.at("/status/blueGreen");
    }

    private static ObjectNode blueGreen(String name, String version, String ns) {
        ObjectNode r = Sim.rollout(name, version, 2);
        ObjectNode strategy = r.withObject("/spec").putObject("strategy");
        strategy.putObject("blueGreen").put("activeService", name + "-active").put("previewService", name + "-preview")
                .put("autoPromotionEnabled", false).put("scaleDownDelaySeconds", 600).put("abortScaleDownDelaySeconds", 600);
        ((ObjectNode) r.get("metadata")).put("namespace", ns);
        return r;
    }

    /** The Services of twin {@code name} in both namespaces, applied on their own and there before the Rollouts. */
    private static void services(String name) {
        for (String ns : List.of(byPlugin, byShipdeck)) {
            for (String role : List.of("active", "preview")) {
                ObjectNode svc = Sim.JSON.createObjectNode();
                svc.put("apiVersion", "v1").put("kind", "Service");
                svc.putObject("metadata").put("name", name + "-" + role).put("namespace", ns);
                ObjectNode spec = svc.putObject("spec");
                spec.putObject("selector").put("app", name);
                spec.putArray("ports").addObject().put("port", 80);
                cluster.apply(svc.toString());
            }
        }
        eventually(() -> {
            for (String ns : List.of(byPlugin, byShipdeck)) assertThat(cluster.get(Kind.SERVICES, ns, name + "-preview")).isNotNull();
        });
    }

    private static void ship(String name, String version) {
        for (String ns : List.of(byPlugin, byShipdeck)) cluster.apply(blueGreen(name, version, ns).toString());
    }

    private static void awaitBoth(String name, String phase) {
        eventually(() -> {
            for (String ns : List.of(byPlugin, byShipdeck)) {
                ObjectNode r = rollout(ns, name);
                assertThat(r.at("/status/phase").asText()).as("%s/%s: %s", ns, name, describe(r)).isEqualTo(phase);
                assertThat(r.at("/status/observedGeneration").asText()).as("%s/%s observed", ns, name)
                        .isEqualTo(r.at("/metadata/generation").asText());
            }
        });
    }

    /** Twin {@code name} healthy at 1.0, then 1.1 paused for promotion with its preview ready. */
    private static void pausedForPromotion(String name) {
        services(name);
        ship(name, "1.0");
        awaitBoth(name, "Healthy");
        ship(name, "1.1");
        awaitBoth(name, "Paused");
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

    /** What the plugin and Shipdeck must agree on, without timestamps; selectors as the version they select. */
    private static ObjectNode comparable(String ns, ObjectNode r) {
        Map<String, String> versions = new TreeMap<>();
        Sim.replicaSets(cluster, ns, r).values().forEach(rs -> versions.put(rs.at("/metadata/labels/" + HASH).asText(), Sim.version(rs)));
        ObjectNode out = Sim.JSON.createObjectNode();
        ObjectNode spec = r.get("spec").deepCopy();
        // the plugin's undo sends the template as Go serializes it ("creationTimestamp": null, "resources": {}); the real
        // API server prunes the null, cluster-sim keeps both: compare the template without them
        if (spec.at("/template/metadata") instanceof ObjectNode tm && tm.path("creationTimestamp").isNull()) tm.remove("creationTimestamp");
        spec.at("/template/spec/containers").forEach(c -> {
            if (c.path("resources").isObject() && c.path("resources").isEmpty()) ((ObjectNode) c).remove("resources");
        });
        out.set("spec", spec);
        out.put("generation", r.at("/metadata/generation").asLong());
        out.put("revision", r.at("/metadata/annotations/rollout.argoproj.io~1revision").asText());
        JsonNode st = r.path("status");
        ObjectNode status = out.putObject("status");
        for (String f : List.of("phase", "message", "abort", "promoteFull", "replicas", "updatedReplicas", "readyReplicas",
                "availableReplicas", "observedGeneration", "controllerPause")) {
            if (st.has(f)) status.set(f, st.get(f));
        }
        for (String f : List.of("stableRS", "currentPodHash")) status.put(f, versions.getOrDefault(st.path(f).asText(), st.path(f).asText()));
        for (String f : List.of("activeSelector", "previewSelector")) {
            String hash = st.path("blueGreen").path(f).asText();
            status.put(f, versions.getOrDefault(hash, hash));
        }
        ArrayNode pauses = status.putArray("pauseConditions");
        st.path("pauseConditions").forEach(p -> pauses.add(p.path("reason").asText()));
        ObjectNode conditions = status.putObject("conditions");
        st.path("conditions").forEach(c -> conditions.put(c.path("type").asText(), c.path("status").asText() + " " + c.path("reason").asText()));
        for (String role : List.of("active", "preview")) {
            String name = r.at("/metadata/name").asText() + "-" + role;
            String hash = cluster.get(Kind.SERVICES, ns, name).at("/spec/selector/" + HASH).asText();
            out.put(role + "Service", versions.getOrDefault(hash, hash));
        }
        return out;
    }

    /** version → replicas and revision of the twin's ReplicaSets. */
    private static Map<String, String> replicaSets(String ns, ObjectNode owner) {
        Map<String, String> out = new TreeMap<>();
        Sim.replicaSets(cluster, ns, owner).values().forEach(rs -> out.put(Sim.version(rs),
                "x" + rs.at("/spec/replicas").asLong() + " revision " + rs.at("/metadata/annotations/rollout.argoproj.io~1revision").asText()));
        return out;
    }

    private static void assertSame(String name) {
        eventually(() -> {
            ObjectNode p = rollout(byPlugin, name);
            ObjectNode s = rollout(byShipdeck, name);
            assertThat(comparable(byShipdeck, s)).as("Rollout %s (Shipdeck vs plugin)", name).isEqualTo(comparable(byPlugin, p));
            assertThat(replicaSets(byShipdeck, s)).as("ReplicaSets of %s", name).isEqualTo(replicaSets(byPlugin, p));
        });
    }

    @Test
    void promoteLikeThePlugin() {
        pausedForPromotion("promote");

        plugin("promote", "promote");
        CommandResult r = shipdeck(Action.PROMOTE, "promote");
        assertThat(r.message()).contains("promote promote");
        awaitBoth("promote", "Healthy");
        assertSame("promote");
        assertThat(comparable(byShipdeck, rollout(byShipdeck, "promote")).path("activeService").asText()).isEqualTo("1.1");
    }

    @Test
    void promoteFullLikeThePlugin() {
        pausedForPromotion("full");

        plugin("promote", "full", "--full");
        shipdeck(Action.PROMOTE_FULL, "full");
        awaitBoth("full", "Healthy");
        assertSame("full");
    }

    @Test
    void abortThenRetryLikeThePlugin() {
        pausedForPromotion("abort");

        plugin("abort", "abort");
        shipdeck(Action.CANCEL, "abort");
        awaitBoth("abort", "Degraded");
        assertSame("abort");
        assertThat(comparable(byShipdeck, rollout(byShipdeck, "abort")).path("activeService").asText()).isEqualTo("1.0");

        plugin("retry", "rollout", "abort");
        shipdeck(Action.RETRY, "abort");
        eventually(() -> {
            for (String ns : List.of(byPlugin, byShipdeck)) {
                assertThat(rollout(ns, "abort").at("/status/abort").asBoolean()).as(ns).isFalse();
                assertThat(rollout(ns, "abort").at("/status/phase").asText()).as(ns).isNotEqualTo("Degraded");
            }
        });
        assertSame("abort");
    }

    @Test
    void undoLikeThePlugin() {
        pausedForPromotion("undo");
        plugin("promote", "undo");
        shipdeck(Action.PROMOTE, "undo");
        awaitBoth("undo", "Healthy");

        plugin("undo", "undo");
        CommandResult r = shipdeck(Action.RESTORE_VERSION, "undo");
        assertThat(r.message()).isEqualTo("restore undo to version 1.0 (revision 1)");
        eventually(() -> {
            for (String ns : List.of(byPlugin, byShipdeck)) assertThat(Sim.version(rollout(ns, "undo"))).isEqualTo("1.0");
        });
        assertSame("undo");
    }
}

package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.TestCluster;
import dev.shipdeck.sim.testing.TestCluster.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sim fidelity: the same sequence of manifests and commands — ship, {@code kubectl set image}, a never-ready version
 * past its progress deadline, undo, restart, scale; a canary shipped, paused, promoted, aborted, retried and promoted
 * fully — runs against cluster-sim and against the real control plane, and at every step what Shipdeck reads must be
 * the same: its status verdict, the workload's status fields and conditions, revisions, which ReplicaSet each revision
 * runs on (reuse included), and the Rollout's phase, step, pause conditions, abort and stable/current ReplicaSet.
 * What is left out of the comparison on purpose is listed in cluster-sim/README.md ("Measured against the real
 * control plane").
 */
@Tag("real")
class SimFidelityTest {
    private static final String ENV = "fidelity";
    private static final String[] STEPS = {"{\"setWeight\":20}", "{\"pause\":{}}", "{\"setWeight\":60}", "{\"pause\":{}}"};

    @TempDir
    static Path dir;
    private static Side sim;
    private static Side real;

    /** One cluster under test, as Shipdeck and kubectl see it. */
    private record Side(String label, TestCluster cluster, String ns, Kubectl kubectl, Sim.Connection shipdeck,
                        ClusterReader reader, Environment env, Map<String, String> hashNames) {
        static Side of(String label, TestCluster cluster, Path dir) {
            String ns = cluster.ns("fidelity");
            try {
                java.nio.file.Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Sim.Connection c = Sim.connect(cluster, TestCluster.ADMIN, Clock.systemUTC(), Sim.environment(dir.resolve("environments.yaml"), cluster.context(), ENV, ns));
            return new Side(label, cluster, ns, cluster.kubectl(dir.resolve("kube-cache")), c, new ClusterReader(c.clients()),
                    new Environment(ENV, cluster.context(), ENV, List.of(ns), Labels.NONE, 0), new LinkedHashMap<>());
        }

        void apply(ObjectNode workload) {
            ((ObjectNode) workload.get("metadata")).put("namespace", ns);
            cluster.apply(Sim.stream(List.of(workload)));
        }

        void kubectl(String... args) {
            List<String> all = new ArrayList<>(List.of("--context", cluster.context(), "-n", ns));
            all.addAll(List.of(args));
            Kubectl.Result r = kubectl.run(all.toArray(String[]::new));
            assertThat(r.ok()).as("%s: %s", label, r).isTrue();
        }

        void run(Action a, String component, Map<String, String> args) {
            CommandResult r = shipdeck.commands().run(CommandRequest.of(a, ENV, component, args));
            assertThat(r.outcome()).as("%s: %s %s: %s", label, a, component, r.message()).isEqualTo(Outcome.SUCCEEDED);
        }

        Component component(String name) {
            EnvironmentSnapshot s = reader.read(env);
            assertThat(s.connection().connected()).as("%s: %s", label, s.connection().describe()).isTrue();
            return s.components().stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(label + ": no component " + name));
        }

        List<Release> releases(String name) {
            return reader.read(env).releases().stream().filter(r -> r.component().equals(name))
                    .sorted(Comparator.comparingLong(Release::revision)).toList();
        }

        /** A stable name per pod-template hash, in the order this side first saw them (A, B, C…). */
        String hashName(String hash) {
            if (hash == null || hash.isEmpty()) return "";
            return hashNames.computeIfAbsent(hash, h -> String.valueOf((char) ('A' + hashNames.size())));
        }

        void close() {
            shipdeck.close();
            cluster.close();
        }
    }

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        TestCluster r = TestCluster.builder().context(ENV).tag("fidelity").rollouts().startReal(dir.resolve("real"));
        real = Side.of("real", r, dir.resolve("real"));
        sim = Side.of("cluster-sim", TestCluster.builder().context(ENV).speed(20).rollouts().startSim(dir.resolve("sim")), dir.resolve("sim"));
    }

    @AfterAll
    static void stop() {
        for (Side s : new Side[] {sim, real}) {
            if (s != null) s.close();
        }
    }

    // ------------------------------------------------------------------ the sequences

    private final List<String> differences = new ArrayList<>();

    @Test
    void aDeploymentThroughShipSetImageDeadlineUndoRestartAndScale() {
        both(s -> s.apply(deployment("web", "1.0", 3, false)));
        settled("web", "1.0 shipped");

        both(s -> s.kubectl("set", "image", "deploy/web", "app=registry.example.com/team/web:1.1"));
        settled("web", "kubectl set image 1.1");

        both(s -> s.apply(deployment("web", "1.2", 3, true)));
        awaitBoth("web", "1.2 never ready: past its progress deadline", c -> c.status() == ReleaseStatus.FAILED);
        compareDeployment("web", "1.2 never ready: past its progress deadline");

        both(s -> s.run(Action.RESTORE_VERSION, "web", Map.of()));
        settled("web", "undo to 1.1 (its ReplicaSet reused)");

        both(s -> s.run(Action.RESTART, "web", Map.of()));
        settled("web", "restart");

        both(s -> s.run(Action.SCALE, "web", Map.of("replicas", "5")));
        settled("web", "scale to 5");

        assertThat(differences).as("what Shipdeck reads from cluster-sim and from the real control plane").isEmpty();
    }

    @Test
    void aCanaryThroughStepsPromoteAbortRetryAndPromoteFull() {
        both(s -> s.apply(Sim.rollout("cart", "1.0", 5, STEPS)));
        rolloutAt("cart", "1.0 shipped", "Healthy", -1);

        both(s -> s.apply(Sim.rollout("cart", "1.1", 5, STEPS)));
        rolloutAt("cart", "1.1 paused at the first pause", "Paused", 1);

        both(s -> s.run(Action.PROMOTE, "cart", Map.of()));
        rolloutAt("cart", "promoted to the second pause", "Paused", 3);

        both(s -> s.run(Action.CANCEL, "cart", Map.of()));
        rolloutAt("cart", "aborted", "Degraded", -1);

        both(s -> s.run(Action.RETRY, "cart", Map.of()));
        rolloutAt("cart", "retried", "Paused", 1);

        both(s -> s.run(Action.PROMOTE_FULL, "cart", Map.of()));
        rolloutAt("cart", "promoted fully", "Healthy", -1);

        assertThat(differences).as("what Shipdeck reads from cluster-sim and from the real control plane").isEmpty();
    }

    // ------------------------------------------------------------------ steps

    private static void both(java.util.function.Consumer<Side> step) {
        step.accept(sim);
        step.accept(real);
    }

    private static ObjectNode deployment(String name, String version, int replicas, boolean neverReady) {
        ObjectNode d = Sim.deployment(name, version, replicas);
        // the version is the image tag, so that kubectl set image ships a new one
        ((ObjectNode) d.at("/spec/template/metadata/labels")).remove("shipdeck.dev/version");
        ((ObjectNode) d.get("spec")).put("progressDeadlineSeconds", 10);
        if (neverReady) TestCluster.neverReady((ObjectNode) d.at("/spec/template"));
        return d;
    }

    private void settled(String name, String step) {
        for (Side s : List.of(sim, real)) Sim.awaitDeploymentSettled(s.cluster(), s.ns(), name);
        awaitBoth(name, step, c -> c.status() == ReleaseStatus.SUCCESS);
        compareDeployment(name, step);
    }

    private static void awaitBoth(String name, String step, Predicate<Component> done) {
        for (Side s : List.of(sim, real)) {
            await().atMost(s.cluster().patience()).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(done.test(s.component(name))).as("%s: %s: %s", s.label(), step, s.component(name).verdict()).isTrue());
        }
    }

    private void rolloutAt(String name, String step, String phase, int stepIndex) {
        for (Side s : List.of(sim, real)) {
            await().atMost(s.cluster().patience()).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
                ObjectNode r = s.cluster().get(Kind.ROLLOUTS, s.ns(), name);
                assertThat(r.at("/status/phase").asText()).as("%s: %s: %s", s.label(), step, r.path("status")).isEqualTo(phase);
                assertThat(r.at("/status/observedGeneration").asText()).as("%s observed", s.label()).isEqualTo(r.at("/metadata/generation").asText());
                if (stepIndex >= 0) assertThat(r.at("/status/currentStepIndex").asInt()).as("%s: %s", s.label(), step).isEqualTo(stepIndex);
                // the ReplicaSets have caught up with the step (the canary's weight in replicas)
                assertThat(rolloutReplicaSetsSettled(s, r)).as("%s: %s: ReplicaSets settled", s.label(), step).isTrue();
            });
        }
        compare(step, projectRollout(sim, name), projectRollout(real, name));
    }

    private static boolean rolloutReplicaSetsSettled(Side s, ObjectNode r) {
        for (ObjectNode rs : Sim.replicaSets(s.cluster(), s.ns(), r).values()) {
            if (rs.at("/spec/replicas").asLong() != rs.at("/status/availableReplicas").asLong(0)) return false;
            if (rs.at("/status/replicas").asLong(0) != rs.at("/spec/replicas").asLong()) return false;
        }
        return true;
    }

    private void compareDeployment(String name, String step) {
        compare(step, projectDeployment(sim, name), projectDeployment(real, name));
    }

    private void compare(String step, Map<String, String> simulated, Map<String, String> actual) {
        for (String key : union(simulated, actual)) {
            String a = simulated.getOrDefault(key, "<none>");
            String b = actual.getOrDefault(key, "<none>");
            if (!a.equals(b)) differences.add(step + ": " + key + ": cluster-sim " + a + " | real " + b);
        }
    }

    private static List<String> union(Map<String, String> a, Map<String, String> b) {
        TreeMap<String, String> all = new TreeMap<>(a);
        all.putAll(b);
        return List.copyOf(all.keySet());
    }

    // ------------------------------------------------------------------ what is compared

    private static Map<String, String> projectComponent(Side s, String name, Map<String, String> out) {
        Component c = s.component(name);
        Workload w = c.primary();
        out.put("shipdeck.status", c.status().name());
        out.put("shipdeck.verdict", c.verdict().phase() + " | " + c.verdict().message() + " | paused " + c.verdict().paused()
                + " | awaiting " + c.verdict().awaitingPromotion() + " | aborted " + c.verdict().aborted());
        out.put("shipdeck.version", c.version());
        out.put("shipdeck.replicas", "desired " + w.desiredReplicas() + " ready " + w.readyReplicas() + " available " + w.availableReplicas()
                + " updated " + w.updatedReplicas());
        out.put("shipdeck.revision", Long.toString(w.revision()));
        out.put("shipdeck.templateHash", s.hashName(w.templateHash()));
        for (VersionInfo v : w.versions()) {
            out.put("shipdeck.versions[" + v.revision() + "]", v.version() + " on " + s.hashName(v.templateHash()) + " x" + v.replicas()
                    + " ready " + v.readyReplicas() + (v.current() ? " current" : "") + (v.stable() ? " stable" : ""));
        }
        for (Release r : s.releases(name)) {
            out.put("shipdeck.release[" + r.revision() + "]", r.version() + " " + r.status() + (r.rollback() ? " rollback" : "") + " from " + r.previousVersion());
        }
        return out;
    }

    private static Map<String, String> projectDeployment(Side s, String name) {
        Map<String, String> out = new TreeMap<>();
        projectComponent(s, name, out);
        ObjectNode d = s.cluster().get(Kind.DEPLOYMENTS, s.ns(), name);
        JsonNode st = d.path("status");
        out.put("deployment.generationObserved", Boolean.toString(st.path("observedGeneration").asLong() == d.at("/metadata/generation").asLong()));
        for (String f : List.of("replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas")) {
            out.put("deployment.status." + f, Long.toString(st.path(f).asLong(0)));
        }
        conditions(s, st, "deployment.condition.", out);
        out.put("deployment.revision", d.at("/metadata/annotations/deployment.kubernetes.io~1revision").asText());
        for (ObjectNode rs : Sim.replicaSets(s.cluster(), s.ns(), d).values()) {
            String hash = rs.at("/metadata/labels/pod-template-hash").asText();
            out.put("replicaset[" + s.hashName(hash) + "]", "revision " + rs.at("/metadata/annotations/deployment.kubernetes.io~1revision").asText()
                    + " history " + rs.at("/metadata/annotations/deployment.kubernetes.io~1revision-history").asText()
                    + " x" + rs.at("/spec/replicas").asLong() + " ready " + rs.at("/status/readyReplicas").asLong(0)
                    + " available " + rs.at("/status/availableReplicas").asLong(0) + " image " + image(rs));
        }
        return out;
    }

    private static Map<String, String> projectRollout(Side s, String name) {
        Map<String, String> out = new TreeMap<>();
        projectComponent(s, name, out);
        Workload w = s.component(name).primary();
        var p = w.rollout();
        out.put("shipdeck.rollout", "steps " + p.steps() + " at " + p.currentStepIndex() + " weight " + p.weight() + " pause " + p.pauseReason()
                + " aborted " + p.aborted() + " stable " + s.hashName(p.stableHash()) + " current " + s.hashName(p.currentHash())
                + " phase " + p.phase() + " message " + p.message());
        ObjectNode r = s.cluster().get(Kind.ROLLOUTS, s.ns(), name);
        JsonNode st = r.path("status");
        for (String f : List.of("phase", "message", "currentStepIndex", "abort", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas")) {
            out.put("rollout.status." + f, st.path(f).asText("<none>"));
        }
        out.put("rollout.status.stableRS", s.hashName(st.path("stableRS").asText()));
        out.put("rollout.status.currentPodHash", s.hashName(st.path("currentPodHash").asText()));
        List<String> pauses = new ArrayList<>();
        st.path("pauseConditions").forEach(c -> pauses.add(c.path("reason").asText()));
        out.put("rollout.status.pauseConditions", pauses.toString());
        out.put("rollout.status.controllerPause", st.path("controllerPause").asText("false"));
        out.put("rollout.spec.paused", r.at("/spec/paused").asText("false"));
        conditions(s, st, "rollout.condition.", out);
        out.put("rollout.revision", r.at("/metadata/annotations/rollout.argoproj.io~1revision").asText());
        for (ObjectNode rs : Sim.replicaSets(s.cluster(), s.ns(), r).values()) {
            String hash = rs.at("/metadata/labels/rollouts-pod-template-hash").asText();
            out.put("replicaset[" + s.hashName(hash) + "]", "revision " + rs.at("/metadata/annotations/rollout.argoproj.io~1revision").asText()
                    + " x" + rs.at("/spec/replicas").asLong() + " available " + rs.at("/status/availableReplicas").asLong(0) + " image " + image(rs));
        }
        return out;
    }

    /** The conditions; a ReplicaSet's name in a message is written with the side's name for its hash (see hashName). */
    private static void conditions(Side s, JsonNode status, String prefix, Map<String, String> out) {
        for (JsonNode c : status.path("conditions")) {
            String message = c.path("message").asText();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("ReplicaSet \"[a-z0-9-]+-([a-z0-9]+)\"").matcher(message);
            if (m.find()) message = message.replace(m.group(1), "<" + s.hashName(m.group(1)) + ">");
            out.put(prefix + c.path("type").asText(), c.path("status").asText() + " " + c.path("reason").asText() + " | " + message);
        }
    }

    private static String image(JsonNode rs) {
        ArrayNode cs = (ArrayNode) rs.at("/spec/template/spec/containers");
        return cs == null || cs.isEmpty() ? "" : cs.get(0).path("image").asText().replaceFirst(".*:", "");
    }
}

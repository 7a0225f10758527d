package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kubectl is the oracle: two namespaces get the same Deployments, shipped the same way (kubectl apply of 1.0, 1.1,
 * 1.2); one twin is then changed by kubectl ({@code rollout undo [--to-revision]}, {@code rollout restart},
 * {@code scale}), the other by Shipdeck. The Deployments' spec and annotations must come out identical (the restart
 * timestamp aside), and the Deployment controller (cluster-sim's, or the real one in the real tier) must end on the
 * same ReplicaSets with the same revisions.
 */
@Tag("real")
class CommandsDeploymentOracleTest {
    private static final String SHIPDECK = "shipdeck";
    private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    private static final List<String> NAMES = List.of("undo", "undo-rev", "undo-ver", "restart", "scale", "guarded");

    @TempDir
    static Path dir;
    private static TestCluster cluster;
    /** The twins' namespaces: changed by kubectl, and by Shipdeck (its only environment). */
    private static String byKubectl;
    private static String byShipdeck;
    private static Kubectl kubectl;
    private static Sim.Connection shipdeck;

    @BeforeAll
    static void shipThreeVersionsToBothTwins() throws IOException {
        Kubectl.assumeAvailable();
        cluster = TestCluster.builder().context("oracle").tag("doracle").speed(20).start(dir);
        byKubectl = cluster.ns("by-kubectl");
        byShipdeck = cluster.ns("by-shipdeck");
        kubectl = cluster.kubectl(dir.resolve("kube-cache"));
        shipdeck = Sim.connect(cluster, TestCluster.ADMIN, Clock.systemUTC(),
                Sim.environment(dir.resolve("environments.yaml"), cluster.context(), SHIPDECK, byShipdeck));
        for (String version : List.of("1.0", "1.1", "1.2")) {
            List<ObjectNode> items = new ArrayList<>();
            NAMES.forEach(n -> items.add(Sim.withoutNamespace(Sim.deployment(n, version, 2))));
            Path file = Files.writeString(dir.resolve("v" + version + ".yaml"), Sim.stream(items));
            for (String ns : List.of(byKubectl, byShipdeck)) kubectl.out("--context", cluster.context(), "-n", ns, "apply", "-f", file.toString());
            for (String ns : List.of(byKubectl, byShipdeck)) NAMES.forEach(n -> Sim.awaitDeploymentSettled(cluster, ns, n));
        }
        for (String n : NAMES) {
            assertThat(revisions(byShipdeck, n)).containsExactly(entry(1, "1.0", 0), entry(2, "1.1", 0), entry(3, "1.2", 2));
            assertSameState(n, false);
        }
    }

    @AfterAll
    static void stop() {
        if (shipdeck != null) shipdeck.close();
        if (cluster != null) cluster.close();
    }

    private static CommandResult shipdeck(Action a, String component, Map<String, String> args) {
        CommandResult r = shipdeck.commands().run(CommandRequest.of(a, SHIPDECK, component, args));
        assertThat(r.outcome()).as("%s: %s", a, r.message()).isEqualTo(Outcome.SUCCEEDED);
        return r;
    }

    private static void kubectl(String... args) {
        assertThat(kubectlRun(args).ok()).as("kubectl %s", String.join(" ", args)).isTrue();
    }

    private static Kubectl.Result kubectlRun(String... args) {
        List<String> all = new ArrayList<>(List.of("--context", cluster.context(), "-n", byKubectl));
        all.addAll(List.of(args));
        return kubectl.run(all.toArray(String[]::new));
    }

    private static ObjectNode deployment(String ns, String name) {
        return cluster.get(TestCluster.Kind.DEPLOYMENTS, ns, name);
    }

    private static void settle(String name) {
        Sim.awaitDeploymentSettled(cluster, byKubectl, name);
        Sim.awaitDeploymentSettled(cluster, byShipdeck, name);
    }

    @Test
    void undoRestoresThePreviousRevisionLikeKubectlTwice() {
        kubectl("rollout", "undo", "deploy/undo");
        CommandResult r = shipdeck(Action.RESTORE_VERSION, "undo", Map.of());
        assertThat(r.message()).isEqualTo("restore undo to version 1.1 (revision 2)");
        settle("undo");
        assertSameState("undo", false);
        // the 1.1 ReplicaSet is reused as revision 4 (max + 1), its old number kept in revision-history
        assertThat(revisions(byShipdeck, "undo")).containsExactly(entry(1, "1.0", 0), entry(3, "1.2", 0), entry(4, "1.1", 2));
        assertThat(deployment(byShipdeck, "undo").at("/metadata/annotations/kubernetes.io~1change-cause").asText())
                .isEqualTo("deploy 1.1");

        kubectl("rollout", "undo", "deploy/undo");
        assertThat(shipdeck(Action.RESTORE_VERSION, "undo", Map.of()).message()).isEqualTo("restore undo to version 1.2 (revision 3)");
        settle("undo");
        assertSameState("undo", false);
        assertThat(revisions(byShipdeck, "undo")).containsExactly(entry(1, "1.0", 0), entry(4, "1.1", 0), entry(5, "1.2", 2));
    }

    @Test
    void undoToRevisionOneLikeKubectl() {
        kubectl("rollout", "undo", "deploy/undo-rev", "--to-revision=1");
        assertThat(shipdeck(Action.RESTORE_VERSION, "undo-rev", Map.of("toRevision", "1")).message())
                .isEqualTo("restore undo-rev to version 1.0 (revision 1)");
        settle("undo-rev");
        assertSameState("undo-rev", false);
        assertThat(revisions(byShipdeck, "undo-rev")).containsExactly(entry(2, "1.1", 0), entry(3, "1.2", 0), entry(4, "1.0", 2));
    }

    @Test
    void restoreToAVersionIsUndoToItsRevision() {
        kubectl("rollout", "undo", "deploy/undo-ver", "--to-revision=1");
        assertThat(shipdeck(Action.RESTORE_VERSION, "undo-ver", Map.of("toVersion", "1.0")).message())
                .isEqualTo("restore undo-ver to version 1.0 (revision 1)");
        settle("undo-ver");
        assertSameState("undo-ver", false);
        assertThat(revisions(byShipdeck, "undo-ver")).containsExactly(entry(2, "1.1", 0), entry(3, "1.2", 0), entry(4, "1.0", 2));
    }

    @Test
    void restartLikeKubectl() {
        kubectl("rollout", "restart", "deploy/restart");
        CommandResult r = shipdeck(Action.RESTART, "restart", Map.of());
        assertThat(r.requests()).hasSize(1);
        assertThat(r.requests().get(0).contentType()).isEqualTo("application/strategic-merge-patch+json");
        settle("restart");
        assertSameState("restart", true);
        // a new ReplicaSet of the same version at revision 4 (the restart annotation changes the template hash)
        assertThat(revisions(byShipdeck, "restart"))
                .containsExactly(entry(1, "1.0", 0), entry(2, "1.1", 0), entry(3, "1.2", 0), entry(4, "1.2", 2));
        for (String ns : List.of(byKubectl, byShipdeck)) {
            String at = deployment(ns, "restart").at("/spec/template/metadata/annotations").path(RESTARTED_AT).asText();
            assertThat(OffsetDateTime.parse(at)).as("RFC 3339 restartedAt in %s", ns).isNotNull();
        }
    }

    @Test
    void scaleLikeKubectl() {
        kubectl("scale", "deploy/scale", "--replicas=5");
        CommandResult r = shipdeck(Action.SCALE, "scale", Map.of("replicas", "5"));
        assertThat(r.message()).isEqualTo("scale scale from 2 to 5 replicas");
        assertThat(r.warnings()).isEmpty();
        settle("scale");
        assertSameState("scale", false);
        assertThat(revisions(byShipdeck, "scale")).containsExactly(entry(1, "1.0", 0), entry(2, "1.1", 0), entry(3, "1.2", 5));
    }

    @Test
    void skipsTheCurrentRevisionAndRefusesAPausedDeploymentLikeKubectl() {
        String rvK = Sim.rv(deployment(byKubectl, "guarded"));
        String rvS = Sim.rv(deployment(byShipdeck, "guarded"));
        assertThat(kubectlRun("rollout", "undo", "deploy/guarded", "--to-revision=3").out().strip())
                .isEqualTo("deployment.apps/guarded skipped rollback (current template already matches revision 3)");
        CommandResult skipped = shipdeck.commands().run(CommandRequest.of(Action.RESTORE_VERSION, SHIPDECK, "guarded", Map.of("toRevision", "3")));
        assertThat(skipped.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(skipped.message()).isEqualTo("skipped: guarded already runs version 1.2 (revision 3)");
        assertThat(Sim.rv(deployment(byKubectl, "guarded"))).isEqualTo(rvK);
        assertThat(Sim.rv(deployment(byShipdeck, "guarded"))).isEqualTo(rvS);

        // paused the same way in both namespaces
        for (String ns : List.of(byKubectl, byShipdeck)) kubectl.out("--context", cluster.context(), "-n", ns, "rollout", "pause", "deploy/guarded");
        cluster.awaitQuiet(java.time.Duration.ofSeconds(5));
        Kubectl.Result undo = kubectlRun("rollout", "undo", "deploy/guarded");
        assertThat(undo.exitCode()).isNotZero();
        assertThat(undo.err()).contains("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        Kubectl.Result restart = kubectlRun("rollout", "restart", "deploy/guarded");
        assertThat(restart.exitCode()).isNotZero();
        assertThat(restart.err()).contains("can't restart paused deployment (run rollout resume first)");
        CommandResult restore = shipdeck.commands().run(CommandRequest.of(Action.RESTORE_VERSION, SHIPDECK, "guarded", Map.of()));
        assertThat(restore.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(restore.message()).contains("kubectl refuses to roll back a paused deployment");
        CommandResult restartS = shipdeck.commands().run(CommandRequest.of(Action.RESTART, SHIPDECK, "guarded", Map.of()));
        assertThat(restartS.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(restartS.message()).contains("kubectl cannot restart a paused deployment");
        assertThat(restore.requests()).isEmpty();
        assertThat(restartS.requests()).isEmpty();
        assertSameState("guarded", false);
    }

    // ------------------------------------------------------------------ comparison

    /** revision → "version×replicas" of a Deployment's ReplicaSets. */
    private static Map<Long, String> revisions(String ns, String name) {
        Map<Long, String> out = new TreeMap<>();
        Sim.replicaSets(cluster, ns, deployment(ns, name)).values().forEach(rs -> out.put(
                rs.at("/metadata/annotations/deployment.kubernetes.io~1revision").asLong(),
                Sim.version(rs) + "x" + rs.at("/spec/replicas").asLong()));
        return out;
    }

    private static Map.Entry<Long, String> entry(long revision, String version, long replicas) {
        return Map.entry(revision, version + "x" + replicas);
    }

    /**
     * The Deployment's spec and annotations, and its ReplicaSets (by revision: annotations, labels, spec), must be
     * the same in both clusters; with {@code restarted}, apart from the restartedAt value and the template hash it
     * changes (ReplicaSet names, pod-template-hash labels).
     */
    private static void assertSameState(String name, boolean restarted) {
        ObjectNode k = deployment(byKubectl, name);
        ObjectNode s = deployment(byShipdeck, name);
        assertThat(normalized(s.get("spec"), restarted)).as("spec of %s", name).isEqualTo(normalized(k.get("spec"), restarted));
        assertThat(annotations(s)).as("annotations of %s", name).isEqualTo(annotations(k));
        Map<Long, JsonNode> rsK = replicaSetsByRevision(byKubectl, k, restarted);
        Map<Long, JsonNode> rsS = replicaSetsByRevision(byShipdeck, s, restarted);
        assertThat(rsS).as("ReplicaSets of %s", name).isEqualTo(rsK);
    }

    /** The annotations; kubectl's last-applied configuration parsed, without the twin's namespace kubectl -n put in it. */
    private static JsonNode annotations(ObjectNode o) {
        ObjectNode a = o.at("/metadata/annotations").deepCopy();
        String lastApplied = "kubectl.kubernetes.io/last-applied-configuration";
        if (a.has(lastApplied)) {
            JsonNode applied = Sim.parse(a.path(lastApplied).asText());
            ((ObjectNode) applied.path("metadata")).remove("namespace");
            a.set(lastApplied, applied);
        }
        return a;
    }

    private static Map<Long, JsonNode> replicaSetsByRevision(String ns, ObjectNode owner, boolean restarted) {
        Map<Long, JsonNode> out = new TreeMap<>();
        for (ObjectNode rs : Sim.replicaSets(cluster, ns, owner).values()) {
            ObjectNode n = Sim.JSON.createObjectNode();
            if (!restarted) n.put("name", rs.at("/metadata/name").asText());
            n.set("annotations", annotations(rs));
            ObjectNode labels = rs.at("/metadata/labels").deepCopy();
            if (restarted) labels.remove("pod-template-hash");
            n.set("labels", labels);
            n.set("spec", normalized(rs.get("spec"), restarted));
            out.put(rs.at("/metadata/annotations/deployment.kubernetes.io~1revision").asLong(), n);
        }
        return out;
    }

    private static JsonNode normalized(JsonNode spec, boolean restarted) {
        ObjectNode copy = spec.deepCopy();
        if (restarted) {
            JsonNode ann = copy.at("/template/metadata/annotations");
            if (ann instanceof ObjectNode a && a.has(RESTARTED_AT)) a.put(RESTARTED_AT, "<time>");
            for (String path : List.of("/template/metadata/labels", "/selector/matchLabels")) {
                if (copy.at(path) instanceof ObjectNode l) l.remove("pod-template-hash");
            }
        }
        return copy;
    }
}

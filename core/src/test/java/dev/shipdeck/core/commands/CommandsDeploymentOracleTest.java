package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.SimCluster;
import dev.shipdeck.sim.testing.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kubectl is the oracle: two simulated clusters get the same Deployments, shipped the same way (kubectl apply of
 * 1.0, 1.1, 1.2); one copy is then changed by kubectl ({@code rollout undo [--to-revision]}, {@code rollout restart},
 * {@code scale}), the other by Shipdeck. The Deployments' spec and annotations must come out identical (the restart
 * timestamp aside), and the simulated controller must end on the same ReplicaSets with the same revisions.
 */
class CommandsDeploymentOracleTest {
    private static final String KUBECTL = "kubectl";
    private static final String SHIPDECK = "shipdeck";
    private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    private static final List<String> NAMES = List.of("undo", "undo-rev", "undo-ver", "restart", "scale", "guarded");

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;
    private static Sim.Connection shipdeck;

    @BeforeAll
    static void shipThreeVersionsToBothClusters() throws IOException {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().clusters(KUBECTL, SHIPDECK).scenario("empty").speed(20).start();
        kubectl = new Kubectl(sim.writeKubeconfig(dir.resolve("kubeconfig")), dir.resolve("kube-cache"));
        shipdeck = Sim.connect(sim, dir.resolve("shipdeck-kubeconfig"), ClusterSim.ADMIN);
        for (String cluster : List.of(KUBECTL, SHIPDECK)) sim.cluster(cluster).ensureNamespace(Sim.NS);
        for (String version : List.of("1.0", "1.1", "1.2")) {
            List<ObjectNode> items = new ArrayList<>();
            NAMES.forEach(n -> items.add(Sim.deployment(n, version, 2)));
            Path file = Files.writeString(dir.resolve("v" + version + ".yaml"), Sim.stream(items));
            for (String cluster : List.of(KUBECTL, SHIPDECK)) kubectl.out("--context", cluster, "apply", "-f", file.toString());
            for (String cluster : List.of(KUBECTL, SHIPDECK)) NAMES.forEach(n -> Sim.awaitDeploymentSettled(sim.cluster(cluster), n));
        }
        for (String n : NAMES) {
            assertThat(revisions(sim.cluster(SHIPDECK), n)).containsExactly(entry(1, "1.0", 0), entry(2, "1.1", 0), entry(3, "1.2", 2));
            assertSameState(n, false);
        }
    }

    @AfterAll
    static void stop() {
        if (shipdeck != null) shipdeck.close();
        if (sim != null) sim.close();
    }

    private static CommandResult shipdeck(Action a, String component, Map<String, String> args) {
        CommandResult r = shipdeck.commands().run(CommandRequest.of(a, SHIPDECK, component, args));
        assertThat(r.outcome()).as("%s: %s", a, r.message()).isEqualTo(Outcome.SUCCEEDED);
        return r;
    }

    private static void kubectl(String... args) {
        List<String> all = new ArrayList<>(List.of("--context", KUBECTL, "-n", Sim.NS));
        all.addAll(List.of(args));
        kubectl.out(all.toArray(String[]::new));
    }

    private static Kubectl.Result kubectlRun(String... args) {
        List<String> all = new ArrayList<>(List.of("--context", KUBECTL, "-n", Sim.NS));
        all.addAll(List.of(args));
        return kubectl.run(all.toArray(String[]::new));
    }

    private static void settle(String name) {
        Sim.awaitDeploymentSettled(sim.cluster(KUBECTL), name);
        Sim.awaitDeploymentSettled(sim.cluster(SHIPDECK), name);
    }

    @Test
    void undoRestoresThePreviousRevisionLikeKubectlTwice() {
        kubectl("rollout", "undo", "deploy/undo");
        CommandResult r = shipdeck(Action.RESTORE_VERSION, "undo", Map.of());
        assertThat(r.message()).isEqualTo("restore undo to version 1.1 (revision 2)");
        settle("undo");
        assertSameState("undo", false);
        // the 1.1 ReplicaSet is reused as revision 4 (max + 1), its old number kept in revision-history
        assertThat(revisions(sim.cluster(SHIPDECK), "undo")).containsExactly(entry(1, "1.0", 0), entry(3, "1.2", 0), entry(4, "1.1", 2));
        assertThat(Sim.deploymentIn(sim.cluster(SHIPDECK), "undo").at("/metadata/annotations/kubernetes.io~1change-cause").asText())
                .isEqualTo("deploy 1.1");

        kubectl("rollout", "undo", "deploy/undo");
        assertThat(shipdeck(Action.RESTORE_VERSION, "undo", Map.of()).message()).isEqualTo("restore undo to version 1.2 (revision 3)");
        settle("undo");
        assertSameState("undo", false);
        assertThat(revisions(sim.cluster(SHIPDECK), "undo")).containsExactly(entry(1, "1.0", 0), entry(4, "1.1", 0), entry(5, "1.2", 2));
    }

    @Test
    void undoToRevisionOneLikeKubectl() {
        kubectl("rollout", "undo", "deploy/undo-rev", "--to-revision=1");
        assertThat(shipdeck(Action.RESTORE_VERSION, "undo-rev", Map.of("toRevision", "1")).message())
                .isEqualTo("restore undo-rev to version 1.0 (revision 1)");
        settle("undo-rev");
        assertSameState("undo-rev", false);
        assertThat(revisions(sim.cluster(SHIPDECK), "undo-rev")).containsExactly(entry(2, "1.1", 0), entry(3, "1.2", 0), entry(4, "1.0", 2));
    }

    @Test
    void restoreToAVersionIsUndoToItsRevision() {
        kubectl("rollout", "undo", "deploy/undo-ver", "--to-revision=1");
        assertThat(shipdeck(Action.RESTORE_VERSION, "undo-ver", Map.of("toVersion", "1.0")).message())
                .isEqualTo("restore undo-ver to version 1.0 (revision 1)");
        settle("undo-ver");
        assertSameState("undo-ver", false);
        assertThat(revisions(sim.cluster(SHIPDECK), "undo-ver")).containsExactly(entry(2, "1.1", 0), entry(3, "1.2", 0), entry(4, "1.0", 2));
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
        assertThat(revisions(sim.cluster(SHIPDECK), "restart"))
                .containsExactly(entry(1, "1.0", 0), entry(2, "1.1", 0), entry(3, "1.2", 0), entry(4, "1.2", 2));
        for (String cluster : List.of(KUBECTL, SHIPDECK)) {
            String at = Sim.deploymentIn(sim.cluster(cluster), "restart").at("/spec/template/metadata/annotations").path(RESTARTED_AT).asText();
            assertThat(OffsetDateTime.parse(at)).as("RFC 3339 restartedAt in %s", cluster).isNotNull();
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
        assertThat(revisions(sim.cluster(SHIPDECK), "scale")).containsExactly(entry(1, "1.0", 0), entry(2, "1.1", 0), entry(3, "1.2", 5));
    }

    @Test
    void skipsTheCurrentRevisionAndRefusesAPausedDeploymentLikeKubectl() {
        String rvK = Sim.rv(Sim.deploymentIn(sim.cluster(KUBECTL), "guarded"));
        String rvS = Sim.rv(Sim.deploymentIn(sim.cluster(SHIPDECK), "guarded"));
        assertThat(kubectlRun("rollout", "undo", "deploy/guarded", "--to-revision=3").out().strip())
                .isEqualTo("deployment.apps/guarded skipped rollback (current template already matches revision 3)");
        CommandResult skipped = shipdeck.commands().run(CommandRequest.of(Action.RESTORE_VERSION, SHIPDECK, "guarded", Map.of("toRevision", "3")));
        assertThat(skipped.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(skipped.message()).isEqualTo("skipped: guarded already runs version 1.2 (revision 3)");
        assertThat(Sim.rv(Sim.deploymentIn(sim.cluster(KUBECTL), "guarded"))).isEqualTo(rvK);
        assertThat(Sim.rv(Sim.deploymentIn(sim.cluster(SHIPDECK), "guarded"))).isEqualTo(rvS);

        // paused the same way in both clusters
        for (String cluster : List.of(KUBECTL, SHIPDECK)) kubectl.out("--context", cluster, "-n", Sim.NS, "rollout", "pause", "deploy/guarded");
        for (String cluster : List.of(KUBECTL, SHIPDECK)) sim.cluster(cluster).awaitQuiet(java.time.Duration.ofSeconds(5));
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
    private static Map<Long, String> revisions(SimCluster c, String name) {
        Map<Long, String> out = new TreeMap<>();
        Sim.replicaSets(c, Sim.deploymentIn(c, name)).values().forEach(rs -> out.put(
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
        ObjectNode k = Sim.deploymentIn(sim.cluster(KUBECTL), name);
        ObjectNode s = Sim.deploymentIn(sim.cluster(SHIPDECK), name);
        assertThat(normalized(s.get("spec"), restarted)).as("spec of %s", name).isEqualTo(normalized(k.get("spec"), restarted));
        assertThat(s.at("/metadata/annotations")).as("annotations of %s", name).isEqualTo(k.at("/metadata/annotations"));
        Map<Long, JsonNode> rsK = replicaSetsByRevision(sim.cluster(KUBECTL), k, restarted);
        Map<Long, JsonNode> rsS = replicaSetsByRevision(sim.cluster(SHIPDECK), s, restarted);
        assertThat(rsS).as("ReplicaSets of %s", name).isEqualTo(rsK);
    }

    private static Map<Long, JsonNode> replicaSetsByRevision(SimCluster c, ObjectNode owner, boolean restarted) {
        Map<Long, JsonNode> out = new TreeMap<>();
        for (ObjectNode rs : Sim.replicaSets(c, owner).values()) {
            ObjectNode n = Sim.JSON.createObjectNode();
            if (!restarted) n.put("name", rs.at("/metadata/name").asText());
            n.set("annotations", rs.at("/metadata/annotations"));
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

package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.SimCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two people restore the same component to different versions at the same moment: one wins, the other is told the
 * workload changed under it (resourceVersion conflict), and the template is one of the two versions, never a mix.
 */
class CommandsConcurrencyTest {
    private static final String ENV = "sim";
    private static final List<String> VERSIONS = List.of("1.0", "1.1", "1.2");

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static SimCluster cluster;
    private static Sim.Connection alice;
    private static Sim.Connection bob;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        cluster = sim.cluster(ENV);
        alice = Sim.connect(sim, dir.resolve("alice"), ClusterSim.ADMIN);
        bob = Sim.connect(sim, dir.resolve("bob"), ClusterSim.ADMIN);
        for (String v : VERSIONS) {
            cluster.apply(Sim.stream(List.of(Sim.deployment("contested", v, 2))));
            Sim.awaitDeploymentSettled(cluster, "contested");
        }
    }

    @AfterAll
    static void stop() {
        if (alice != null) alice.close();
        if (bob != null) bob.close();
        if (sim != null) sim.close();
    }

    @Test
    void twoRestoresAtOnceOneWinsTheOtherConflictsNeverAMix() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 4; round++) {
                Sim.awaitDeploymentSettled(cluster, "contested");
                assertThat(cluster.awaitQuiet(Duration.ofSeconds(10))).isTrue();
                String current = Sim.version(Sim.deploymentIn(cluster, "contested"));
                List<String> targets = VERSIONS.stream().filter(v -> !v.equals(current)).toList();
                // every request waits 100 ms: both read the Deployment (same resourceVersion) long before either writes
                cluster.faults().latency(Duration.ofMillis(100));
                CountDownLatch go = new CountDownLatch(1);
                Future<CommandResult> a = pool.submit(() -> {
                    go.await();
                    return alice.commands().run(CommandRequest.of(Action.RESTORE_VERSION, ENV, "contested", Map.of("toVersion", targets.get(0))));
                });
                Future<CommandResult> b = pool.submit(() -> {
                    go.await();
                    return bob.commands().run(CommandRequest.of(Action.RESTORE_VERSION, ENV, "contested", Map.of("toVersion", targets.get(1))));
                });
                go.countDown();
                CommandResult ra = a.get(30, TimeUnit.SECONDS);
                CommandResult rb = b.get(30, TimeUnit.SECONDS);
                cluster.faults().latency(Duration.ZERO);

                List<Outcome> outcomes = new ArrayList<>(List.of(ra.outcome(), rb.outcome()));
                assertThat(outcomes).as("round %d: %s / %s", round, ra.message(), rb.message())
                        .containsExactlyInAnyOrder(Outcome.SUCCEEDED, Outcome.CONFLICT);
                CommandResult loser = ra.outcome() == Outcome.CONFLICT ? ra : rb;
                String winner = ra.outcome() == Outcome.SUCCEEDED ? targets.get(0) : targets.get(1);
                assertThat(loser.message()).startsWith("contested was changed by someone else since Shipdeck read it; reload and try again (");
                assertThat(loser.record().outcome()).isEqualTo(Outcome.CONFLICT);
                assertThat(loser.requests()).hasSize(1);

                Sim.awaitDeploymentSettled(cluster, "contested");
                ObjectNode d = Sim.deploymentIn(cluster, "contested");
                // exactly the winner's template and annotations, nothing of the loser's
                assertThat(d.at("/spec/template")).isEqualTo(Sim.deployment("contested", winner, 2).at("/spec/template"));
                assertThat(d.at("/metadata/annotations/kubernetes.io~1change-cause").asText()).isEqualTo("deploy " + winner);
                assertThat(d.at("/metadata/annotations/shipdeck.dev~1commit-sha").asText()).isEqualTo("sha-" + winner.replace('.', '-'));
            }
        } finally {
            cluster.faults().latency(Duration.ZERO);
            pool.shutdownNow();
        }
        assertThat(alice.commands().history(ENV, "contested")).hasSize(4);
        assertThat(bob.commands().history(ENV, "contested")).hasSize(4);
    }

    @Test
    void aRestorePlannedBeforeSomeoneElsesChangeConflictsInsteadOfOverwritingIt() {
        Sim.awaitDeploymentSettled(cluster, "contested");
        assertThat(cluster.awaitQuiet(Duration.ofSeconds(10))).isTrue();
        String current = Sim.version(Sim.deploymentIn(cluster, "contested"));
        String target = current.equals("1.0") ? "1.1" : "1.0";
        CommandResult plan = alice.commands().plan(CommandRequest.of(Action.RESTORE_VERSION, ENV, "contested", Map.of("toVersion", target)));
        assertThat(plan.outcome()).isEqualTo(Outcome.PLANNED);
        // someone else changes the Deployment in between (a scale is enough to move the resourceVersion)
        assertThat(bob.commands().run(CommandRequest.of(Action.SCALE, ENV, "contested", Map.of("replicas", "3"))).outcome())
                .isEqualTo(Outcome.SUCCEEDED);
        // sending the planned request as it was: the server refuses it with a conflict
        PlannedRequest p = plan.requests().get(0);
        var api = new KubeApi(alice.clients().clientNow("sim"));
        KubeApi.Response resp = api.send(p.method(), p.path(), p.contentType(), p.body());
        assertThat(resp.code()).isEqualTo(409);
        assertThat(Sim.version(Sim.deploymentIn(cluster, "contested"))).isEqualTo(current);
        assertThat(Sim.deploymentIn(cluster, "contested").at("/spec/replicas").asInt()).isEqualTo(3);
    }
}

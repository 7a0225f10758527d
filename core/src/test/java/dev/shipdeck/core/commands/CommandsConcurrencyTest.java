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
 * Two people restore the same component at the same moment, to different versions or both to "the previous one": one
 * wins, the other is told the workload changed under it and what it runs now (resourceVersion conflict, or a spec that
 * moved since it was read or planned), and the template is the winner's, never a mix or an undo of the winner.
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
        int aliceBefore = alice.commands().history(ENV, "contested").size();
        int bobBefore = bob.commands().history(ENV, "contested").size();
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
                assertThat(loser.message()).as("names what runs now").contains("it now runs version " + winner);
                assertThat(loser.message()).isEqualTo("contested was changed by someone else since Shipdeck read it: it now runs version "
                        + winner + " with 2 replicas; nothing was applied — reload and try again");
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
        assertThat(alice.commands().history(ENV, "contested")).hasSize(aliceBefore + 4);
        assertThat(bob.commands().history(ENV, "contested")).hasSize(bobBefore + 4);
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

    /** Both confirmed "restore the previous version" from the same state; the second runs after the first landed. */
    @Test
    void twoRestoresOfThePreviousVersionPlannedTogetherOneWinsTheOtherIsToldWhatRunsNow() {
        for (int round = 0; round < 3; round++) {
            Sim.awaitDeploymentSettled(cluster, "contested");
            assertThat(cluster.awaitQuiet(Duration.ofSeconds(10))).isTrue();
            String before = Sim.version(Sim.deploymentIn(cluster, "contested"));
            CommandRequest restore = CommandRequest.of(Action.RESTORE_VERSION, ENV, "contested", Map.of());
            CommandResult alicePlan = alice.commands().plan(restore);
            CommandResult bobPlan = bob.commands().plan(restore);
            assertThat(alicePlan.outcome()).isEqualTo(Outcome.PLANNED);
            assertThat(bobPlan.message()).isEqualTo(alicePlan.message());
            String previous = alicePlan.message().replaceAll(".* to version (\\S+) .*", "$1");
            assertThat(previous).isNotEqualTo(before);

            CommandResult first = alice.commands().run(restore, alicePlan);
            assertThat(first.outcome()).as(first.message()).isEqualTo(Outcome.SUCCEEDED);
            Sim.awaitDeploymentSettled(cluster, "contested");
            CommandResult second = bob.commands().run(restore, bobPlan);

            assertThat(second.outcome()).as("round %d: %s", round, second.message()).isEqualTo(Outcome.CONFLICT);
            assertThat(second.message()).isEqualTo("contested was changed by someone else since Shipdeck planned this: it now runs version "
                    + previous + " with 2 replicas; nothing was applied — reload and try again");
            assertThat(second.requests()).as("nothing sent").isEmpty();
            assertThat(second.record().outcome()).isEqualTo(Outcome.CONFLICT);
            Sim.awaitDeploymentSettled(cluster, "contested");
            assertThat(Sim.version(Sim.deploymentIn(cluster, "contested"))).as("the winner's restore stays").isEqualTo(previous);
        }
    }

    /**
     * Bob reads the Deployment; before his list of ReplicaSets is answered, Alice's restore lands and the controller
     * moves the revisions. What Bob listed belongs to another version of the Deployment than the one he read: he is
     * told it changed and what it runs, never "skipped: already runs" a version it no longer runs.
     */
    @Test
    void aRestoreWhoseReadsStraddleAnotherRestoreIsAConflictNotAWrongSkip() throws Exception {
        Sim.awaitDeploymentSettled(cluster, "contested");
        assertThat(cluster.awaitQuiet(Duration.ofSeconds(10))).isTrue();
        CountDownLatch bobListing = new CountDownLatch(1);
        CountDownLatch aliceDone = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        cluster.faults().fail(c -> {
            if (c.method().equals("GET") && !c.watch() && c.path().endsWith("/replicasets") && first.compareAndSet(true, false)) {
                bobListing.countDown();
                try {
                    aliceDone.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return false;
        }, 500, Integer.MAX_VALUE);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CommandRequest restore = CommandRequest.of(Action.RESTORE_VERSION, ENV, "contested", Map.of());
            Future<CommandResult> bobs = pool.submit(() -> bob.commands().run(restore));
            assertThat(bobListing.await(30, TimeUnit.SECONDS)).isTrue();
            CommandResult alices = alice.commands().run(restore);
            assertThat(alices.outcome()).as(alices.message()).isEqualTo(Outcome.SUCCEEDED);
            Sim.awaitDeploymentSettled(cluster, "contested");
            String now = Sim.version(Sim.deploymentIn(cluster, "contested"));
            aliceDone.countDown();

            CommandResult r = bobs.get(30, TimeUnit.SECONDS);
            assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.CONFLICT);
            assertThat(r.message()).startsWith("contested was changed by someone else since Shipdeck read it: it now runs version " + now + " ");
            Sim.awaitDeploymentSettled(cluster, "contested");
            assertThat(Sim.version(Sim.deploymentIn(cluster, "contested"))).isEqualTo(now);
        } finally {
            aliceDone.countDown();
            cluster.faults().clear();
            pool.shutdownNow();
        }
    }

    @Test
    void twoScalesAtOnceOneWinsTheOtherIsToldTheReplicasNow() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                Sim.awaitDeploymentSettled(cluster, "contested");
                assertThat(cluster.awaitQuiet(Duration.ofSeconds(10))).isTrue();
                int current = Sim.deploymentIn(cluster, "contested").at("/spec/replicas").asInt();
                String a = Integer.toString(current == 3 ? 4 : 3);
                String b = Integer.toString(current == 1 ? 4 : 1);
                cluster.faults().latency(Duration.ofMillis(100));
                CountDownLatch go = new CountDownLatch(1);
                Future<CommandResult> fa = pool.submit(() -> {
                    go.await();
                    return alice.commands().run(CommandRequest.of(Action.SCALE, ENV, "contested", Map.of("replicas", a)));
                });
                Future<CommandResult> fb = pool.submit(() -> {
                    go.await();
                    return bob.commands().run(CommandRequest.of(Action.SCALE, ENV, "contested", Map.of("replicas", b)));
                });
                go.countDown();
                CommandResult ra = fa.get(30, TimeUnit.SECONDS);
                CommandResult rb = fb.get(30, TimeUnit.SECONDS);
                cluster.faults().latency(Duration.ZERO);

                assertThat(List.of(ra.outcome(), rb.outcome())).as("round %d: %s / %s", round, ra.message(), rb.message())
                        .containsExactlyInAnyOrder(Outcome.SUCCEEDED, Outcome.CONFLICT);
                String winner = ra.outcome() == Outcome.SUCCEEDED ? a : b;
                CommandResult loser = ra.outcome() == Outcome.CONFLICT ? ra : rb;
                assertThat(loser.message()).containsPattern("with " + winner + " replicas?; nothing was applied");
                assertThat(Sim.deploymentIn(cluster, "contested").at("/spec/replicas").asText()).isEqualTo(winner);
            }
        } finally {
            cluster.faults().latency(Duration.ZERO);
            pool.shutdownNow();
            // back to the 2 replicas the other tests start from
            cluster.store().mutate(dev.shipdeck.sim.Resources.DEPLOYMENTS, Sim.NS, "contested", null, d -> {
                ((ObjectNode) d.get("spec")).put("replicas", 2);
                return true;
            });
            Sim.awaitDeploymentSettled(cluster, "contested");
        }
    }
}

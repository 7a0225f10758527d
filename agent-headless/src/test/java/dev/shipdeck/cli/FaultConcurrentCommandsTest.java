package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Resources;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault suite: two people run {@code shipdeck restore} (the default target: the previous version) or {@code shipdeck
 * scale} on the same component at the same moment, 20 rounds. Both plan from the same state before either writes
 * (the simulated API server holds every write until both plans are made); exactly one wins, and the other is told
 * CONFLICT (exit 6) with what the workload runs now, or SKIPPED naming the version it really runs.
 */
class FaultConcurrentCommandsTest {
    private static final String NS = "apps";
    private static final List<String> VERSIONS = List.of("1.0", "1.1", "1.2");

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static SimCluster cluster;
    private static Map<String, String> alice;
    private static Map<String, String> bob;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        cluster = sim.cluster("sim");
        cluster.ensureNamespace(NS);
        alice = Map.of("KUBECONFIG", sim.writeKubeconfig(dir.resolve("alice")).toString(), "HOME", dir.toString());
        bob = Map.of("KUBECONFIG", sim.writeKubeconfig(dir.resolve("bob")).toString(), "HOME", dir.toString());
        for (String v : VERSIONS) {
            cluster.apply(deployment(v));
            awaitSettled();
        }
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    private static String deployment(String version) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: contested
                  namespace: %2$s
                  labels: {shipdeck.dev/component-name: contested}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: contested}}
                  template:
                    metadata:
                      labels: {app: contested, shipdeck.dev/version: "%1$s"}
                      annotations: {sim.shipdeck.dev/ready-after-seconds: "1"}
                    spec:
                      containers: [{name: app, image: "example/contested:%1$s"}]
                """.formatted(version, NS);
    }

    private static JsonNode current() {
        return cluster.store().get(Resources.DEPLOYMENTS, NS, "contested");
    }

    private static String runningVersion() {
        return current().at("/spec/template/metadata/labels/shipdeck.dev~1version").asText();
    }

    /** Observed, every replica updated and available, no old ones left. */
    private static void awaitSettled() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode d = current();
            JsonNode st = d.path("status");
            long want = d.path("spec").path("replicas").asLong(1);
            return st.path("observedGeneration").asLong() == d.path("metadata").path("generation").asLong()
                    && st.path("updatedReplicas").asLong() == want && st.path("availableReplicas").asLong() == want
                    && st.path("replicas").asLong() == want;
        });
        assertThat(cluster.awaitQuiet(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void twentyRoundsOfSimultaneousRestoresAndScalesHaveExactlyOneWinnerEach() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<String> summary = new ArrayList<>();
        try {
            for (int round = 0; round < 20; round++) {
                awaitSettled();
                boolean restore = round % 2 == 0;
                String before = runningVersion();
                long replicasBefore = current().at("/spec/replicas").asLong();
                String[] aliceArgs;
                String[] bobArgs;
                if (restore) {
                    aliceArgs = new String[] {"restore", "contested", "-e", "sim", "--yes", "-o", "json"};
                    bobArgs = aliceArgs;
                } else {
                    long a = replicasBefore == 3 ? 4 : 3;
                    long b = replicasBefore == 1 ? 2 : 1;
                    aliceArgs = new String[] {"scale", "contested", "-e", "sim", "--replicas", Long.toString(a), "--yes", "-o", "json"};
                    bobArgs = new String[] {"scale", "contested", "-e", "sim", "--replicas", Long.toString(b), "--yes", "-o", "json"};
                }
                // "at the same moment": no write is answered until both have planned (each plan ends with its access review)
                AtomicInteger reviews = new AtomicInteger();
                CountDownLatch bothPlanned = new CountDownLatch(1);
                cluster.faults().fail(c -> {
                    if (c.method().equals("POST") && c.path().endsWith("/selfsubjectaccessreviews") && reviews.incrementAndGet() >= 2) {
                        bothPlanned.countDown();
                    }
                    if (c.method().equals("PATCH") && c.path().contains("/deployments/contested")) {
                        try {
                            bothPlanned.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return false;
                }, 500, Integer.MAX_VALUE);
                CountDownLatch go = new CountDownLatch(1);
                String[] aa = aliceArgs;
                String[] ba = bobArgs;
                Future<Cli.Result> fa = pool.submit(() -> {
                    go.await();
                    return Cli.run(alice, aa);
                });
                Future<Cli.Result> fb = pool.submit(() -> {
                    go.await();
                    return Cli.run(bob, ba);
                });
                go.countDown();
                Cli.Result ra = fa.get(60, TimeUnit.SECONDS);
                Cli.Result rb = fb.get(60, TimeUnit.SECONDS);
                cluster.faults().clear();
                awaitSettled();

                String round_ = "round " + round + " (" + (restore ? "restore" : "scale") + ", was " + before + " x" + replicasBefore + "):\n" + ra + "\n" + rb;
                assertThat(bothPlanned.getCount()).as("%s: both planned", round_).isZero();
                List<Cli.Result> winners = new ArrayList<>();
                List<Cli.Result> losers = new ArrayList<>();
                for (Cli.Result r : List.of(ra, rb)) {
                    String outcome = r.exitCode() == ExitCodes.OK || r.exitCode() == ExitCodes.CONFLICT ? r.json().get(0).path("outcome").asText() : "";
                    (outcome.equals("SUCCEEDED") ? winners : losers).add(r);
                }
                assertThat(winners).as("exactly one winner: %s", round_).hasSize(1);
                Cli.Result loser = losers.get(0);
                String outcome = loser.json().get(0).path("outcome").asText();
                String now = runningVersion();
                long replicasNow = current().at("/spec/replicas").asLong();
                if (outcome.equals("CONFLICT")) {
                    assertThat(loser.exitCode()).as(round_).isEqualTo(ExitCodes.CONFLICT);
                    assertThat(loser.errLines()).as(round_).singleElement().asString()
                            .isEqualTo("error: contested was changed by someone else since Shipdeck planned this: it now runs version " + now
                                    + " with " + replicasNow + (replicasNow == 1 ? " replica" : " replicas") + "; nothing was applied — reload and try again (run the command again to act on what is running now)");
                } else {
                    assertThat(outcome).as(round_).isEqualTo("SKIPPED");
                    assertThat(loser.json().get(0).path("message").asText()).as(round_).contains("already runs version " + now + " ");
                }
                if (restore) {
                    assertThat(now).as("%s: the previous version, once", round_).isNotEqualTo(before);
                    assertThat(winners.get(0).json().get(0).path("message").asText()).contains("to version " + now + " ");
                } else {
                    Cli.Result w = winners.get(0);
                    String wanted = w == ra ? aliceArgs[5] : bobArgs[5];
                    assertThat(replicasNow).as(round_).isEqualTo(Long.parseLong(wanted));
                    assertThat(now).isEqualTo(before);
                }
                summary.add(round + ":" + (restore ? "restore" : "scale") + "->" + outcome);
            }
        } finally {
            cluster.faults().clear();
            pool.shutdownNow();
        }
        System.out.println("concurrent commands, loser per round: " + summary);
    }
}

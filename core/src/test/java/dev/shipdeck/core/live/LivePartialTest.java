package dev.shipdeck.core.live;

import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The desktop's live path carries a partial read too: Rollouts that cannot be listed when the environment connects
 * leave a gap in its snapshots (what the status bar shows), probed again until they can be watched.
 */
class LivePartialTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;
    static KubeClients clients;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().clusters("prod-eu").scenario("empty").start();
        sim.cluster("prod-eu").installRolloutsCrd();
        sim.cluster("prod-eu").apply(Manifest.deployment("shop", "catalog").version("3.4.1").text());
        sim.cluster("prod-eu").apply(Manifest.rollout("shop", "cart").version("8.2.0").text());
        sim.cluster("prod-eu").awaitQuiet(Duration.ofSeconds(10));
        clients = new KubeClients(Kubeconfig.load(List.of(sim.writeKubeconfig(dir.resolve("kubeconfig"))), true),
                KubeClients.Options.INTERACTIVE);
    }

    @AfterAll
    static void stop() {
        clients.close();
        sim.close();
    }

    @Test
    void rolloutsRefusedAtConnectAreAGapUntilTheyCanBeWatched() throws Exception {
        // every Rollouts request fails until the faults are cleared
        sim.cluster("prod-eu").faults().fail(call -> call.path().contains("/rollouts"), 503, Integer.MAX_VALUE);
        try (LiveView live = new LiveView(clients, List.of(Environment.ofContext("prod-eu")), Duration.ofMillis(50))) {
            SnapshotCollector snapshots = new SnapshotCollector(live);
            live.start();

            EnvironmentSnapshot partial = snapshots.await("prod-eu", 15, "a partial snapshot",
                    s -> s.connection().connected() && s.partial());
            assertThat(partial.partialText()).isEqualTo("partial: Rollouts 503");
            assertThat(partial.components()).extracting(Component::name).containsExactly("catalog");
            assertThat(partial.rolloutsAvailable()).isFalse();

            sim.cluster("prod-eu").faults().clear();

            EnvironmentSnapshot complete = snapshots.await("prod-eu", 20, "the Rollouts after the fault",
                    s -> !s.partial() && s.components().size() == 2);
            assertThat(complete.connection().connected()).isTrue();
            assertThat(complete.components()).extracting(Component::name).containsExactly("cart", "catalog");
            assertThat(complete.rolloutsAvailable()).isTrue();
        } finally {
            sim.cluster("prod-eu").faults().clear();
        }
    }

    @Test
    void withoutTheRolloutsCrdTheLiveViewIsNotPartial() throws Exception {
        try (ClusterSim plain = TestClusters.startEmpty();
             KubeClients plainClients = TestClusters.clients(TestClusters.writeKubeconfig(plain, dir.resolve("plain")))) {
            plain.cluster("sim").apply(Manifest.deployment("shop", "catalog").version("3.4.1").text());
            try (LiveView live = new LiveView(plainClients, List.of(Environment.ofContext("sim")), Duration.ofMillis(50)).start()) {
                EnvironmentSnapshot s = live.awaitSynced(Duration.ofSeconds(10)).get().environment("sim");
                assertThat(s.connection().connected()).isTrue();
                assertThat(s.partial()).as("404 on Rollouts: none here, nothing missing").isFalse();
            }
        }
    }
}

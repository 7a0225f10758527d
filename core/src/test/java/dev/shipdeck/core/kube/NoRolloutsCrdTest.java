package dev.shipdeck.core.kube;

import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.live.LiveView;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.shipdeck.core.TestClusters.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Argo Rollouts is optional (DESIGN.md): without its CRD nothing breaks and rollout views are hidden. */
class NoRolloutsCrdTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;
    static KubeClients clients;

    @BeforeAll
    static void start() {
        sim = TestClusters.startEmpty();
        assertThat(sim.cluster("sim").rollouts()).as("scenario empty installs no Rollout CRD").isNull();
        sim.cluster("sim").apply(Manifest.deployment("shop", "cart").version("8.2.0").replicas(2).text());
        sim.cluster("sim").apply(Manifest.deployment("shop", "catalog").version("3.4.1").text());
        clients = TestClusters.clients(TestClusters.writeKubeconfig(sim, dir));
        eventually().untilAsserted(() -> assertThat(new ClusterReader(clients).read(Environment.ofContext("sim")).components())
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS)).hasSize(2));
    }

    @AfterAll
    static void stop() {
        clients.close();
        sim.close();
    }

    @Test
    void clusterReaderWorksWithoutRollouts() {
        EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
        assertThat(s.connection()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(s.rolloutsAvailable()).isFalse();
        assertThat(s.partial()).as("no CRD (404): no Rollouts here, nothing missing").isFalse();
        assertThat(s.components()).extracting(c -> c.name() + "@" + c.version()).containsExactly("cart@8.2.0", "catalog@3.4.1");
        assertThat(s.releases()).hasSize(2);
    }

    @Test
    void clusterReaderWithExplicitNamespacesWorksWithoutRollouts() {
        EnvironmentSnapshot s = new ClusterReader(clients).read(TestClusters.env("sim", "shop"));
        assertThat(s.connection()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(s.rolloutsAvailable()).isFalse();
        assertThat(s.components()).hasSize(2);
    }

    @Test
    void liveViewWorksWithoutRollouts() throws Exception {
        try (LiveView live = new LiveView(clients, List.of(Environment.ofContext("sim")), Duration.ofMillis(50)).start()) {
            Snapshot snap = live.awaitSynced(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
            EnvironmentSnapshot s = snap.environment("sim");
            assertThat(s.connection()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(s.rolloutsAvailable()).isFalse();
            assertThat(s.partial()).isFalse();
            assertThat(s.components()).extracting(c -> c.name()).containsExactly("cart", "catalog");
        }
    }
}

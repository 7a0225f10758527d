package dev.shipdeck.core.kube;

import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReadGap;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Faults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static dev.shipdeck.core.TestClusters.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A list other than Deployments that fails makes the snapshot partial — with the kind and the reason — instead of
 * quietly leaving out what it holds. Only a 404 (the type is not served) means "none of them here".
 */
class PartialReadTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;
    static KubeClients clients;

    @BeforeAll
    static void start() {
        sim = TestClusters.startEmpty();
        sim.cluster("sim").installRolloutsCrd();
        sim.cluster("sim").apply(Manifest.deployment("shop", "catalog").version("3.4.1").text());
        sim.cluster("sim").apply(Manifest.rollout("shop", "cart").version("8.2.0").text());
        clients = TestClusters.clients(TestClusters.writeKubeconfig(sim, dir));
        eventually().untilAsserted(() -> assertThat(read().components()).extracting(Component::name).containsExactly("cart", "catalog"));
    }

    @AfterAll
    static void stop() {
        clients.close();
        sim.close();
    }

    @AfterEach
    void clearFaults() {
        faults().clear();
    }

    static Faults faults() {
        return sim.cluster("sim").faults();
    }

    static EnvironmentSnapshot read() {
        return new ClusterReader(clients).read(Environment.ofContext("sim"));
    }

    @Test
    void aCompleteReadIsNotPartial() {
        EnvironmentSnapshot s = read();
        assertThat(s.partial()).isFalse();
        assertThat(s.gaps()).isEmpty();
        assertThat(s.partialText()).isEmpty();
    }

    @ParameterizedTest(name = "Rollouts answered {0}")
    @ValueSource(ints = {503, 500, 429, 403})
    void failingRolloutsMakeThePartialSnapshotSayWhy(int status) {
        faults().fail(call -> call.path().contains("/rollouts"), status, 1);

        EnvironmentSnapshot s = read();

        assertThat(s.connection()).as("the Deployments could be read").isEqualTo(ConnectionState.CONNECTED);
        assertThat(s.components()).extracting(Component::name).containsExactly("catalog");
        assertThat(s.releases()).allSatisfy(r -> assertThat(r.type()).isEqualTo(ReleaseType.DEPLOYMENT));
        assertThat(s.partial()).isTrue();
        ReadGap gap = s.gap("Rollouts");
        assertThat(gap).isNotNull();
        assertThat(gap.code()).isEqualTo(status);
        assertThat(gap.resource()).isEqualTo("rollouts.argoproj.io");
        assertThat(s.partialText()).isEqualTo("partial: Rollouts " + status);
        assertThat(gap.status()).startsWith(status + " ").isNotEqualTo(status + " ");
    }

    @Test
    void failingReplicaSetsKeepTheComponentsAndSayTheHistoryIsMissing() {
        faults().fail(call -> call.path().endsWith("/replicasets"), 500, 1);

        EnvironmentSnapshot s = read();

        assertThat(s.connection()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(s.components()).extracting(Component::name).containsExactly("cart", "catalog");
        assertThat(s.releases()).as("the history comes from ReplicaSets").isEmpty();
        assertThat(s.gaps()).extracting(ReadGap::brief).containsExactly("ReplicaSets 500");
        assertThat(s.gap("ReplicaSets").impact()).contains("release history");
    }

    @Test
    void failingDeploymentsAreNotPartialButUnreadable() {
        faults().fail(call -> call.path().endsWith("/deployments"), 503, 1);

        EnvironmentSnapshot s = read();

        assertThat(s.connection().phase()).isEqualTo(ConnectionState.Phase.RETRYING);
        assertThat(s.connection().reason()).startsWith("503");
        assertThat(s.components()).isEmpty();
        assertThat(s.partial()).isFalse();
    }

    @Test
    void failingNamespacesOfATeamEnvironmentAreAGap() {
        faults().fail(call -> call.path().startsWith("/api/v1/namespaces"), 500, 1);

        EnvironmentSnapshot s = new ClusterReader(clients).read(TestClusters.env("sim", "shop"));

        assertThat(s.connection()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(s.components()).hasSize(2);
        assertThat(s.gaps()).extracting(ReadGap::brief).containsExactly("Namespaces 500");
    }

    @Test
    void aManagedNamespaceThatDoesNotExistIsNoGap() {
        EnvironmentSnapshot s = new ClusterReader(clients).read(TestClusters.env("sim", "not-there-yet"));
        assertThat(s.connection()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(s.components()).isEmpty();
        assertThat(s.partial()).isFalse();
    }
}

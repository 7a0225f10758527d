package dev.shipdeck.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Resources;
import dev.shipdeck.sim.SimCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.shipdeck.core.TestClusters.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Deployment rule of KUBERNETES.md ("same as kubectl rollout status"), on Deployments that cluster-sim's
 * Deployment controller drives into each state, read through a kubeconfig file and {@link ClusterReader}.
 */
class DeploymentStatusTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;
    static SimCluster cluster;
    static KubeClients clients;
    static ClusterReader reader;

    @BeforeAll
    static void start() {
        sim = TestClusters.startEmpty();
        cluster = sim.cluster("sim");
        clients = TestClusters.clients(TestClusters.writeKubeconfig(sim, dir));
        reader = new ClusterReader(clients);
    }

    @AfterAll
    static void stop() {
        clients.close();
        sim.close();
    }

    private static Component read(String ns, String name) {
        return TestClusters.read(reader, "sim", ns, name);
    }

    private static JsonNode stored(String ns, String name) {
        return cluster.store().get(Resources.DEPLOYMENTS, ns, name);
    }

    /** Ships {@code v1} and waits until it is rolled out. */
    private static void shipHealthy(Manifest m) {
        cluster.apply(m.text());
        eventually().untilAsserted(() -> assertThat(read(m.meta().path("namespace").asText(), m.meta().path("name").asText()).status())
                .isEqualTo(ReleaseStatus.SUCCESS));
    }

    @Test
    void completeRolloutIsSuccess() {
        cluster.apply(Manifest.deployment("complete", "web").version("1.0.0").replicas(2).text());

        eventually().untilAsserted(() -> {
            Component c = read("complete", "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS);
            assertThat(c.verdict().message()).isEqualTo("deployment \"web\" successfully rolled out");
            assertThat(c.verdict().paused()).isFalse();
            assertThat(c.version()).isEqualTo("1.0.0");
            assertThat(c.readyReplicas()).isEqualTo(2);
        });
    }

    @Test
    void specNotYetObservedIsRunning() {
        shipHealthy(Manifest.deployment("unobserved", "web").version("1.0.0"));
        // cluster-sim's controller cannot act on a maxSurge it cannot parse, so it never observes generation 2:
        // the state a lagging or stopped kube-controller-manager leaves behind
        cluster.apply(Manifest.deployment("unobserved", "web").version("2.0.0").rollingUpdate("one%", "0").text());
        try {
            eventually().untilAsserted(() -> {
                JsonNode d = stored("unobserved", "web");
                assertThat(d.path("metadata").path("generation").asLong()).isEqualTo(2);
                assertThat(d.path("status").path("observedGeneration").asLong()).isEqualTo(1);
                // every replica count says "done", only the generation says otherwise
                assertThat(d.path("status").path("updatedReplicas").asInt()).isEqualTo(1);
                assertThat(d.path("status").path("availableReplicas").asInt()).isEqualTo(1);
            });
            Component c = read("unobserved", "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(c.verdict().message()).isEqualTo("Waiting for deployment spec update to be observed...");
        } finally {
            cluster.store().delete(Resources.DEPLOYMENTS, "unobserved", "web");
        }
    }

    @Test
    void progressDeadlineExceededIsFailed() {
        shipHealthy(Manifest.deployment("deadline", "web").version("1.0.0"));
        cluster.apply(Manifest.deployment("deadline", "web").version("2.0.0").neverReady().progressDeadlineSeconds(30).text());
        eventually().untilAsserted(() -> assertThat(read("deadline", "web").status()).isEqualTo(ReleaseStatus.RUNNING));

        sim.clock().advance(Duration.ofSeconds(45));

        eventually().untilAsserted(() -> {
            Component c = read("deadline", "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.FAILED);
            assertThat(c.verdict().message()).isEqualTo("deployment \"web\" exceeded its progress deadline");
        });
        JsonNode progressing = J.condition(stored("deadline", "web"), "Progressing");
        assertThat(progressing.path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
    }

    @Test
    void fewerUpdatedThanDesiredIsRunning() {
        shipHealthy(Manifest.deployment("updating", "web").version("1.0.0").replicas(3));
        // one surge pod of the new version that never gets ready: 1 of 3 updated
        cluster.apply(Manifest.deployment("updating", "web").version("2.0.0").replicas(3).neverReady()
                .rollingUpdate("1", "0").text());

        eventually().untilAsserted(() -> {
            Component c = read("updating", "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(c.verdict().message())
                    .isEqualTo("Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...");
        });
    }

    @Test
    void oldReplicasStillRunningIsRunning() {
        shipHealthy(Manifest.deployment("terminating", "web").version("1.0.0"));
        // replicas 1, surge 1, unavailable 0: the new pod is all updated replicas, the old one must stay until it is ready
        cluster.apply(Manifest.deployment("terminating", "web").version("2.0.0").neverReady().rollingUpdate("1", "0").text());

        eventually().untilAsserted(() -> {
            JsonNode s = stored("terminating", "web").path("status");
            assertThat(s.path("updatedReplicas").asInt()).isEqualTo(1);
            assertThat(s.path("replicas").asInt()).isEqualTo(2);
            Component c = read("terminating", "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(c.verdict().message())
                    .isEqualTo("Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...");
        });
    }

    @Test
    void updatedButUnavailableIsRunning() {
        shipHealthy(Manifest.deployment("unavailable", "web").version("1.0.0"));
        // surge 0, unavailable 1: the old pod goes first, the new one never gets ready
        cluster.apply(Manifest.deployment("unavailable", "web").version("2.0.0").neverReady().rollingUpdate("0", "1").text());

        eventually().untilAsserted(() -> {
            JsonNode s = stored("unavailable", "web").path("status");
            assertThat(s.path("updatedReplicas").asInt()).isEqualTo(1);
            assertThat(s.path("replicas").asInt()).isEqualTo(1);
            Component c = read("unavailable", "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(c.verdict().message())
                    .isEqualTo("Waiting for deployment \"web\" rollout to finish: 0 of 1 updated replicas are available...");
        });
    }

    @Test
    void pausedMidRolloutIsPausedNotFailed() {
        shipHealthy(Manifest.deployment("paused", "web").version("1.0.0").replicas(2));
        cluster.apply(Manifest.deployment("paused", "web").version("2.0.0").replicas(2).paused(true)
                .progressDeadlineSeconds(30).text());
        eventually().untilAsserted(() -> assertThat(J.condition(stored("paused", "web"), "Progressing").path("reason").asText())
                .isEqualTo("DeploymentPaused"));

        sim.clock().advance(Duration.ofSeconds(120)); // far past the deadline: none applies while paused
        cluster.awaitQuiet(Duration.ofSeconds(5));

        Component c = read("paused", "web");
        assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(c.verdict().paused()).isTrue();
        assertThat(c.verdict().phase()).isEqualTo("Paused");
        assertThat(c.primary().paused()).isTrue();
        assertThat(c.version()).isEqualTo("2.0.0");
    }

    @Test
    void pausedAfterCompletingIsSuccessAndPaused() {
        shipHealthy(Manifest.deployment("paused-done", "web").version("1.0.0"));
        cluster.apply(Manifest.deployment("paused-done", "web").version("1.0.0").paused(true).text());

        eventually().untilAsserted(() -> {
            Component c = read("paused-done", "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS);
            assertThat(c.verdict().paused()).isTrue();
        });
    }

    @Test
    void scaledToZeroIsStillAComponent() {
        cluster.apply(Manifest.deployment("zero", "web").version("1.0.0").replicas(0).text());

        eventually().untilAsserted(() -> {
            Component c = read("zero", "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS);
            assertThat(c.desiredReplicas()).isZero();
        });
    }
}

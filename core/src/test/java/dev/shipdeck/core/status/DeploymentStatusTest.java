package dev.shipdeck.core.status;

import dev.shipdeck.core.json.J;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.sim.testing.TestCluster;
import dev.shipdeck.sim.testing.TestCluster.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.awaitility.core.ConditionFactory;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Deployment rule of KUBERNETES.md ("same as kubectl rollout status"), on Deployments that a Deployment
 * controller drives into each state — cluster-sim's, or in the real tier the real kube-controller-manager's — read
 * through a kubeconfig file and {@link ClusterReader}.
 */
@Tag("real")
class DeploymentStatusTest {
    @TempDir
    static Path dir;
    static TestCluster cluster;
    static KubeClients clients;
    static ClusterReader reader;

    @BeforeAll
    static void start() {
        cluster = TestCluster.builder().tag("dstatus").start(dir);
        clients = TestClusters.clients(cluster.kubeconfig(TestCluster.ADMIN));
        reader = new ClusterReader(clients);
    }

    @AfterAll
    static void stop() {
        if (clients != null) clients.close();
        if (cluster != null) cluster.close();
    }

    private static ConditionFactory eventually() {
        return TestClusters.eventually(cluster);
    }

    private static Component read(String ns, String name) {
        return TestClusters.read(reader, cluster.context(), ns, name);
    }

    private static JsonNode stored(String ns, String name) {
        return cluster.get(Kind.DEPLOYMENTS, ns, name);
    }

    /** Ships {@code v1} and waits until it is rolled out. */
    private static void shipHealthy(Manifest m) {
        cluster.apply(m.text());
        eventually().untilAsserted(() -> assertThat(read(m.meta().path("namespace").asText(), m.meta().path("name").asText()).status())
                .isEqualTo(ReleaseStatus.SUCCESS));
    }

    @Test
    void completeRolloutIsSuccess() {
        String ns = cluster.ns("complete");
        cluster.apply(Manifest.deployment(ns, "web").version("1.0.0").replicas(2).text());

        eventually().untilAsserted(() -> {
            Component c = read(ns, "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS);
            assertThat(c.verdict().message()).isEqualTo("deployment \"web\" successfully rolled out");
            assertThat(c.verdict().paused()).isFalse();
            assertThat(c.version()).isEqualTo("1.0.0");
            assertThat(c.readyReplicas()).isEqualTo(2);
        });
    }

    @Test
    void specNotYetObservedIsRunning() {
        String ns = cluster.ns("unobserved");
        shipHealthy(Manifest.deployment(ns, "web").version("1.0.0"));
        // the state a lagging or stopped kube-controller-manager leaves behind: on the real control plane it is
        // stopped; cluster-sim's controller cannot act on a maxSurge it cannot parse, so it never observes generation 2
        if (cluster.real()) {
            cluster.stopControllerManager();
            cluster.apply(Manifest.deployment(ns, "web").version("2.0.0").text());
        } else {
            cluster.apply(Manifest.deployment(ns, "web").version("2.0.0").rollingUpdate("one%", "0").text());
        }
        try {
            eventually().untilAsserted(() -> {
                JsonNode d = stored(ns, "web");
                assertThat(d.path("metadata").path("generation").asLong()).isEqualTo(2);
                assertThat(d.path("status").path("observedGeneration").asLong()).isEqualTo(1);
                // every replica count says "done", only the generation says otherwise
                assertThat(d.path("status").path("updatedReplicas").asInt()).isEqualTo(1);
                assertThat(d.path("status").path("availableReplicas").asInt()).isEqualTo(1);
            });
            Component c = read(ns, "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(c.verdict().message()).isEqualTo("Waiting for deployment spec update to be observed...");
        } finally {
            if (cluster.real()) cluster.startControllerManager();
            cluster.delete(Kind.DEPLOYMENTS, ns, "web");
        }
    }

    @Test
    void progressDeadlineExceededIsFailed() {
        String ns = cluster.ns("deadline");
        shipHealthy(Manifest.deployment(ns, "web").version("1.0.0"));
        cluster.apply(Manifest.deployment(ns, "web").version("2.0.0").neverReady().progressDeadlineSeconds(10).text());
        eventually().untilAsserted(() -> assertThat(read(ns, "web").status()).isEqualTo(ReleaseStatus.RUNNING));

        cluster.advance(Duration.ofSeconds(12));

        eventually().untilAsserted(() -> {
            Component c = read(ns, "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.FAILED);
            assertThat(c.verdict().message()).isEqualTo("deployment \"web\" exceeded its progress deadline");
        });
        JsonNode progressing = J.condition(stored(ns, "web"), "Progressing");
        assertThat(progressing.path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
    }

    @Test
    void fewerUpdatedThanDesiredIsRunning() {
        String ns = cluster.ns("updating");
        shipHealthy(Manifest.deployment(ns, "web").version("1.0.0").replicas(3));
        // one surge pod of the new version that never gets ready: 1 of 3 updated
        cluster.apply(Manifest.deployment(ns, "web").version("2.0.0").replicas(3).neverReady()
                .rollingUpdate("1", "0").text());

        eventually().untilAsserted(() -> {
            Component c = read(ns, "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(c.verdict().message())
                    .isEqualTo("Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...");
        });
    }

    @Test
    void oldReplicasStillRunningIsRunning() {
        String ns = cluster.ns("terminating");
        shipHealthy(Manifest.deployment(ns, "web").version("1.0.0"));
        // replicas 1, surge 1, unavailable 0: the new pod is all updated replicas, the old one must stay until it is ready
        cluster.apply(Manifest.deployment(ns, "web").version("2.0.0").neverReady().rollingUpdate("1", "0").text());

        eventually().untilAsserted(() -> {
            JsonNode s = stored(ns, "web").path("status");
            assertThat(s.path("updatedReplicas").asInt()).isEqualTo(1);
            assertThat(s.path("replicas").asInt()).isEqualTo(2);
            Component c = read(ns, "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(c.verdict().message())
                    .isEqualTo("Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...");
        });
    }

    @Test
    void updatedButUnavailableIsRunning() {
        String ns = cluster.ns("unavailable");
        shipHealthy(Manifest.deployment(ns, "web").version("1.0.0"));
        // surge 0, unavailable 1: the old pod goes first, the new one never gets ready
        cluster.apply(Manifest.deployment(ns, "web").version("2.0.0").neverReady().rollingUpdate("0", "1").text());

        eventually().untilAsserted(() -> {
            JsonNode s = stored(ns, "web").path("status");
            assertThat(s.path("updatedReplicas").asInt()).isEqualTo(1);
            assertThat(s.path("replicas").asInt()).isEqualTo(1);
            Component c = read(ns, "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(c.verdict().message())
                    .isEqualTo("Waiting for deployment \"web\" rollout to finish: 0 of 1 updated replicas are available...");
        });
    }

    @Test
    void pausedMidRolloutIsPausedNotFailed() {
        String ns = cluster.ns("paused");
        shipHealthy(Manifest.deployment(ns, "web").version("1.0.0").replicas(2));
        cluster.apply(Manifest.deployment(ns, "web").version("2.0.0").replicas(2).paused(true)
                .progressDeadlineSeconds(10).text());
        eventually().untilAsserted(() -> assertThat(J.condition(stored(ns, "web"), "Progressing").path("reason").asText())
                .isEqualTo("DeploymentPaused"));

        cluster.advance(Duration.ofSeconds(15)); // past the deadline: none applies while paused
        cluster.awaitQuiet(Duration.ofSeconds(5));

        Component c = read(ns, "web");
        assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(c.verdict().paused()).isTrue();
        assertThat(c.verdict().phase()).isEqualTo("Paused");
        assertThat(c.primary().paused()).isTrue();
        assertThat(c.version()).isEqualTo("2.0.0");
    }

    @Test
    void pausedAfterCompletingIsSuccessAndPaused() {
        String ns = cluster.ns("paused-done");
        shipHealthy(Manifest.deployment(ns, "web").version("1.0.0"));
        cluster.apply(Manifest.deployment(ns, "web").version("1.0.0").paused(true).text());

        eventually().untilAsserted(() -> {
            Component c = read(ns, "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS);
            assertThat(c.verdict().paused()).isTrue();
        });
    }

    @Test
    void scaledToZeroIsStillAComponent() {
        String ns = cluster.ns("zero");
        cluster.apply(Manifest.deployment(ns, "web").version("1.0.0").replicas(0).text());

        eventually().untilAsserted(() -> {
            Component c = read(ns, "web");
            assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS);
            assertThat(c.desiredReplicas()).isZero();
        });
    }
}

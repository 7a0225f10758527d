package dev.shipdeck.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.model.AnalysisRun;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.RolloutProgress;
import dev.shipdeck.core.model.StatusVerdict;
import dev.shipdeck.sim.testing.TestCluster;
import dev.shipdeck.sim.testing.TestCluster.Kind;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blue-green Rollouts case by case, driven by the Rollout controller (cluster-sim's; in the real tier Argo Rollouts'
 * own): Healthy with both services on the stable ReplicaSet, paused for promotion with the preview on the new version,
 * promoted, aborted by a person (CANCELLED), and a pre-promotion analysis whose {@code web} metric (served by a stub in
 * this test on 127.0.0.1) fails: FAILED with Argo's reason, and the run's metrics and measurements read from the
 * cluster. The Services are applied before the Rollout, and exist before it is shipped.
 */
@Tag("real")
class BlueGreenStatusTest {
    @TempDir
    static Path dir;
    static TestCluster cluster;
    static KubeClients clients;
    static ClusterReader reader;
    static HttpServer stub;
    static volatile String errorRate = "0.01";

    @BeforeAll
    static void start() throws IOException {
        cluster = TestCluster.builder().tag("bgstatus").rollouts().start(dir);
        clients = TestClusters.clients(cluster.kubeconfig(TestCluster.ADMIN));
        reader = new ClusterReader(clients);
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/metrics", ex -> {
            byte[] body = ("{\"errorRate\": " + errorRate + "}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        stub.start();
    }

    @AfterAll
    static void stop() {
        if (stub != null) stub.stop(0);
        if (clients != null) clients.close();
        if (cluster != null) cluster.close();
    }

    private static ConditionFactory eventually() {
        return TestClusters.eventually(cluster);
    }

    private static Component read(String ns) {
        return TestClusters.read(reader, cluster.context(), ns, "web");
    }

    private static JsonNode stored(String ns) {
        return cluster.get(Kind.ROLLOUTS, ns, "web");
    }

    private static Manifest web(String ns, String version) {
        return Manifest.rollout(ns, "web").blueGreen(false).version(version).replicas(2);
    }

    /** Services first (and there), then the Rollout at 1.0.0 until it is Healthy. */
    private static void healthy(String ns, Manifest v1) {
        for (String svc : Manifest.services(ns, "web")) cluster.apply(svc);
        eventually().untilAsserted(() -> assertThat(cluster.get(Kind.SERVICES, ns, "web-preview")).isNotNull());
        cluster.apply(v1.text());
        eventually().untilAsserted(() -> {
            Component c = read(ns);
            assertThat(c.status()).as("%s", c.verdict()).isEqualTo(ReleaseStatus.SUCCESS);
            assertThat(c.primary().rollout().blueGreen().activeVersion()).isEqualTo("1.0.0");
        });
    }

    private static void pausedForPromotion(String ns) {
        healthy(ns, web(ns, "1.0.0"));
        cluster.apply(web(ns, "2.0.0").text());
        eventually().untilAsserted(() -> {
            assertThat(stored(ns).at("/status/phase").asText()).isEqualTo("Paused");
            StatusVerdict v = read(ns).verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(v.awaitingPromotion()).isTrue();
            assertThat(v.message()).isEqualTo("awaiting promotion (BlueGreenPause)");
        });
    }

    @Test
    void healthyHasBothServicesOnTheStableVersion() {
        String ns = cluster.ns("bg-healthy");
        healthy(ns, web(ns, "1.0.0"));

        RolloutProgress p = read(ns).primary().rollout();
        assertThat(p.isBlueGreen()).isTrue();
        RolloutProgress.BlueGreen bg = p.blueGreen();
        assertThat(bg.activeService()).isEqualTo("web-active");
        assertThat(bg.previewService()).isEqualTo("web-preview");
        assertThat(bg.activeHash()).isEqualTo(p.stableHash()).isEqualTo(p.currentHash());
        assertThat(bg.previewVersion()).isEqualTo("1.0.0");
        assertThat(bg.previewDiffers()).isFalse();
        assertThat(bg.autoPromotionEnabled()).isFalse();
        assertThat(bg.scaleDownDelaySeconds()).isEqualTo(30);
        assertThat(p.fullyPromoted()).isTrue();
    }

    @Test
    void pausedForPromotionShowsTheActiveAndThePreviewVersion() {
        String ns = cluster.ns("bg-paused");
        pausedForPromotion(ns);

        RolloutProgress p = read(ns).primary().rollout();
        assertThat(p.pauseReason()).isEqualTo("BlueGreenPause");
        assertThat(p.blueGreen().activeVersion()).isEqualTo("1.0.0");
        assertThat(p.blueGreen().previewVersion()).isEqualTo("2.0.0");
        assertThat(p.blueGreen().previewDiffers()).isTrue();
        assertThat(p.blueGreen().activeHash()).isEqualTo(p.stableHash());
        assertThat(p.blueGreen().previewHash()).isEqualTo(p.currentHash());
    }

    @Test
    void promotedIsSuccessOnTheNewVersion() {
        String ns = cluster.ns("bg-promoted");
        pausedForPromotion(ns);

        // what `kubectl argo rollouts promote` sends for a paused blue-green rollout
        cluster.mergePatch(Kind.ROLLOUTS, ns, "web", "status", "{\"status\":{\"pauseConditions\":null}}");

        eventually().untilAsserted(() -> {
            Component c = read(ns);
            assertThat(c.status()).as("%s", c.verdict()).isEqualTo(ReleaseStatus.SUCCESS);
            assertThat(c.primary().rollout().blueGreen().activeVersion()).isEqualTo("2.0.0");
            assertThat(c.primary().rollout().fullyPromoted()).isTrue();
        });
    }

    @Test
    void abortedByAPersonIsCancelledWithTheActiveServiceBackOnTheStableVersion() {
        String ns = cluster.ns("bg-aborted");
        pausedForPromotion(ns);

        cluster.mergePatch(Kind.ROLLOUTS, ns, "web", "status", "{\"status\":{\"abort\":true}}");

        eventually().untilAsserted(() -> {
            Component c = read(ns);
            StatusVerdict v = c.verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.CANCELLED);
            assertThat(v.phase()).isEqualTo("Degraded");
            assertThat(v.message()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2");
            assertThat(c.primary().rollout().blueGreen().activeVersion()).isEqualTo("1.0.0");
        });
    }

    @Test
    void aFailingWebAnalysisIsFailedWithItsReasonAndItsMeasurements() {
        String ns = cluster.ns("bg-analysis");
        int port = stub.getAddress().getPort();
        cluster.apply("""
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate",
                 "metadata": {"name": "error-rate", "namespace": "%s"},
                 "spec": {"metrics": [{"name": "error-rate", "successCondition": "result < 0.05",
                          "provider": {"web": {"url": "http://127.0.0.1:%d/metrics", "jsonPath": "{$.errorRate}"}}}]}}
                """.formatted(ns, port));
        errorRate = "0.01";
        Manifest v1 = web(ns, "1.0.0");
        v1.blueGreenSpec().putObject("prePromotionAnalysis").putArray("templates").addObject().put("templateName", "error-rate");
        healthy(ns, v1);
        errorRate = "0.25";
        Manifest v2 = web(ns, "2.0.0");
        v2.blueGreenSpec().putObject("prePromotionAnalysis").putArray("templates").addObject().put("templateName", "error-rate");
        cluster.apply(v2.text());

        String reason = "RolloutAborted: Rollout aborted update to revision 2: Metric \"error-rate\" assessed Failed due to "
                + "failed (1) > failureLimit (0)";
        eventually().untilAsserted(() -> {
            StatusVerdict v = read(ns).verdict();
            assertThat(v.status()).isEqualTo(ReleaseStatus.FAILED);
            assertThat(v.message()).isEqualTo(reason);
        });
        Component c = read(ns);
        RolloutProgress p = c.primary().rollout();
        List<AnalysisRun> runs = p.analysisOf(p.currentHash());
        assertThat(runs).hasSize(1);
        AnalysisRun run = runs.get(0);
        assertThat(run.name()).isEqualTo("web-" + p.currentHash() + "-2-pre");
        assertThat(run.type()).isEqualTo("PrePromotion");
        assertThat(run.phase()).isEqualTo("Failed");
        assertThat(run.reason()).isEqualTo("Metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0)");
        assertThat(run.metrics()).hasSize(1);
        AnalysisRun.Metric m = run.metrics().get(0);
        assertThat(m.name()).isEqualTo("error-rate");
        assertThat(m.phase()).isEqualTo("Failed");
        assertThat(m.measurements()).hasSize(1);
        assertThat(m.measurements().get(0).phase()).isEqualTo("Failed");
        assertThat(m.measurements().get(0).value()).isEqualTo("0.25");
        assertThat(m.measurements().get(0).finishedAt()).isNotNull();
        // the first deploy is promoted at once, without analysis (as Argo does): this is the only run
        assertThat(cluster.list(Kind.ANALYSIS_RUNS, ns)).extracting(r -> r.at("/metadata/name").asText()).containsExactly(run.name());
    }
}

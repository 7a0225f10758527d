package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.shipdeck.sim.testing.TestCluster;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code shipdeck timeline -o json} and {@code components -o json} for Argo Rollouts: a blue-green Rollout whose
 * pre-promotion analysis fails on a {@code web} metric (served by a stub in this test): the FAILED release carries the
 * AnalysisRun (phase, message, why, the metric's measurements) and the active/preview versions; a blue-green Rollout
 * paused for promotion shows its preview and active version. On cluster-sim, and in the real tier against the real
 * Argo Rollouts controller (which reaches the stub on 127.0.0.1); the Services are applied before the Rollouts.
 */
@Tag("real")
class RolloutDetailsCommandTest {
    @TempDir
    static Path dir;
    private static TestCluster cluster;
    private static String ns;
    private static Map<String, String> env;
    private static HttpServer stub;
    private static volatile String value = "0.01";

    @BeforeAll
    static void start() throws IOException {
        cluster = TestCluster.builder().tag("rdetails").speed(20).rollouts().start(dir);
        ns = cluster.ns("rdetails");
        env = Map.of("KUBECONFIG", cluster.kubeconfig(TestCluster.ADMIN).toString(), "HOME", dir.toString());
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/rate", ex -> {
            byte[] body = ("{\"errorRate\": " + value + "}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        stub.start();
    }

    @AfterAll
    static void stop() {
        if (stub != null) stub.stop(0);
        if (cluster != null) cluster.close();
    }

    private static String services(String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s-active, namespace: %2$s}
                spec: {selector: {app: %1$s}, ports: [{port: 80}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s-preview, namespace: %2$s}
                spec: {selector: {app: %1$s}, ports: [{port: 80}]}
                """.formatted(name, ns);
    }

    private static String rollout(String name, String version, String analysis) {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata:
                  name: %1$s
                  namespace: %4$s
                  labels: {shipdeck.dev/component-name: %1$s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata:
                      labels: {app: %1$s, shipdeck.dev/component-name: %1$s, shipdeck.dev/version: "%2$s"}
                    spec:
                      containers: [{name: app, image: "registry.example.com/%1$s:%2$s"}]
                  strategy:
                    blueGreen:
                      activeService: %1$s-active
                      previewService: %1$s-preview
                      autoPromotionEnabled: false
                %3$s""".formatted(name, version, analysis, ns);
    }

    /** The Services on their own, and there, before the Rollout (the real controller needs them when it first sees it). */
    private static void applyServices(String name) {
        cluster.apply(services(name));
        await().atMost(cluster.patience()).untilAsserted(() ->
                assertThat(cluster.get(TestCluster.Kind.SERVICES, ns, name + "-preview")).isNotNull());
    }

    private static List<JsonNode> json(String... args) {
        Cli.Result r = Cli.run(env, args);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        return Cli.items(r.json());
    }

    private static JsonNode release(String component, String version) {
        return json("timeline", "-o", "json", "--component", component).stream()
                .filter(r -> r.path("version").asText().equals(version)).findFirst().orElseThrow();
    }

    @Test
    void aFailedAnalysisIsTheReasonOfTheFailedReleaseWithItsMeasurements() {
        cluster.apply("""
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: error-rate, namespace: %s}
                spec:
                  metrics:
                    - name: error-rate
                      successCondition: result < 0.05
                      provider:
                        web: {url: "http://127.0.0.1:%d/rate", jsonPath: "{$.errorRate}"}
                """.formatted(ns, stub.getAddress().getPort()));
        String analysis = """
                      prePromotionAnalysis:
                        templates: [{templateName: error-rate}]
                """;
        applyServices("gated");
        cluster.apply(rollout("gated", "1.0.0", analysis));
        await().atMost(cluster.patience()).untilAsserted(() -> assertThat(release("gated", "1.0.0").path("status").asText()).isEqualTo("SUCCESS"));
        value = "0.3";
        cluster.apply(rollout("gated", "1.1.0", analysis));

        await().atMost(cluster.patience()).untilAsserted(() -> assertThat(release("gated", "1.1.0").path("status").asText()).isEqualTo("FAILED"));
        JsonNode failed = release("gated", "1.1.0");
        assertThat(failed.path("analysis")).hasSize(1);
        JsonNode run = failed.path("analysis").get(0);
        assertThat(run.path("name").asText()).startsWith("gated-").endsWith("-2-pre");
        assertThat(run.path("type").asText()).isEqualTo("PrePromotion");
        assertThat(run.path("phase").asText()).isEqualTo("Failed");
        assertThat(run.path("message").asText()).isEqualTo("Metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0)");
        assertThat(run.path("reason").asText()).isEqualTo(run.path("message").asText());
        JsonNode metric = run.path("metrics").get(0);
        assertThat(metric.path("name").asText()).isEqualTo("error-rate");
        assertThat(metric.path("phase").asText()).isEqualTo("Failed");
        assertThat(metric.path("measurements")).hasSize(1);
        assertThat(metric.path("measurements").get(0).path("phase").asText()).isEqualTo("Failed");
        assertThat(metric.path("measurements").get(0).path("value").asText()).isEqualTo("0.3");
        assertThat(metric.path("measurements").get(0).path("finishedAt").asText()).endsWith("Z");
        // the active service went back to (stayed on) 1.0.0; the preview is the failed version
        assertThat(failed.path("blueGreen").path("role").asText()).isEqualTo("preview");
        assertThat(failed.path("blueGreen").path("activeVersion").asText()).isEqualTo("1.0.0");
        assertThat(failed.path("blueGreen").path("previewVersion").asText()).isEqualTo("1.1.0");
        // the first release was promoted without analysis (initial deploy): nothing to show
        JsonNode first = release("gated", "1.0.0");
        assertThat(first.has("analysis")).isFalse();
        assertThat(first.path("blueGreen").path("role").asText()).isEqualTo("active");

        JsonNode component = json("components", "-o", "json").stream().filter(c -> c.path("name").asText().equals("gated")).findFirst().orElseThrow();
        assertThat(component.path("analysis").get(0).path("phase").asText()).isEqualTo("Failed");
        assertThat(component.path("blueGreen").path("previewVersion").asText()).isEqualTo("1.1.0");
    }

    @Test
    void pausedForPromotionShowsActiveAndPreview() {
        applyServices("shop");
        cluster.apply(rollout("shop", "2.0.0", ""));
        await().atMost(cluster.patience()).untilAsserted(() -> assertThat(release("shop", "2.0.0").path("status").asText()).isEqualTo("SUCCESS"));
        cluster.apply(rollout("shop", "2.1.0", ""));

        await().atMost(cluster.patience()).untilAsserted(() -> {
            JsonNode c = json("components", "-o", "json").stream().filter(x -> x.path("name").asText().equals("shop")).findFirst().orElseThrow();
            assertThat(c.path("status").asText()).isEqualTo("RUNNING");
            assertThat(c.path("blueGreen").path("activeVersion").asText()).isEqualTo("2.0.0");
            assertThat(c.path("blueGreen").path("previewVersion").asText()).isEqualTo("2.1.0");
            assertThat(c.path("blueGreen").path("activeService").asText()).isEqualTo("shop-active");
            assertThat(c.path("blueGreen").path("autoPromotionEnabled").asBoolean(true)).isFalse();
            assertThat(c.path("blueGreen").path("scaleDownDelaySeconds").asInt()).isEqualTo(30);
        });
        JsonNode running = release("shop", "2.1.0");
        assertThat(running.path("status").asText()).isEqualTo("RUNNING");
        assertThat(running.path("blueGreen").path("role").asText()).isEqualTo("preview");
        assertThat(running.has("analysis")).isFalse();
    }
}

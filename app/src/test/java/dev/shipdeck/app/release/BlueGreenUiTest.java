package dev.shipdeck.app.release;

import com.sun.net.httpserver.HttpServer;
import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.UiTestSupport;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.app.timeline.TimelineRow;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.sim.SimCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.awaitLive;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blue-green Rollouts on the release page, on a demo cluster of their own: one paused for promotion shows the active
 * and the preview version and offers the plugin's promote, which switches the active service; one whose
 * pre-promotion analysis fails on a {@code web} metric (served by a stub in this test) shows FAILED with the
 * analysis' reason on the badge, and the Analysis tab lists the run with its phase, why it failed and the metric's
 * measurements.
 */
@ExtendWith(ApplicationExtension.class)
class BlueGreenUiTest {
    private static final String NS = "shop";
    static DemoCluster demo;
    static HttpServer stub;
    static volatile String errorRate = "0.01";

    @TempDir
    static Path config;

    MainWindow window;

    @BeforeAll
    static void startCluster() throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/rate", ex -> {
            byte[] body = ("{\"errorRate\": " + errorRate + "}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        stub.start();
        demo = DemoCluster.start();
        SimCluster c = demo.sim().cluster("prod-eu");
        c.ensureNamespace(NS);
        c.apply("""
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: error-rate, namespace: shop}
                spec:
                  metrics:
                    - name: error-rate
                      successCondition: result < 0.05
                      provider:
                        web: {url: "http://127.0.0.1:%d/rate", jsonPath: "{$.errorRate}"}
                """.formatted(stub.getAddress().getPort()));
        for (String name : new String[] {"basket", "search"}) c.apply(services(name));
        c.apply(rollout("basket", "1.0.0", ""));
        c.apply(rollout("search", "3.0.0", ANALYSIS));
        // the JavaFX toolkit is not up yet: wait with Awaitility itself
        org.awaitility.Awaitility.await("both are healthy").atMost(Duration.ofSeconds(30))
                .until(() -> phase(c, "basket").equals("Healthy") && phase(c, "search").equals("Healthy"));
        errorRate = "0.4";
        c.apply(rollout("basket", "1.1.0", ""));
        c.apply(rollout("search", "3.1.0", ANALYSIS));
        org.awaitility.Awaitility.await("basket waits for promotion, search is aborted by its analysis").atMost(Duration.ofSeconds(30))
                .until(() -> phase(c, "basket").equals("Paused") && phase(c, "search").equals("Degraded"));
    }

    private static final String ANALYSIS = """
                  prePromotionAnalysis:
                    templates: [{templateName: error-rate}]
            """;

    private static String phase(SimCluster c, String name) {
        return c.store().get(c.rollouts(), NS, name).at("/status/phase").asText();
    }

    private static String services(String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s-active, namespace: shop}
                spec: {selector: {app: %1$s}, ports: [{port: 80}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s-preview, namespace: shop}
                spec: {selector: {app: %1$s}, ports: [{port: 80}]}
                """.formatted(name);
    }

    private static String rollout(String name, String version, String analysis) {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata:
                  name: %1$s
                  namespace: shop
                  labels: {shipdeck.dev/component-name: %1$s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata:
                      labels: {app: %1$s, shipdeck.dev/component-name: %1$s, shipdeck.dev/version: "%2$s"}
                      annotations: {sim.shipdeck.dev/ready-after-seconds: "0"}
                    spec:
                      containers: [{name: app, image: "registry.example.com/%1$s:%2$s"}]
                  strategy:
                    blueGreen:
                      activeService: %1$s-active
                      previewService: %1$s-preview
                      autoPromotionEnabled: false
                      scaleDownDelaySeconds: 600
                %3$s""".formatted(name, version, analysis);
    }

    @AfterAll
    static void stopCluster() {
        if (demo != null) demo.close();
        if (stub != null) stub.stop(0);
    }

    @Start
    void start(Stage stage) {
        window = UiTestSupport.open(stage, demo.adminKubeconfig(), config);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.stage().close());
    }

    /** Opens the release page of {@code component} {@code version} (expected with {@code status}) from the timeline. */
    private void openRelease(FxRobot robot, String component, String version, ReleaseStatus status) {
        awaitLive(window);
        robot.clickOn("#search").write(component + " prod-eu");
        @SuppressWarnings("unchecked")
        TableView<TimelineRow> table = (TableView<TimelineRow>) robot.lookup("#timeline-table").query();
        await(version + " is " + status, Duration.ofSeconds(15), () -> table.getItems().stream()
                .anyMatch(r -> r.release().version().equals(version) && r.release().status() == status));
        for (int attempt = 1; ; attempt++) {
            UiTestSupport.clickInRow(robot, table, row -> row.release().status() == status && row.release().version().equals(version),
                    n -> n instanceof Hyperlink h && h.getText().equals(version));
            try {
                await("the release page opens", Duration.ofSeconds(10), () -> robot.lookup("#release-page").tryQuery().isPresent());
                break;
            } catch (AssertionError e) {
                if (attempt == 3) throw e;
            }
        }
    }

    private static String text(FxRobot robot, String query) {
        return fx(() -> robot.lookup(query).queryLabeled().getText());
    }

    @Test
    void pausedForPromotionShowsActiveAndPreviewAndPromoteSwitchesTheActiveService(FxRobot robot) {
        openRelease(robot, "basket", "1.1.0", ReleaseStatus.RUNNING);

        await("the blue-green view", Duration.ofSeconds(15), () -> robot.lookup("#blue-green").tryQuery().map(Node::isVisible).orElse(false)
                && text(robot, "#bg-active").startsWith("Active: 1.0.0"));
        assertThat(text(robot, "#bg-active")).isEqualTo("Active: 1.0.0  (service basket-active)");
        assertThat(text(robot, "#bg-preview")).isEqualTo("Preview: 1.1.0  (service basket-preview)");
        assertThat(text(robot, "#bg-facts")).startsWith("Auto-promotion off: waits for a person to promote")
                .contains("scaled down 600 s after the switch");
        assertThat(text(robot, "#pause-reason")).isEqualTo("Paused: BlueGreenPause");
        assertThat(fx(() -> robot.lookup("#canary-steps").query().isVisible())).as("no canary steps for blue-green").isFalse();
        await("promote is offered", Duration.ofSeconds(15), () -> !robot.lookup("#canary #action-promote").queryButton().isDisabled());
        assertThat(fx(() -> robot.lookup("#canary #action-retry").queryButton().isDisabled())).as("retry only after an abort").isTrue();

        robot.clickOn("#canary #action-promote");
        await("the confirmation is ready", Duration.ofSeconds(10), () -> robot.lookup("#plan-summary").tryQuery().isPresent()
                && robot.lookup("#plan-summary").queryLabeled().getText().startsWith("Will promote basket (switch the active service to the preview)"));
        robot.clickOn("#confirm-button");

        try (KubernetesClient client = demo.client("prod-eu")) {
            await("the active service selects 1.1.0", Duration.ofSeconds(20), () -> {
                String hash = client.services().inNamespace(NS).withName("basket-active").get().getSpec().getSelector()
                        .get("rollouts-pod-template-hash");
                return hash != null && client.apps().replicaSets().inNamespace(NS).withName("basket-" + hash).get().getSpec()
                        .getTemplate().getMetadata().getLabels().get("shipdeck.dev/version").equals("1.1.0");
            });
        }
        await("the page follows", Duration.ofSeconds(20), () -> text(robot, "#bg-active").startsWith("Active: 1.1.0"));
    }

    @Test
    void aFailedAnalysisIsTheReasonOnTheFailedBadgeAndTheAnalysisTabShowsItsMeasurements(FxRobot robot) {
        openRelease(robot, "search", "3.1.0", ReleaseStatus.FAILED);

        String reason = "Metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0)";
        await("the badge says why", Duration.ofSeconds(15), () -> {
            Label badge = (Label) robot.lookup("#release-status").query();
            return badge.getTooltip() != null && badge.getTooltip().getText().endsWith(reason);
        });
        assertThat(text(robot, "#release-message")).isEqualTo("FAILED: RolloutAborted: Rollout aborted update to revision 2: " + reason);

        robot.clickOn("#analysis-tab");
        await("the run is listed", Duration.ofSeconds(10), () -> robot.lookup(".analysis-run").tryQuery().isPresent());
        Node run = robot.lookup(".analysis-run").query();
        assertThat(run.getId()).startsWith("analysis-run-search-").endsWith("-2-pre");
        assertThat(labels(robot, run, l -> l.getStyleClass().contains("analysis-phase"))).isEqualTo("Failed");
        assertThat(labels(robot, run, l -> l.getStyleClass().contains("analysis-reason"))).isEqualTo("Why it failed: " + reason);
        assertThat(labels(robot, run, l -> l.getStyleClass().contains("analysis-metric"))).startsWith("Metric error-rate: Failed  ·  1 measured, 1 failed");
        @SuppressWarnings("unchecked")
        TableView<dev.shipdeck.core.model.AnalysisRun.Measurement> table =
                (TableView<dev.shipdeck.core.model.AnalysisRun.Measurement>) robot.from(run).lookup(".analysis-measurements").query();
        assertThat(fx(() -> table.getItems().size())).isEqualTo(1);
        assertThat(fx(() -> table.getItems().get(0).phase())).isEqualTo("Failed");
        assertThat(fx(() -> table.getItems().get(0).value())).isEqualTo("0.4");
        assertThat(text(robot, "#analysis-state")).isEqualTo("1 of 1 AnalysisRun failed: " + reason);
    }

    private static String labels(FxRobot robot, Node in, Predicate<Label> which) {
        return fx(() -> robot.from(in).lookup(".label").queryAllAs(Label.class).stream().filter(which).findFirst().map(Label::getText).orElse(""));
    }
}

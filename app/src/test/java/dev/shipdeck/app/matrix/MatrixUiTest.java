package dev.shipdeck.app.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.UiTestSupport;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.matrix.Matrix;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.sim.testing.Kubectl;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.awaitLive;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Matrix tab on a demo cluster of its own (the tests change it), with kubectl as the referee: what it shows, what
 * it highlights, and shipping a version from staging to prod-eu from a cell.
 */
@ExtendWith(ApplicationExtension.class)
class MatrixUiTest {
    static DemoCluster demo;
    static Kubectl kubectl;

    @TempDir
    static Path config;

    MainWindow window;

    @BeforeAll
    static void startCluster() {
        Kubectl.assumeAvailable();
        demo = DemoCluster.start();
        kubectl = new Kubectl(demo.adminKubeconfig(), demo.dir().resolve("kube-cache"));
    }

    @AfterAll
    static void stopCluster() {
        if (demo != null) demo.close();
    }

    @Start
    void start(Stage stage) {
        window = UiTestSupport.open(stage, demo.adminKubeconfig(), config);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.stage().close());
    }

    @Test
    void theMatrixShowsEveryComponentInEveryEnvironmentAsKubectlReportsIt(FxRobot robot) {
        awaitLive(window);
        TableView<Matrix.Row> table = MatrixUi.open(robot, window);
        // the demo's contexts have stage words in their names: dev → staging → prod-eu
        assertThat(MatrixUi.columns(table)).containsExactly("dev", "staging", "prod-eu");
        Map<String, String> kubectlSays = MatrixUi.kubectlVersions(kubectl);
        assertThat(kubectlSays).hasSize(36);
        assertThat(MatrixUi.matrixVersions(table)).isEqualTo(kubectlSays);

        // prod-eu runs the release before staging's: the cell says so, in words and in its tint
        Matrix.Cell prod = MatrixUi.cell(table, "payments-api", "prod-eu");
        assertThat(prod.highlights()).containsExactly(Matrix.Highlight.BEHIND);
        assertThat(prod.previousVersion()).isEqualTo(kubectlSays.get("staging/payments-api"));
        await("the behind cell is highlighted with its count", Duration.ofSeconds(10), () -> {
            TableCell<?, ?> c = MatrixUi.find(table, "payments-api", "prod-eu");
            return c != null && c.getStyleClass().contains("matrix-behind") && MatrixUi.marker(c).equals("1 behind")
                    && c.getStyleClass().stream().noneMatch(s -> s.equals("matrix-drift"));
        });
        // the first environment of the lane is compared with nothing
        await("dev's cell has no highlight", Duration.ofSeconds(10), () -> {
            TableCell<?, ?> c = MatrixUi.find(table, "payments-api", "dev");
            return c != null && c.getStyleClass().stream().noneMatch(s -> s.startsWith("matrix-") && !s.equals("matrix-cell"))
                    && MatrixUi.marker(c).isEmpty();
        });

        // a seeded drift: prod-eu's indexer labelled with staging's version while it keeps its own image
        String stagingIndexer = kubectlSays.get("staging/indexer");
        Kubectl.Result patched = kubectl.run("--context", "prod-eu", "-n", "search", "patch", "deployment", "indexer", "--type", "merge", "-p",
                "{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"shipdeck.dev/version\":\"" + stagingIndexer + "\"}}}}}");
        assertThat(patched.ok()).as("%s", patched).isTrue();
        await("the drifting cell is highlighted", Duration.ofSeconds(20), () -> {
            TableCell<?, ?> c = MatrixUi.find(table, "indexer", "prod-eu");
            return c != null && c.getStyleClass().contains("matrix-drift") && MatrixUi.marker(c).equals("drift");
        });
        assertThat(MatrixUi.cell(table, "indexer", "prod-eu").version()).isEqualTo(stagingIndexer);
    }

    @Test
    void shippingFromStagingToProdEuCopiesTheImagesOnlyIsAuditedAndRollsOut(FxRobot robot) {
        // prod-eu runs 3 replicas of fraud-scorer, staging 2: the ship must leave prod-eu's count alone
        assertThat(kubectl.run("--context", "prod-eu", "-n", "payments", "scale", "deployment", "fraud-scorer", "--replicas=3").ok()).isTrue();
        JsonNode prodBefore = MatrixUi.kubectlJson(kubectl, "--context", "prod-eu", "-n", "payments", "get", "deployment", "fraud-scorer", "-o", "json");
        JsonNode staging = MatrixUi.kubectlJson(kubectl, "--context", "staging", "-n", "payments", "get", "deployment", "fraud-scorer", "-o", "json");
        String version = MatrixUi.label(staging.path("spec").path("template").path("metadata").path("labels"), "version");
        awaitLive(window);
        TableView<Matrix.Row> table = MatrixUi.open(robot, window);
        await("prod-eu's fraud-scorer is behind staging at 3 replicas", Duration.ofSeconds(15), () -> {
            Matrix.Cell c = MatrixUi.cell(table, "fraud-scorer", "prod-eu");
            return c.has(Matrix.Highlight.BEHIND) && c.desired() == 3;
        });

        MatrixUi.click(robot, table, "fraud-scorer", "prod-eu", MouseButton.SECONDARY);
        await("the cell's menu offers the ship, allowed", Duration.ofSeconds(15), () -> {
            MenuItem ship = item(window, "ship-staging-to-prod-eu");
            return ship != null && ship.getText().equals("Ship " + version + " from staging to prod-eu") && !ship.isDisable();
        });
        robot.clickOn("Ship " + version + " from staging to prod-eu");

        await("the confirmation shows the exact patch", Duration.ofSeconds(15), () -> robot.lookup("#plan-summary").tryQuery().isPresent()
                && robot.lookup("#plan-summary").queryLabeled().getText().startsWith("Will ship " + version + " from staging to prod-eu"));
        assertThat(robot.lookup("#confirm-component").queryLabeled().getText()).isEqualTo("fraud-scorer");
        assertThat(robot.lookup("#confirm-environment").queryLabeled().getText()).isEqualTo("prod-eu");
        assertThat(robot.lookup("#plan-warnings").queryLabeled().getText()).contains("not copied, stays as it is: replicas (prod-eu 3, staging 2)");
        robot.clickOn("#show-patch");
        assertThat(fx(() -> robot.lookup("#plan-text").queryTextInputControl().getText()))
                .startsWith("PATCH /apis/apps/v1/namespaces/payments/deployments/fraud-scorer")
                .contains("strategic-merge-patch+json", "\"shipdeck.dev/version\" : \"" + version + "\"",
                        "\"image\" : \"" + images(staging).get("fraud-scorer") + "\"")
                .doesNotContain("replicas");
        assertThat(robot.lookup("#confirm-button").queryButton().isDisabled()).as("prod-eu is production: the word first").isTrue();
        robot.clickOn("#confirm-reason").write("release train 42");
        robot.clickOn("#confirm-word").write("SHIP");
        await("confirm is allowed once SHIP is typed", Duration.ofSeconds(5), () -> !robot.lookup("#confirm-button").queryButton().isDisabled());
        robot.clickOn("#confirm-button");

        // the cell follows the rollout; prod-eu's images become staging's, and nothing else of it changes
        List<ReleaseStatus> seen = new ArrayList<>();
        await("the cell turns RUNNING with " + version, Duration.ofSeconds(20), () -> {
            Matrix.Cell c = MatrixUi.cell(table, "fraud-scorer", "prod-eu");
            if (c.version().equals(version) && (seen.isEmpty() || seen.get(seen.size() - 1) != c.status())) seen.add(c.status());
            return seen.contains(ReleaseStatus.RUNNING);
        });
        await("then SUCCESS", Duration.ofSeconds(40), () -> {
            Matrix.Cell c = MatrixUi.cell(table, "fraud-scorer", "prod-eu");
            return c.version().equals(version) && c.status() == ReleaseStatus.SUCCESS && c.highlights().isEmpty();
        });
        JsonNode prodAfter = MatrixUi.kubectlJson(kubectl, "--context", "prod-eu", "-n", "payments", "get", "deployment", "fraud-scorer", "-o", "json");
        assertThat(images(prodAfter)).isEqualTo(images(staging)).isNotEqualTo(images(prodBefore));
        assertThat(MatrixUi.label(prodAfter.path("spec").path("template").path("metadata").path("labels"), "version")).isEqualTo(version);
        assertThat(prodAfter.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(env(prodAfter)).isEqualTo(env(prodBefore));
        await("the outcome shows above the matrix", Duration.ofSeconds(10), () ->
                robot.lookup("#command-progress").queryLabeled().getText().startsWith("Done: ship " + version + " from staging to prod-eu"));

        // Enter on the cell opens the component there; its Commands tab lists the ship with the reason
        MatrixUi.click(robot, table, "fraud-scorer", "prod-eu", MouseButton.PRIMARY);
        robot.type(KeyCode.ENTER);
        await("the component page opens in prod-eu", Duration.ofSeconds(10), () -> robot.lookup("#component-name").tryQuery().isPresent()
                && robot.lookup("#component-name").queryLabeled().getText().equals("fraud-scorer")
                && robot.lookup("#component-environment").queryLabeled().getText().equals("prod-eu"));
        robot.clickOn("#commands-tab");
        @SuppressWarnings("unchecked")
        TableView<CommandRecord> commands = (TableView<CommandRecord>) robot.lookup("#commands-table").query();
        await("the Commands tab lists the ship", Duration.ofSeconds(10), () -> commands.getItems().size() == 1);
        CommandRecord r = fx(() -> commands.getItems().get(0));
        assertThat(r.action()).isEqualTo(Action.SHIP);
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.who()).isEqualTo("admin");
        assertThat(r.args()).containsEntry("from", "staging").containsEntry("version", version);
        assertThat(r.reason()).isEqualTo("release train 42");
        // the version is the same as staging's now: the page's Ship button has nothing new to bring but stays offered
        assertThat(robot.lookup("#action-ship").queryButton().getText()).isEqualTo("Ship " + version + " from staging");
    }

    @Test
    void theAnnotationTurnsShipOffWithItsReason(FxRobot robot) {
        assertThat(kubectl.run("--context", "prod-eu", "-n", "payments", "annotate", "deployment", "ledger-worker",
                "shipdeck.dev/ship-version-enabled=false").ok()).isTrue();
        awaitLive(window);
        TableView<Matrix.Row> table = MatrixUi.open(robot, window);
        await("the live view has the annotation", Duration.ofSeconds(15), () -> window.viewModel().snapshotProperty().get().environment("prod-eu")
                .components().stream().filter(c -> c.name().equals("ledger-worker")).findFirst()
                .map(c -> "false".equals(c.primary().annotations().get("shipdeck.dev/ship-version-enabled"))).orElse(false));
        MatrixUi.click(robot, table, "ledger-worker", "prod-eu", MouseButton.SECONDARY);
        await("the ship is off, with the annotation's reason", Duration.ofSeconds(15), () -> {
            MenuItem ship = item(window, "ship-staging-to-prod-eu");
            MenuItem why = item(window, "ship-staging-to-prod-eu-reason");
            return ship != null && ship.isDisable() && why != null && why.isVisible()
                    && why.getText().equals("turned off for this component by the annotation shipdeck.dev/ship-version-enabled: \"false\"");
        });
        // shipping out of staging is not turned off there
        robot.type(KeyCode.ESCAPE);
        MatrixUi.click(robot, table, "ledger-worker", "staging", MouseButton.SECONDARY);
        await("staging's menu offers dev's version, allowed", Duration.ofSeconds(15), () -> {
            MenuItem in = item(window, "ship-dev-to-staging");
            return in != null && !in.isDisable();
        });
    }

    /** The menu item of the matrix's context menu with that id, or null (on the UI thread). */
    static MenuItem item(MainWindow window, String id) {
        ContextMenu m = window.view().matrixView().menu();
        if (m == null || !m.isShowing()) return null;
        return m.getItems().stream().filter(i -> id.equals(i.getId())).findFirst().orElse(null);
    }

    /** Container name → image of a workload's pod template. */
    static Map<String, String> images(JsonNode workload) {
        Map<String, String> out = new LinkedHashMap<>();
        workload.path("spec").path("template").path("spec").path("containers").forEach(c -> out.put(c.path("name").asText(), c.path("image").asText()));
        return out;
    }

    /** Container name → its env, as JSON text. */
    static Map<String, String> env(JsonNode workload) {
        Map<String, String> out = new LinkedHashMap<>();
        workload.path("spec").path("template").path("spec").path("containers").forEach(c -> out.put(c.path("name").asText(), c.path("env").toString()));
        return out;
    }
}

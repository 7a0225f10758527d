package dev.shipdeck.app.components;

import dev.shipdeck.app.UiTestSupport;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Json;
import dev.shipdeck.sim.Resources;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
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
import java.util.List;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.awaitLive;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Editing the labels on the component page runs core's edit-labels command through the usual confirmation: the
 * dialog shows the exact merge patch of the annotation, confirming sends it, and the Commands tab has its record.
 */
@ExtendWith(ApplicationExtension.class)
class LabelsUiTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;

    MainWindow window;

    @BeforeAll
    static void startCluster() {
        sim = ClusterSim.builder().scenario("empty").start();
        sim.cluster("sim").apply(String.join("---\n", Crds.yaml()));
        sim.cluster("sim").apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: checkout
                  namespace: shop
                  labels: {shipdeck.dev/component-name: checkout}
                  annotations: {shipdeck.dev/labels: "team:shop"}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: checkout}}
                  template:
                    metadata: {labels: {app: checkout, shipdeck.dev/version: "1.4.1"}}
                    spec: {containers: [{name: app, image: "example/checkout:1.4.1"}]}
                """);
        sim.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterAll
    static void stopCluster() {
        sim.close();
    }

    @Start
    void start(Stage stage) {
        window = UiTestSupport.open(stage, dir.resolve("kubeconfig"), dir.resolve("config"));
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.stage().close());
    }

    private static String annotation() {
        return Json.str(sim.cluster("sim").store().get(Resources.DEPLOYMENTS, "shop", "checkout"), null,
                "metadata", "annotations", "shipdeck.dev/labels");
    }

    private static List<String> chips(FxRobot robot) {
        HBox row = robot.lookup("#component-page .labels-row .chip-row").queryAs(HBox.class);
        return row.getChildren().stream().map(n -> ((Label) n).getText()).toList();
    }

    @Test
    void editedLabelsAreConfirmedWithTheExactPatchThenSentAndRecorded(FxRobot robot) {
        awaitLive(window);
        robot.clickOn("#components-tab");
        @SuppressWarnings("unchecked")
        TableView<ComponentRow> components = (TableView<ComponentRow>) robot.lookup("#components-table").query();
        await("checkout is listed", Duration.ofSeconds(10), () -> components.getItems().size() == 1);
        fx(() -> {
            components.scrollTo(0);
            components.getSelectionModel().select(0);
            components.requestFocus();
            return null;
        });
        robot.type(KeyCode.ENTER);
        await("the page shows the labels", Duration.ofSeconds(10), () -> robot.lookup("#component-page").tryQuery().isPresent()
                && chips(robot).equals(List.of("team:shop")));
        await("editing is allowed", Duration.ofSeconds(15), () -> !robot.lookup("#edit-labels").queryButton().isDisabled());

        robot.clickOn("#edit-labels");
        assertThat(fx(() -> robot.lookup("#labels-field").queryTextInputControl().getText())).isEqualTo("team:shop");
        robot.doubleClickOn("#labels-field").eraseText(20).write("team:payments, role");
        robot.clickOn("#save-labels");
        await("a bad label is explained in place", Duration.ofSeconds(5), () ->
                robot.lookup("#labels-error").queryLabeled().getText().startsWith("label \"role\" has no value"));
        assertThat(robot.lookup("#command-dialog").tryQuery()).as("no dialog for a bad label").isEmpty();

        robot.clickOn("#labels-field").eraseText(20).write("team:payments, role:web");
        robot.clickOn("#save-labels");
        await("the confirmation names the change", Duration.ofSeconds(10), () -> robot.lookup("#confirm-change").tryQuery().isPresent()
                && robot.lookup("#confirm-change").queryLabeled().getText().equals("labels team:shop → role:web, team:payments"));
        await("the exact patch is ready", Duration.ofSeconds(15), () -> robot.lookup("#plan-summary").queryLabeled().getText()
                .equals("Will set the labels of checkout to role:web, team:payments (were: team:shop)."));
        robot.clickOn("#show-patch");
        assertThat(fx(() -> robot.lookup("#plan-text").queryTextInputControl().getText()))
                .startsWith("PATCH /apis/apps/v1/namespaces/shop/deployments/checkout").contains("merge-patch+json")
                .contains("\"shipdeck.dev/labels\" : \"role:web, team:payments\"");
        assertThat(annotation()).as("nothing sent before confirming").isEqualTo("team:shop");
        await("confirm is enabled", Duration.ofSeconds(10), () -> !robot.lookup("#confirm-button").queryButton().isDisabled());
        robot.clickOn("#confirm-button");

        await("the workload has the new labels", Duration.ofSeconds(20), () -> "role:web, team:payments".equals(annotation()));
        await("the page shows them, live", Duration.ofSeconds(20), () -> chips(robot).equals(List.of("role:web", "team:payments")));

        robot.clickOn("#commands-tab");
        @SuppressWarnings("unchecked")
        TableView<CommandRecord> commands = (TableView<CommandRecord>) robot.lookup("#component-page #commands-table").query();
        await("the Commands tab lists it", Duration.ofSeconds(15), () -> commands.getItems().stream()
                .anyMatch(r -> r.action() == Action.EDIT_LABELS && r.outcome() == Outcome.SUCCEEDED && r.who().equals(ClusterSim.ADMIN)));
        assertThat(fx(() -> commands.getItems().stream().filter(r -> r.action() == Action.EDIT_LABELS).map(CommandRecord::args).toList()))
                .containsExactly(java.util.Map.of("labels", "role:web, team:payments"));
    }
}

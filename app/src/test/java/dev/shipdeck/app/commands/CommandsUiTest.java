package dev.shipdeck.app.commands;

import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.UiTestSupport;
import dev.shipdeck.app.components.ComponentRow;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.app.timeline.TimelineRow;
import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.model.Workload;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
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
import java.util.Map;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.awaitLive;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/** Commands from the pages, on a demo cluster of their own (they change it), checked through a kubeconfig client. */
@ExtendWith(ApplicationExtension.class)
class CommandsUiTest {
    static DemoCluster demo;

    @TempDir
    static Path config;

    MainWindow window;

    @BeforeAll
    static void startCluster() {
        demo = DemoCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        demo.close();
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
    void restoreOnAComponentChangesTheClusterAndIsListedInItsCommandsTab(FxRobot robot) {
        Snapshot before = demo.read();
        Workload w = component(before, "staging", "payments-api").primary();
        String current = w.version();
        String previous = w.versions().get(1).version();
        awaitLive(window);

        robot.clickOn("#components-tab");
        robot.clickOn("#search").write("payments-api staging");
        @SuppressWarnings("unchecked")
        TableView<ComponentRow> table = (TableView<ComponentRow>) robot.lookup("#components-table").query();
        await("one row is left", Duration.ofSeconds(10), () -> table.getItems().size() == 1);
        UiTestSupport.clickInRow(robot, table, row -> true, null);
        robot.type(KeyCode.ENTER);

        await("the restore button is allowed", Duration.ofSeconds(15), () -> !robot.lookup("#action-restore-version").queryButton().isDisabled());
        robot.clickOn("#action-restore-version");
        await("the confirmation names the change", Duration.ofSeconds(10), () ->
                robot.lookup("#confirm-change").tryQuery().isPresent()
                        && robot.lookup("#confirm-change").queryLabeled().getText().equals("version " + current + " → " + previous
                        + " (revision " + w.versions().get(1).revision() + ")"));
        assertThat(robot.lookup("#confirm-component").queryLabeled().getText()).isEqualTo("payments-api");
        assertThat(robot.lookup("#confirm-environment").queryLabeled().getText()).isEqualTo("staging");
        assertThat(robot.lookup("#confirm-button").queryButton().isDisabled()).as("not before the word is typed").isTrue();
        await("the exact patch is ready", Duration.ofSeconds(10), () ->
                robot.lookup("#plan-summary").queryLabeled().getText().startsWith("Will restore"));
        robot.clickOn("#show-patch");
        assertThat(fx(() -> robot.lookup("#plan-text").queryTextInputControl().getText()))
                .startsWith("PATCH /apis/apps/v1/namespaces/payments/deployments/payments-api").contains("json-patch+json");

        robot.clickOn("#confirm-word").write("RESTORE");
        robot.clickOn("#confirm-button");

        try (KubernetesClient client = demo.client("staging")) {
            await("the Deployment runs " + previous + " again", Duration.ofSeconds(20), () -> {
                Deployment d = client.apps().deployments().inNamespace("payments").withName("payments-api").get();
                return previous.equals(d.getSpec().getTemplate().getMetadata().getLabels().get("shipdeck.dev/version"));
            });
        }
        await("the outcome shows in place", Duration.ofSeconds(10), () ->
                robot.lookup("#command-progress").queryLabeled().getText().startsWith("Done: restore payments-api to version " + previous));

        robot.clickOn("#commands-tab");
        @SuppressWarnings("unchecked")
        TableView<CommandRecord> commands = (TableView<CommandRecord>) robot.lookup("#commands-table").query();
        await("the Commands tab lists it", Duration.ofSeconds(10), () -> commands.getItems().size() == 1);
        CommandRecord r = fx(() -> commands.getItems().get(0));
        assertThat(r.action()).isEqualTo(Action.RESTORE_VERSION);
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.who()).isEqualTo("admin");
        assertThat(r.args()).isEqualTo(Map.of("toRevision", Long.toString(w.versions().get(1).revision())));
    }

    @Test
    void promoteOnAPausedCanaryAdvancesIt(FxRobot robot) {
        long stepBefore;
        try (KubernetesClient client = demo.client("prod-eu")) {
            stepBefore = currentStep(client);
        }
        awaitLive(window);
        robot.clickOn("#search").write("checkout prod-eu");
        @SuppressWarnings("unchecked")
        TableView<TimelineRow> table = (TableView<TimelineRow>) robot.lookup("#timeline-table").query();
        await("the running canary is on top", Duration.ofSeconds(10), () ->
                !table.getItems().isEmpty() && table.getItems().get(0).release().status() == ReleaseStatus.RUNNING);
        String version = fx(() -> table.getItems().get(0).release().version());
        // a snapshot arriving between finding the link and clicking it can redraw the row: the click then only selects
        // the row, and a person clicks the link again
        for (int attempt = 1; ; attempt++) {
            UiTestSupport.clickInRow(robot, table, row -> row.release().status() == ReleaseStatus.RUNNING && row.release().version().equals(version),
                    n -> n instanceof Hyperlink h && h.getText().equals(version));
            try {
                await("the release page opens", Duration.ofSeconds(10), () -> robot.lookup("#canary").tryQuery().isPresent());
                break;
            } catch (AssertionError e) {
                if (attempt == 3) throw e;
            }
        }

        await("the canary view shows the pause", Duration.ofSeconds(15), () ->
                robot.lookup("#canary").query().isVisible() && robot.lookup("#pause-reason").queryLabeled().getText().startsWith("Paused"));
        await("promote is allowed", Duration.ofSeconds(15), () -> !robot.lookup("#canary #action-promote").queryButton().isDisabled());
        robot.clickOn("#canary #action-promote");
        await("the confirmation is ready", Duration.ofSeconds(10), () -> robot.lookup("#plan-summary").tryQuery().isPresent()
                && robot.lookup("#plan-summary").queryLabeled().getText().startsWith("Will promote"));
        assertThat(robot.lookup("#confirm-word").tryQuery()).as("promote needs no typed word")
                .hasValueSatisfying(n -> assertThat(n.isVisible() && n.getParent().isVisible()).isFalse());
        robot.clickOn("#confirm-button");

        try (KubernetesClient client = demo.client("prod-eu")) {
            await("the rollout moved past step " + stepBefore, Duration.ofSeconds(20), () -> currentStep(client) > stepBefore);
        }
        await("the page follows the rollout", Duration.ofSeconds(20), () ->
                robot.lookup("#current-step").queryLabeled().getText().matches("(Step [3-5] of 5.*|All 5 steps done.*)"));
    }

    static long currentStep(KubernetesClient client) {
        GenericKubernetesResource r = client.genericKubernetesResources("argoproj.io/v1alpha1", "Rollout")
                .inNamespace("payments").withName("checkout").get();
        Object status = r.getAdditionalProperties().get("status");
        Object idx = status instanceof Map<?, ?> m ? m.get("currentStepIndex") : null;
        return idx instanceof Number n ? n.longValue() : -1;
    }

    static Component component(Snapshot s, String env, String name) {
        return s.environment(env).components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}

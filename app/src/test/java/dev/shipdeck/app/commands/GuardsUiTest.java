package dev.shipdeck.app.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.UiTestSupport;
import dev.shipdeck.app.components.ComponentRow;
import dev.shipdeck.app.components.VersionRow;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import dev.shipdeck.sim.testing.Kubectl;
import io.fabric8.kubernetes.client.KubernetesClient;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.awaitLive;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guards on the desktop, on a demo cluster of their own with the Shipdeck CRDs: a version known only from a
 * Release record is in the history, marked and not offered; the scale dialog of an autoscaled component names the
 * autoscaler and offers its range or scaling anyway; the reason typed in the confirmation reaches the Event that
 * {@code kubectl get events} lists.
 */
@ExtendWith(ApplicationExtension.class)
class GuardsUiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static DemoCluster demo;
    static Kubectl kubectl;

    @TempDir
    static Path config;

    MainWindow window;

    @BeforeAll
    static void startCluster() {
        Kubectl.assumeAvailable();
        demo = DemoCluster.start();
        kubectl = new Kubectl(demo.adminKubeconfig(), demo.dir().resolve("kubectl-cache"));
        String crds = String.join("---\n", Crds.yaml().stream().map(d -> d.endsWith("\n") ? d : d + "\n").toList());
        Kubectl.Result applied = kubectl.runWithInput(Duration.ofSeconds(60), crds, "--context", "staging", "apply", "-f", "-");
        assertThat(applied.ok()).as("%s", applied).isTrue();
        org.awaitility.Awaitility.await("the Release records are served").atMost(Duration.ofSeconds(20))
                .until(() -> kubectl.run("--context", "staging", "get", "releases", "-n", "payments").ok());
        // a version the agent recorded long ago, whose ReplicaSet is gone (beyond revisionHistoryLimit)
        try (KubernetesClient client = demo.client("staging")) {
            String uid = client.apps().deployments().inNamespace("payments").withName("payments-api").get().getMetadata().getUid();
            Instant at = Instant.parse("2026-01-05T09:00:00Z");
            new ReleaseRecords(client).create(new ReleaseRecord("payments-api-old-1", "payments", "",
                    new ReleaseRecord.Spec("payments-api", "staging", new ReleaseRecord.WorkloadRef(WorkloadKind.DEPLOYMENT, "payments-api", uid,
                            "5c9f7d0ld", 1), "2.6.0", "", ReleaseType.DEPLOYMENT, "agent", false, Trigger.NONE, ""),
                    new ReleaseRecord.Status(ReleaseStatus.SUCCESS, "superseded by 2.7.0", "", at, at.plusSeconds(60), "", "agent")));
        }
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

    private void openComponent(FxRobot robot, String name, String environment) {
        awaitLive(window);
        robot.clickOn("#components-tab");
        robot.clickOn("#search").write(name + " " + environment);
        @SuppressWarnings("unchecked")
        TableView<ComponentRow> table = (TableView<ComponentRow>) robot.lookup("#components-table").query();
        await("one row is left", Duration.ofSeconds(10), () -> table.getItems().size() == 1);
        UiTestSupport.clickInRow(robot, table, row -> true, null);
        robot.type(KeyCode.ENTER);
    }

    /** The node matching {@code node} in the row of the version table whose item matches {@code item}, brought into view. */
    private static Node inRow(TableView<VersionRow> table, java.util.function.Predicate<VersionRow> item, java.util.function.Predicate<Node> node) {
        for (int i = 0; i < table.getItems().size(); i++) {
            if (!item.test(table.getItems().get(i))) continue;
            table.scrollTo(i);
            table.layout();
            for (Node n : table.lookupAll(".table-row-cell")) {
                if (n instanceof TableRow<?> r && r.getIndex() == i && !r.isEmpty()) {
                    return r.lookupAll("*").stream().filter(node).findFirst().orElse(null);
                }
            }
        }
        return null;
    }

    @Test
    void aVersionOutsideRevisionHistoryIsShownMarkedAndItsRestoreIsOff(FxRobot robot) {
        openComponent(robot, "payments-api", "staging");
        robot.clickOn("#show-older");
        @SuppressWarnings("unchecked")
        TableView<VersionRow> versions = (TableView<VersionRow>) robot.lookup("#versions-table").query();
        await("the recorded version is in the history, marked", Duration.ofSeconds(20), () -> {
            Node mark = inRow(versions, r -> r.version().version().equals("2.6.0"), n -> n.getStyleClass().contains("not-restorable"));
            return mark instanceof Label l && l.isVisible() && l.getText().equals("not restorable (outside revision history)");
        });
        await("its Restore button is off, with the reason", Duration.ofSeconds(10), () -> {
            Node b = inRow(versions, r -> r.version().version().equals("2.6.0"), n -> n.getStyleClass().contains("restore-row"));
            return b instanceof Button button && button.isVisible() && button.isDisabled() && button.getTooltip() != null
                    && button.getTooltip().getText().equals("not restorable (outside revision history)");
        });
        await("a kept older version can still be restored", Duration.ofSeconds(15), () -> {
            Node b = inRow(versions, r -> r.version().version().equals("2.7.0"), n -> n.getStyleClass().contains("restore-row"));
            return b instanceof Button button && button.isVisible() && !button.isDisabled();
        });
    }

    @Test
    void theScaleDialogNamesTheAutoscalerAndChangesItsRangeWithTheReasonInTheEvent(FxRobot robot) throws IOException {
        openComponent(robot, "payments-api", "prod-eu");
        await("scale is allowed", Duration.ofSeconds(15), () -> !robot.lookup("#action-scale").queryButton().isDisabled());
        robot.clickOn("#action-scale");
        await("the dialog names the autoscaler in its refusal", Duration.ofSeconds(15), () -> robot.lookup("#plan-summary").tryQuery().isPresent()
                && robot.lookup("#plan-summary").queryLabeled().getText().startsWith("Cannot run: scaled by HorizontalPodAutoscaler payments-api (min 3, max 10)"));
        assertThat(robot.lookup("#autoscaler-box").query().isVisible()).isTrue();
        assertThat(robot.lookup("#confirm-button").queryButton().isDisabled()).isTrue();

        robot.clickOn("#scale-anyway");
        await("scaling anyway is planned, with the warning", Duration.ofSeconds(15), () ->
                robot.lookup("#plan-summary").queryLabeled().getText().startsWith("Will scale payments-api from")
                        && robot.lookup("#plan-warnings").queryLabeled().getText().contains("it will change them"));

        robot.clickOn("#change-hpa-range");
        robot.clickOn("#hpa-min .increment-arrow-button");
        robot.clickOn("#hpa-max .increment-arrow-button");
        robot.clickOn("#hpa-max .increment-arrow-button");
        await("the range patch is planned", Duration.ofSeconds(15), () -> robot.lookup("#plan-summary").queryLabeled().getText()
                .equals("Will change the autoscaler range of payments-api from 3–10 to 4–12 (HorizontalPodAutoscaler payments-api)."));
        assertThat(fx(() -> robot.lookup("#scale-anyway").queryAs(javafx.scene.control.CheckBox.class).isSelected()))
                .as("the two ways exclude each other").isFalse();
        robot.clickOn("#show-patch");
        assertThat(fx(() -> robot.lookup("#plan-text").queryTextInputControl().getText()))
                .startsWith("PATCH /apis/autoscaling/v2/namespaces/payments/horizontalpodautoscalers/payments-api");
        robot.clickOn("#confirm-reason").write("campaign traffic");
        robot.clickOn("#confirm-word").write("SCALE");
        await("confirm is allowed", Duration.ofSeconds(10), () -> !robot.lookup("#confirm-button").queryButton().isDisabled());
        robot.clickOn("#confirm-button");

        await("the autoscaler has the new range", Duration.ofSeconds(20), () -> {
            JsonNode h = json("--context", "prod-eu", "get", "hpa", "payments-api", "-n", "payments", "-o", "json");
            return h != null && h.at("/spec/minReplicas").asInt() == 4 && h.at("/spec/maxReplicas").asInt() == 12;
        });
        List<JsonNode> events = new ArrayList<>();
        json("--context", "prod-eu", "get", "events", "-n", "payments", "-o", "json").path("items").forEach(e -> {
            if (e.path("reason").asText().equals("ShipdeckScale")) events.add(e);
        });
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.path("message").asText()).isEqualTo("admin changed the autoscaler range of payments-api from 3–10 to 4–12 "
                    + "(HorizontalPodAutoscaler payments-api): campaign traffic");
            assertThat(e.at("/involvedObject/kind").asText()).isEqualTo("Deployment");
            assertThat(e.at("/involvedObject/name").asText()).isEqualTo("payments-api");
            assertThat(e.path("type").asText()).isEqualTo("Normal");
        });
    }

    private static JsonNode json(String... args) {
        Kubectl.Result r = kubectl.run(args);
        if (!r.ok()) return null;
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

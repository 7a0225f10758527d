package dev.shipdeck.app.main;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.SharedDemo;
import dev.shipdeck.app.components.ComponentRow;
import dev.shipdeck.app.environments.EnvironmentRow;
import dev.shipdeck.app.timeline.TimelineRow;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.sim.Resources;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
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

/** The main window on the demo scenario, clicked like a person. */
@ExtendWith(ApplicationExtension.class)
class MainWindowUiTest {
    @TempDir
    static Path config;

    final DemoCluster demo = SharedDemo.get();
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = dev.shipdeck.app.UiTestSupport.open(stage, demo.adminKubeconfig(), config);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.stage().close());
    }

    @SuppressWarnings("unchecked")
    TableView<TimelineRow> timeline(FxRobot robot) {
        return (TableView<TimelineRow>) robot.lookup("#timeline-table").query();
    }

    @Test
    void theTimelineShowsTheSeededReleasesWithTheRightBadges(FxRobot robot) {
        awaitLive(window);
        TableView<TimelineRow> table = timeline(robot);
        assertThat(fx(() -> table.getItems().size())).isGreaterThan(40);

        robot.clickOn("#search").write("search-api prod-eu");
        await("the failed search-api release is listed", Duration.ofSeconds(10), () ->
                table.getItems().stream().anyMatch(r -> r.release().status() == ReleaseStatus.FAILED));
        assertThat(fx(() -> table.getItems().get(0).release().status())).isEqualTo(ReleaseStatus.FAILED);
        await("its badge reads FAILED in red", Duration.ofSeconds(5), () -> badgeTexts(table).contains("FAILED badge-failed"));

        robot.doubleClickOn("#search").eraseText(20).write("checkout prod-eu");
        await("the paused canary shows as RUNNING and PROGRESSIVE", Duration.ofSeconds(10), () ->
                badgeTexts(table).contains("RUNNING badge-running") && table.lookupAll(".tag-progressive").stream().anyMatch(Node::isVisible));
        assertThat(fx(() -> table.getItems().get(0).release().version())).isEqualTo("4.1.2");
    }

    @Test
    void aLabelChipNarrowsAllThreeTabsAndABadChipIsExplained(FxRobot robot) {
        awaitLive(window);
        robot.clickOn("#add-chip").write("tierprod").type(KeyCode.ENTER);
        await("the mistake is explained next to the field", Duration.ofSeconds(5), () -> {
            Label error = robot.lookup("#chip-error").queryAs(Label.class);
            return error.isVisible() && error.getText().contains("has no value");
        });
        robot.doubleClickOn("#chip-field").eraseText(10).write("tier:prod").type(KeyCode.ENTER);
        try {
            await("the chip is shown", Duration.ofSeconds(5), () -> robot.lookup("#chip-tier-prod").tryQuery().isPresent());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; field=" + fx(() -> ((javafx.scene.control.ComboBox<?>) robot.lookup("#chip-field").query()).getEditor().getText())
                    + " error=" + fx(() -> robot.lookup("#chip-error").queryAs(Label.class).getText()) + " chips=" + fx(() -> window.viewModel().chips()));
        }

        TableView<TimelineRow> table = timeline(robot);
        await("the timeline keeps prod-eu only", Duration.ofSeconds(5), () ->
                !table.getItems().isEmpty() && table.getItems().stream().allMatch(r -> r.release().environment().equals("prod-eu")));

        robot.clickOn("#components-tab");
        @SuppressWarnings("unchecked")
        TableView<ComponentRow> components = (TableView<ComponentRow>) robot.lookup("#components-table").query();
        await("the components keep prod-eu only", Duration.ofSeconds(5), () ->
                components.getItems().size() == 12 && components.getItems().stream().allMatch(r -> r.component().environment().equals("prod-eu")));

        robot.clickOn("#environments-tab");
        @SuppressWarnings("unchecked")
        TableView<EnvironmentRow> envs = (TableView<EnvironmentRow>) robot.lookup("#environments-table").query();
        await("only prod-eu has prod components", Duration.ofSeconds(5), () ->
                envs.getItems().stream().map(EnvironmentRow::name).toList().equals(List.of("prod-eu")));

        robot.clickOn("#remove-chip-tier-prod");
        await("without the chip every environment is back", Duration.ofSeconds(5), () -> envs.getItems().size() == 3);
    }

    @Test
    void aChangeMadeBehindTheAppsBackUpdatesTheBadgeWithoutAClick(FxRobot robot) {
        awaitLive(window);
        robot.clickOn("#components-tab");
        robot.clickOn("#search").write("indexer staging");
        @SuppressWarnings("unchecked")
        TableView<ComponentRow> components = (TableView<ComponentRow>) robot.lookup("#components-table").query();
        await("indexer in staging is SUCCESS", Duration.ofSeconds(10), () ->
                components.getItems().size() == 1 && badgeTexts(components).contains("SUCCESS badge-success"));

        // someone ships a version that never becomes ready, with kubectl, behind the app's back
        demo.sim().cluster("staging").store().mutate(Resources.DEPLOYMENTS, "search", "indexer", null, o -> {
            ObjectNode tpl = (ObjectNode) o.path("spec").path("template");
            ((ObjectNode) tpl.path("metadata").path("labels")).put("shipdeck.dev/version", "9.9.9");
            ((ObjectNode) tpl.path("metadata")).putObject("annotations").put("sim.shipdeck.dev/never-ready", "true");
            ((ObjectNode) tpl.path("spec").path("containers").get(0)).put("image", "registry.example.com/search/indexer:9.9.9");
            return true;
        });

        await("the badge turns RUNNING and the version 9.9.9", Duration.ofSeconds(20), () ->
                badgeTexts(components).contains("RUNNING badge-running")
                        && components.getItems().get(0).component().version().equals("9.9.9"));
    }

    /** "TEXT style" for every visible badge in the table. */
    static List<String> badgeTexts(TableView<?> table) {
        return table.lookupAll(".badge").stream().filter(n -> n instanceof Label && n.isVisible() && ((Label) n).getText() != null)
                .map(n -> ((Label) n).getText() + " " + n.getStyleClass().stream().filter(c -> c.startsWith("badge-")).findFirst().orElse(""))
                .toList();
    }

    @Test
    void onANarrowWindowTheHeaderDropsWholePartsInsteadOfEllipsizing(FxRobot robot) {
        awaitLive(window);
        robot.clickOn("#add-chip").write("team:payments").type(KeyCode.ENTER);
        for (double width : new double[] {1360, 1100, 900}) {
            robot.interact(() -> window.stage().setWidth(width));
            await("the header at " + width + " px shows every visible label whole", Duration.ofSeconds(10), () -> {
                javafx.scene.layout.HBox header = (javafx.scene.layout.HBox) window.stage().getScene().lookup(".header");
                header.layout();
                for (Node n : header.lookupAll(".label")) {
                    if (!(n instanceof javafx.scene.control.Labeled l) || !visible(l) || l.getText() == null || l.getText().isEmpty()) continue;
                    if (l.getWidth() + 0.5 < l.prefWidth(-1)) return false; // would be cut to "…"
                }
                return true;
            });
        }
        assertThat(fx(() -> robot.lookup("#chip-team-payments").query().isVisible())).as("the active filter stays on screen").isTrue();
    }

    private static boolean visible(Node n) {
        for (Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }
}

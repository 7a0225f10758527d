package dev.shipdeck.app.insights;

import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.app.timeline.TimelineRow;
import dev.shipdeck.core.insights.DeliveryInsights;
import dev.shipdeck.core.insights.Insights;
import dev.shipdeck.core.insights.Measures;
import dev.shipdeck.core.insights.Period;
import dev.shipdeck.core.model.Label;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.Snapshot;
import javafx.scene.Node;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
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
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.awaitLive;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Insights tab on the demo with its weeks of Release records: the tiles show what core computes from the
 * clusters' history (read apart from the window), a label chip changes them, and a day's bar lists that day's
 * releases in the timeline.
 */
@ExtendWith(ApplicationExtension.class)
class InsightsUiTest {
    @TempDir
    static Path config;
    private static DemoCluster demo;
    private static Snapshot history;
    MainWindow window;

    @BeforeAll
    static void startDemo() {
        demo = DemoCluster.start(true);
        history = demo.readWithRecords();
    }

    @AfterAll
    static void stopDemo() {
        if (demo != null) demo.close();
    }

    @Start
    void start(Stage stage) {
        window = dev.shipdeck.app.UiTestSupport.open(stage, demo.adminKubeconfig(), config);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.stage().close());
    }

    /** What core computes for the window's period from the history read apart, for the components {@code team} owns (null: all). */
    private static Measures expected(Period period, String team) {
        Map<String, Labels> labels = new HashMap<>();
        history.components().forEach(c -> labels.put(c.key(), c.labels()));
        Function<Release, Labels> of = r -> labels.getOrDefault(r.environment() + "/" + r.component(), Labels.NONE);
        List<Release> releases = history.timeline().stream()
                .filter(r -> team == null || of.apply(r).items().contains(new Label("team", team))).toList();
        return DeliveryInsights.compute(releases, period, ZoneId.systemDefault(), "team", r -> "").current();
    }

    private static String text(FxRobot robot, String id) {
        return fx(() -> robot.lookup(id).queryLabeled().getText());
    }

    private void assertTiles(FxRobot robot, Measures m) {
        assertThat(text(robot, "#tile-frequency-value")).isEqualTo(InsightsViewModel.frequency(m.deploymentsPerDay()));
        assertThat(text(robot, "#tile-lead-time-value")).isEqualTo(InsightsViewModel.duration(m.leadTime()));
        assertThat(text(robot, "#tile-failure-rate-value")).isEqualTo(InsightsViewModel.rate(m.changeFailureRate()));
        assertThat(text(robot, "#tile-time-to-restore-value")).isEqualTo(InsightsViewModel.duration(m.timeToRestore()));
    }

    @Test
    void theTilesShowWhatCoreComputesAndALabelChipChangesThem(FxRobot robot) {
        awaitLive(window);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT5).release(KeyCode.DIGIT5, KeyCode.CONTROL);
        InsightsViewModel vm = window.viewModel().insights();
        await("the tiles are drawn", Duration.ofSeconds(10), () -> robot.lookup("#tile-frequency-value").tryQuery().isPresent()
                && vm.insightsProperty().get() != null && vm.insightsProperty().get().current().releases() > 100);
        Period period = fx(() -> vm.insightsProperty().get().period());
        assertThat(period.length()).isEqualTo(Duration.ofDays(30));
        Measures all = expected(period, null);
        assertThat(all.failedChanges()).as("the demo has failures to measure").isGreaterThan(3);
        assertTiles(robot, all);
        assertThat(text(robot, "#tile-failure-rate-trend")).contains("vs the period before");

        robot.clickOn("#add-chip").write("team:payments").type(KeyCode.ENTER);
        await("the chip narrows the insights to the payments team", Duration.ofSeconds(10), () ->
                vm.groups().size() == 1 && vm.groups().get(0).name().equals("payments"));
        Period narrowed = fx(() -> vm.insightsProperty().get().period());
        Measures payments = expected(narrowed, "payments");
        assertThat(payments.deployments()).isLessThan(all.deployments());
        assertTiles(robot, payments);

        robot.clickOn("#insights-range-7");
        await("the range is a week", Duration.ofSeconds(5), () -> vm.insightsProperty().get().period().length().equals(Duration.ofDays(7)));
        assertTiles(robot, expected(fx(() -> vm.insightsProperty().get().period()), "payments"));
    }

    @Test
    void aDaysBarListsThatDaysReleasesInTheTimeline(FxRobot robot) {
        awaitLive(window);
        robot.clickOn("#insights-tab");
        InsightsViewModel vm = window.viewModel().insights();
        await("the bars are drawn", Duration.ofSeconds(10), () -> vm.insightsProperty().get() != null
                && !window.viewModel().insights().insightsProperty().get().days().isEmpty());
        Insights in = fx(() -> vm.insightsProperty().get());
        // the newest day with a failure, and the bar of its failures
        int index = -1;
        for (int i = 0; i < in.days().size(); i++) {
            if (in.days().get(i).releases().getOrDefault(ReleaseStatus.FAILED, 0) > 0) index = i;
        }
        assertThat(index).as("a day with a failed release in the last 30 days").isGreaterThanOrEqualTo(0);
        LocalDate day = in.days().get(index).date();
        int failed = in.days().get(index).releases().get(ReleaseStatus.FAILED);
        int at = index;
        Node bar = fx(() -> {
            XYChart.Series<String, Number> failures = robot.lookup("#insights-per-day").<javafx.scene.chart.StackedBarChart<String, Number>>query()
                    .getData().get(InsightsView.STACKED.indexOf(ReleaseStatus.FAILED));
            return failures.getData().get(at).getNode();
        });
        robot.clickOn(bar);

        @SuppressWarnings("unchecked")
        TableView<TimelineRow> timeline = (TableView<TimelineRow>) robot.lookup("#timeline-table").query();
        await("the timeline lists that day's failed releases", Duration.ofSeconds(10), () ->
                robot.lookup("#timeline-tab").query().getParent() != null && timeline.isVisible() && timeline.getItems().size() == failed
                        && timeline.getItems().stream().allMatch(r -> r.release().status() == ReleaseStatus.FAILED
                        && r.release().startedAt().atZone(ZoneId.systemDefault()).toLocalDate().equals(day)));
        Button chip = robot.lookup("#timeline-day").queryButton();
        assertThat(fx(chip::isVisible)).isTrue();
        assertThat(fx(chip::getText)).startsWith("Started on ");
        robot.clickOn(chip);
        await("every day again", Duration.ofSeconds(5), () -> timeline.getItems().size() > failed && !chip.isVisible());
    }
}

package dev.shipdeck.app.insights;

import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.Views;
import dev.shipdeck.core.insights.Insights;
import dev.shipdeck.core.model.ReleaseStatus;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Polyline;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The Insights tab: four tiles (value, trend, sparkline; the definition as tooltip), the releases per day as bars
 * stacked by status (a click lists that day's releases in the timeline), the lead times' spread and the table per
 * team. Charts are JavaFX's, themed by the app's stylesheet for light and dark.
 */
public final class InsightsView {
    /** The statuses the day bars stack, bottom up, each with its style class. */
    static final List<ReleaseStatus> STACKED = List.of(ReleaseStatus.SUCCESS, ReleaseStatus.LOGGED, ReleaseStatus.FAILED,
            ReleaseStatus.CANCELLED, ReleaseStatus.RUNNING);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH);

    private final InsightsViewModel vm;
    private final BiConsumer<LocalDate, ReleaseStatus> showDay;
    private final Parent root;
    private final StackedBarChart<String, Number> perDay = new StackedBarChart<>(new CategoryAxis(), new NumberAxis());
    private final BarChart<String, Number> leadTimes = new BarChart<>(new CategoryAxis(), new NumberAxis());

    @FXML private HBox rangeBox;
    @FXML private ComboBox<InsightsViewModel.GroupBy> groupBy;
    @FXML private Label summaryLabel;
    @FXML private ScrollPane scroll;
    @FXML private VBox body;
    @FXML private HBox tilesBox;
    @FXML private HBox chartsBox;
    @FXML private Label groupsTitle;
    @FXML private TableView<InsightsViewModel.GroupRow> groupsTable;
    @FXML private Label emptyLabel;

    /** @param showDay lists the releases of a day (and of one status, or null for all) in the timeline */
    public InsightsView(InsightsViewModel vm, BiConsumer<LocalDate, ReleaseStatus> showDay) {
        this.vm = vm;
        this.showDay = showDay;
        this.root = Views.load(this, "insights.fxml");
    }

    @FXML
    private void initialize() {
        ToggleGroup range = new ToggleGroup();
        for (int d : InsightsViewModel.RANGES) {
            ToggleButton b = new ToggleButton(d + " days");
            b.setId("insights-range-" + d);
            b.setToggleGroup(range);
            b.setUserData(d);
            b.setSelected(d == vm.daysProperty().get());
            rangeBox.getChildren().add(b);
        }
        range.selectedToggleProperty().addListener((o, a, t) -> {
            if (t == null) a.setSelected(true); // one range is always chosen
            else vm.daysProperty().set((Integer) t.getUserData());
        });

        groupBy.getItems().setAll(InsightsViewModel.GroupBy.values());
        groupBy.setButtonCell(groupCell());
        groupBy.setCellFactory(l -> groupCell());
        groupBy.valueProperty().bindBidirectional(vm.groupByProperty());
        summaryLabel.textProperty().bind(vm.summaryProperty());
        emptyLabel.textProperty().bind(vm.emptyTextProperty());
        emptyLabel.visibleProperty().bind(vm.emptyTextProperty().isNotEmpty());
        scroll.visibleProperty().bind(vm.emptyTextProperty().isEmpty());

        perDay.setId("insights-per-day");
        perDay.setTitle("Releases per day");
        perDay.setAnimated(false);
        perDay.setLegendVisible(true);
        perDay.setCategoryGap(3);
        perDay.setPrefHeight(250);
        perDay.getYAxis().setLabel("releases");
        ((NumberAxis) perDay.getYAxis()).setMinorTickVisible(false);
        leadTimes.setId("insights-lead-times");
        leadTimes.setTitle("Lead time for changes");
        leadTimes.setAnimated(false);
        leadTimes.setLegendVisible(false);
        leadTimes.setPrefHeight(250);
        leadTimes.setPrefWidth(380);
        leadTimes.setMinWidth(300);
        leadTimes.getYAxis().setLabel("changes");
        ((NumberAxis) leadTimes.getYAxis()).setMinorTickVisible(false);
        HBox.setHgrow(perDay, Priority.ALWAYS);
        chartsBox.getChildren().setAll(perDay, leadTimes);

        groupsTitle.textProperty().bind(Bindings.createStringBinding(() -> "Per " + vm.groupByProperty().get().title().toLowerCase(Locale.ROOT),
                vm.groupByProperty()));
        column("", 180, InsightsViewModel.GroupRow::name).textProperty().bind(Bindings.createStringBinding(
                () -> vm.groupByProperty().get().title(), vm.groupByProperty()));
        column("Releases", 90, r -> Integer.toString(r.releases()));
        column("Deployment frequency", 170, InsightsViewModel.GroupRow::frequency);
        column("Lead time", 130, InsightsViewModel.GroupRow::leadTime);
        column("Change failure rate", 160, InsightsViewModel.GroupRow::failureRate);
        column("Time to restore", 140, InsightsViewModel.GroupRow::timeToRestore);
        Tables.bind(groupsTable, vm.groups(), InsightsViewModel.GroupRow::name);
        groupsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        vm.tilesProperty().addListener((o, a, t) -> drawTiles(t));
        vm.insightsProperty().addListener((o, a, in) -> drawCharts(in));
        drawTiles(vm.tilesProperty().get());
        drawCharts(vm.insightsProperty().get());
    }

    private TableColumn<InsightsViewModel.GroupRow, String> column(String title, double width, Function<InsightsViewModel.GroupRow, String> text) {
        TableColumn<InsightsViewModel.GroupRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        Tables.text(c, text, s -> s);
        groupsTable.getColumns().add(c);
        return c;
    }

    private void drawTiles(List<InsightsViewModel.Tile> tiles) {
        List<Node> out = new ArrayList<>();
        for (InsightsViewModel.Tile t : tiles) {
            Label title = new Label(t.title());
            title.getStyleClass().add("tile-title");
            Label value = new Label(t.value());
            value.getStyleClass().add("tile-value");
            value.setId("tile-" + t.id() + "-value");
            Label detail = new Label(t.detail());
            detail.getStyleClass().add("muted");
            Label trend = new Label(t.trend());
            trend.getStyleClass().addAll("tile-trend", "trend-" + t.mood().name().toLowerCase(Locale.ROOT));
            trend.setId("tile-" + t.id() + "-trend");
            VBox tile = new VBox(4, title, value, sparkline(t.spark()), detail, trend);
            tile.getStyleClass().add("insight-tile");
            tile.setId("tile-" + t.id());
            Tooltip.install(tile, new Tooltip(t.definition()));
            HBox.setHgrow(tile, Priority.ALWAYS);
            tile.setMaxWidth(Double.MAX_VALUE);
            out.add(tile);
        }
        tilesBox.getChildren().setAll(out);
    }

    /** The daily values as a line, 200 × 34; days without a value leave a gap. */
    static Pane sparkline(List<Double> values) {
        Pane p = new Pane();
        p.getStyleClass().add("sparkline");
        p.setPrefSize(200, 34);
        p.setMinHeight(34);
        double max = values.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).max().orElse(0);
        if (values.size() < 2 || max <= 0) return p;
        p.widthProperty().addListener((o, a, w) -> layoutSpark(p, values, max));
        layoutSpark(p, values, max);
        return p;
    }

    private static void layoutSpark(Pane p, List<Double> values, double max) {
        double w = Math.max(p.getWidth(), p.getPrefWidth());
        double h = 30;
        p.getChildren().clear();
        Polyline current = null;
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v == null) {
                current = null;
                continue;
            }
            if (current == null) {
                current = new Polyline();
                current.getStyleClass().add("sparkline-line");
                p.getChildren().add(current);
            }
            current.getPoints().addAll(2 + (w - 4) * i / (values.size() - 1), 2 + h - h * v / max);
        }
    }

    private void drawCharts(Insights in) {
        perDay.getData().clear();
        leadTimes.getData().clear();
        if (in == null) return;
        List<String> days = in.days().stream().map(d -> DAY.format(d.date())).toList();
        ((CategoryAxis) perDay.getXAxis()).setCategories(javafx.collections.FXCollections.observableArrayList(days));
        for (ReleaseStatus s : STACKED) {
            XYChart.Series<String, Number> series = new XYChart.Series<>();
            series.setName(s.name().charAt(0) + s.name().substring(1).toLowerCase(Locale.ROOT));
            for (int i = 0; i < in.days().size(); i++) {
                Insights.Day d = in.days().get(i);
                XYChart.Data<String, Number> data = new XYChart.Data<>(days.get(i), d.releases().getOrDefault(s, 0));
                LocalDate date = d.date();
                int count = d.releases().getOrDefault(s, 0);
                // (the chart makes the bar node when the series joins it; its colour comes from the series' index)
                data.nodeProperty().addListener((o, a, node) -> {
                    if (node == null) return;
                    node.setCursor(Cursor.HAND);
                    node.getProperties().put(ReleaseStatus.class, s);
                    Tooltip.install(node, new Tooltip(DAY.format(date) + ": " + count + " " + s.name().toLowerCase(Locale.ROOT)
                            + " — click to list them in the timeline"));
                    node.setOnMouseClicked(e -> showDay.accept(date, count > 0 ? s : null));
                });
                series.getData().add(data);
            }
            perDay.getData().add(series);
        }

        XYChart.Series<String, Number> spread = new XYChart.Series<>();
        for (Insights.Bucket b : in.leadTimes()) {
            XYChart.Data<String, Number> data = new XYChart.Data<>(b.label(), b.count());
            data.nodeProperty().addListener((o, a, node) -> {
                if (node != null) Tooltip.install(node, new Tooltip(b.count() + " changes with a lead time of " + b.label()));
            });
            spread.getData().add(data);
        }
        leadTimes.getData().add(spread);
    }

    private static ListCell<InsightsViewModel.GroupBy> groupCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(InsightsViewModel.GroupBy g, boolean empty) {
                super.updateItem(g, empty);
                setText(empty || g == null ? null : g.title());
            }
        };
    }

    public Parent root() { return root; }

    /** The chart of the releases per day (tests click its bars). */
    public StackedBarChart<String, Number> perDayChart() { return perDay; }
}

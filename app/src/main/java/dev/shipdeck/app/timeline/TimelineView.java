package dev.shipdeck.app.timeline;

import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.Views;
import dev.shipdeck.app.release.ReleasesTable;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;

/** The Timeline tab: every release, newest first, live. */
public final class TimelineView {
    private final TimelineViewModel vm;
    private final Badges badges;
    private final Navigation nav;
    private final Desktop desktop;
    private final Supplier<Instant> now;
    private final Parent root;

    @FXML private ComboBox<ReleaseStatus> statusFilter;
    @FXML private javafx.scene.control.Button dayChip;
    @FXML private Label countLabel;
    @FXML private TableView<TimelineRow> table;

    public TimelineView(TimelineViewModel vm, Badges badges, Navigation nav, Desktop desktop, Supplier<Instant> now) {
        this.vm = vm;
        this.badges = badges;
        this.nav = nav;
        this.desktop = desktop;
        this.now = now;
        this.root = Views.load(this, "timeline.fxml");
    }

    @FXML
    private void initialize() {
        statusFilter.getItems().add(null);
        statusFilter.getItems().addAll(Arrays.asList(ReleaseStatus.values()));
        statusFilter.setButtonCell(statusCell());
        statusFilter.setCellFactory(l -> statusCell());
        statusFilter.valueProperty().bindBidirectional(vm.statusProperty());

        // a day chosen on the Insights tab: shown as a chip that clears it
        dayChip.setGraphic(new org.kordamp.ikonli.javafx.FontIcon(org.kordamp.ikonli.feather.Feather.X));
        dayChip.setContentDisplay(javafx.scene.control.ContentDisplay.RIGHT);
        dayChip.setTooltip(new javafx.scene.control.Tooltip("Show every day again"));
        dayChip.textProperty().bind(Bindings.createStringBinding(() -> vm.dayProperty().get() == null ? ""
                : "Started on " + java.time.format.DateTimeFormatter.ofPattern("EEE, MMM d", java.util.Locale.ENGLISH).format(vm.dayProperty().get()),
                vm.dayProperty()));
        dayChip.visibleProperty().bind(vm.dayProperty().isNotNull());
        dayChip.managedProperty().bind(vm.dayProperty().isNotNull());
        dayChip.setOnAction(e -> vm.dayProperty().set(null));

        Tables.bind(table, vm.rows(), TimelineRow::key);
        Tables.placeholder(table, vm.emptyTextProperty());
        Tables.onOpen(table, r -> nav.openRelease(r.release().id()));
        countLabel.textProperty().bind(Bindings.createStringBinding(
                () -> vm.rows().size() + " of " + vm.totalProperty().get() + " releases", vm.rows(), vm.totalProperty()));

        ReleasesTable<TimelineRow> columns = new ReleasesTable<>(table, TimelineRow::release, badges, nav, desktop, now);
        columns.status(240);
        columns.component(170);
        columns.environment(130);
        columns.version(110, Release::version);
        columns.type(135);
        columns.trigger(170);
        columns.started(110).setSortType(TableColumn.SortType.DESCENDING);
        columns.took(100);
        columns.labels(300, TimelineRow::labels);
    }

    private static ListCell<ReleaseStatus> statusCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(ReleaseStatus s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s == null ? "All statuses" : s.name());
            }
        };
    }

    /** Redraws relative times ("2 min ago"). */
    public void refreshTimes() { table.refresh(); }

    public Parent root() { return root; }

    public TableView<TimelineRow> table() { return table; }
}

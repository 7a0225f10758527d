package dev.shipdeck.app.timeline;

import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.Chips;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.Times;
import dev.shipdeck.app.common.Views;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Trigger;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;

import java.time.Duration;
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
    @FXML private Label countLabel;
    @FXML private TableView<TimelineRow> table;
    @FXML private TableColumn<TimelineRow, ReleaseStatus> statusColumn;
    @FXML private TableColumn<TimelineRow, String> componentColumn;
    @FXML private TableColumn<TimelineRow, String> environmentColumn;
    @FXML private TableColumn<TimelineRow, String> versionColumn;
    @FXML private TableColumn<TimelineRow, ReleaseType> typeColumn;
    @FXML private TableColumn<TimelineRow, String> triggerColumn;
    @FXML private TableColumn<TimelineRow, Instant> startedColumn;
    @FXML private TableColumn<TimelineRow, Duration> tookColumn;
    @FXML private TableColumn<TimelineRow, String> labelsColumn;

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

        Tables.bind(table, vm.rows(), TimelineRow::key);
        Tables.placeholder(table, vm.emptyTextProperty());
        Tables.onOpen(table, r -> nav.openRelease(r.release().id()));
        countLabel.textProperty().bind(Bindings.createStringBinding(
                () -> vm.rows().size() + " of " + vm.totalProperty().get() + " releases", vm.rows(), vm.totalProperty()));

        Tables.graphic(statusColumn, r -> r.release().status(), this::statusBox, this::drawStatus);
        statusColumn.setComparator(java.util.Comparator.comparing(Enum::ordinal));
        Tables.link(componentColumn, r -> r.release().component(), r -> r.release().component(),
                r -> nav.openComponent(r.release().environment(), r.release().component()));
        Tables.link(environmentColumn, r -> r.release().environment(), r -> r.release().environment(),
                r -> nav.openEnvironment(r.release().environment()));
        Tables.link(versionColumn, r -> r.release().version(), r -> r.release().version(), r -> nav.openRelease(r.release().id()));
        Tables.text(typeColumn, r -> r.release().type(), Enum::name);
        Tables.graphic(triggerColumn, r -> r.release().trigger().shortText(), Tables::box, this::drawTrigger);
        Tables.text(startedColumn, r -> r.release().startedAt(), t -> Times.ago(t, now.get()));
        startedColumn.setSortType(TableColumn.SortType.DESCENDING);
        Tables.text(tookColumn, r -> r.release().took() != null ? r.release().took()
                : r.release().status() == ReleaseStatus.RUNNING && r.release().startedAt() != null
                ? Duration.between(r.release().startedAt(), now.get()) : null, Times::took);
        Tables.graphic(labelsColumn, r -> String.join(",", r.labels().asStrings()), Tables::box,
                (box, r) -> Chips.fill(box, r == null ? null : r.labels()));
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

    private HBox statusBox() {
        HBox b = Tables.box();
        b.getChildren().addAll(badges.create(), Badges.progressiveTag());
        return b;
    }

    private void drawStatus(HBox box, TimelineRow r) {
        Label badge = (Label) box.getChildren().get(0);
        Label tag = (Label) box.getChildren().get(1);
        if (r == null) {
            badges.show(badge, null);
            tag.setVisible(false);
            badge.setOnMouseClicked(null);
            return;
        }
        Release rel = r.release();
        badge.setOnMouseClicked(e -> nav.openRelease(rel.id()));
        badge.setCursor(javafx.scene.Cursor.HAND);
        badges.show(badge, rel.status());
        tag.setVisible(rel.type() == ReleaseType.PROGRESSIVE);
        tag.setManaged(rel.type() == ReleaseType.PROGRESSIVE);
        String tip = rel.message() == null || rel.message().isEmpty() ? rel.status().name() : rel.status().name() + ": " + rel.message();
        badge.setTooltip(new Tooltip(tip));
    }

    private void drawTrigger(HBox box, TimelineRow r) {
        box.getChildren().clear();
        if (r == null) return;
        Trigger t = r.release().trigger();
        if (t.isEmpty()) {
            Label none = new Label("—");
            none.getStyleClass().add("muted");
            box.getChildren().add(none);
            return;
        }
        if (!t.pipelineUrl().isEmpty()) {
            box.getChildren().add(link(t.shortText().split(" ")[0], t.pipelineUrl()));
        }
        if (!t.commitSha().isEmpty()) {
            String sha = t.commitSha().length() > 7 ? t.commitSha().substring(0, 7) : t.commitSha();
            box.getChildren().add(link(sha, t.commitUrl().isEmpty() ? null : t.commitUrl()));
        }
    }

    private Hyperlink link(String text, String url) {
        Hyperlink h = new Hyperlink(text);
        h.getStyleClass().add("cell-link");
        h.setFocusTraversable(false);
        if (url != null) {
            h.setTooltip(new Tooltip(url));
            h.setOnAction(e -> desktop.openLink(url));
        } else {
            h.setDisable(true);
        }
        return h;
    }

    /** Redraws relative times ("2 min ago"). */
    public void refreshTimes() { table.refresh(); }

    public Parent root() { return root; }

    public TableView<TimelineRow> table() { return table; }
}

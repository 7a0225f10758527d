package dev.shipdeck.app.release;

import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.Times;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ObservableList;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;

import java.time.Duration;
import java.time.Instant;

/** A table of releases, as the component and environment pages show them (the Deployments tab). */
public final class ReleasesTable {
    private ReleasesTable() {}

    public static TableView<Release> create(ObservableList<Release> rows, ReadOnlyStringProperty empty, Badges badges, Navigation nav,
                                            Desktop desktop, boolean showComponent) {
        TableView<Release> t = new TableView<>();
        t.setId("releases-table");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<Release, ReleaseStatus> status = new TableColumn<>("Status");
        Tables.graphic(status, Release::status, () -> {
            HBox b = Tables.box();
            b.getChildren().addAll(badges.create(), Badges.progressiveTag());
            return b;
        }, (box, r) -> {
            Label badge = (Label) box.getChildren().get(0);
            Label tag = (Label) box.getChildren().get(1);
            badges.show(badge, r == null ? null : r.status());
            boolean prog = r != null && r.type() == ReleaseType.PROGRESSIVE;
            tag.setVisible(prog);
            tag.setManaged(prog);
            badge.setTooltip(r == null || r.message() == null || r.message().isEmpty() ? null : new Tooltip(r.message()));
        });
        status.setPrefWidth(230);
        TableColumn<Release, String> component = new TableColumn<>("Component");
        Tables.link(component, Release::component, Release::component, r -> nav.openComponent(r.environment(), r.component()));
        component.setPrefWidth(160);
        TableColumn<Release, String> version = new TableColumn<>("Version");
        Tables.link(version, Release::version, r -> (r.previousVersion() == null || r.previousVersion().isEmpty() ? "" : r.previousVersion() + " → ")
                + r.version() + (r.rollback() ? "  (rollback)" : ""), r -> nav.openRelease(r.id()));
        version.setPrefWidth(190);
        TableColumn<Release, String> trigger = new TableColumn<>("Trigger");
        Tables.graphic(trigger, r -> r.trigger().shortText(), Tables::box, (box, r) -> {
            box.getChildren().clear();
            if (r == null || r.trigger().isEmpty()) return;
            String url = !r.trigger().pipelineUrl().isEmpty() ? r.trigger().pipelineUrl() : r.trigger().commitUrl();
            Hyperlink h = new Hyperlink(r.trigger().shortText());
            h.getStyleClass().add("cell-link");
            h.setFocusTraversable(false);
            h.setTooltip(new Tooltip(url));
            h.setOnAction(e -> desktop.openLink(url));
            box.getChildren().add(h);
        });
        trigger.setPrefWidth(150);
        TableColumn<Release, Instant> started = new TableColumn<>("Started");
        Tables.text(started, Release::startedAt, s -> Times.ago(s, Instant.now()));
        started.setPrefWidth(110);
        TableColumn<Release, Duration> took = new TableColumn<>("Took");
        Tables.text(took, Release::took, Times::took);
        took.setPrefWidth(90);
        TableColumn<Release, String> message = new TableColumn<>("Message");
        Tables.text(message, r -> r.message() == null ? "" : r.message(), s -> s);
        message.setPrefWidth(260);
        t.getColumns().add(status);
        if (showComponent) t.getColumns().add(component);
        t.getColumns().add(version);
        t.getColumns().add(trigger);
        t.getColumns().add(started);
        t.getColumns().add(took);
        t.getColumns().add(message);
        Tables.bind(t, rows, Release::id);
        Tables.onOpen(t, r -> nav.openRelease(r.id()));
        Tables.placeholder(t, empty);
        return t;
    }
}

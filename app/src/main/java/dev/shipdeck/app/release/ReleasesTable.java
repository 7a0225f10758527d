package dev.shipdeck.app.release;

import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.Chips;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.StatusBadge;
import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.Times;
import dev.shipdeck.app.common.TriggerLinks;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ObservableList;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one table of releases: the Timeline tab (rows with their component's labels) and the Deployments tab of the
 * component and environment pages (plain releases) add their columns from here, so a release's status, links,
 * trigger and times read the same wherever it is listed.
 *
 * @param <T> the row item, from which {@code release} gives the release
 */
public final class ReleasesTable<T> {
    private final TableView<T> table;
    private final Function<T, Release> release;
    private final Badges badges;
    private final Navigation nav;
    private final Desktop desktop;
    private final Supplier<Instant> now;

    public ReleasesTable(TableView<T> table, Function<T, Release> release, Badges badges, Navigation nav, Desktop desktop, Supplier<Instant> now) {
        this.table = table;
        this.release = release;
        this.badges = badges;
        this.nav = nav;
        this.desktop = desktop;
        this.now = now;
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    /** The Deployments tab of the component page ({@code showComponent} false) and of the environment page. */
    public static TableView<Release> create(ObservableList<Release> rows, ReadOnlyStringProperty empty, Badges badges, Navigation nav,
                                            Desktop desktop, boolean showComponent) {
        TableView<Release> t = new TableView<>();
        t.setId("releases-table");
        ReleasesTable<Release> columns = new ReleasesTable<>(t, r -> r, badges, nav, desktop, Instant::now);
        columns.status(230);
        if (showComponent) columns.component(160);
        columns.version(190, r -> (r.previousVersion() == null || r.previousVersion().isEmpty() ? "" : r.previousVersion() + " → ")
                + r.version() + (r.rollback() ? "  (rollback)" : ""));
        columns.trigger(150);
        columns.started(110);
        columns.took(90);
        columns.message(260);
        Tables.bind(t, rows, Release::id);
        Tables.onOpen(t, r -> nav.openRelease(r.id()));
        Tables.placeholder(t, empty);
        return t;
    }

    private <V> TableColumn<T, V> add(String title, double width) {
        TableColumn<T, V> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        table.getColumns().add(c);
        return c;
    }

    /** The badge (a click opens the release) with the PROGRESSIVE tag; the tooltip says the status and its message. */
    public TableColumn<T, ReleaseStatus> status(double width) {
        TableColumn<T, ReleaseStatus> col = add("Status", width);
        Tables.graphic(col, row -> release.apply(row).status(), () -> new StatusBadge(badges), (b, row) -> {
            Release r = row == null ? null : release.apply(row);
            if (r == null) {
                b.show(null, false, null);
                b.badge().setOnMouseClicked(null);
                return;
            }
            b.show(r.status(), r.type() == ReleaseType.PROGRESSIVE,
                    r.message() == null || r.message().isEmpty() ? r.status().name() : r.status().name() + ": " + r.message());
            b.badge().setOnMouseClicked(e -> nav.openRelease(r.id()));
            b.badge().setCursor(javafx.scene.Cursor.HAND);
        });
        col.setComparator(Comparator.comparing(Enum::ordinal));
        return col;
    }

    public TableColumn<T, String> component(double width) {
        TableColumn<T, String> col = add("Component", width);
        Tables.link(col, row -> release.apply(row).component(), row -> release.apply(row).component(),
                row -> nav.openComponent(release.apply(row).environment(), release.apply(row).component()));
        return col;
    }

    public TableColumn<T, String> environment(double width) {
        TableColumn<T, String> col = add("Environment", width);
        Tables.link(col, row -> release.apply(row).environment(), row -> release.apply(row).environment(),
                row -> nav.openEnvironment(release.apply(row).environment()));
        return col;
    }

    /** The version as {@code text} writes it; a click opens the release. */
    public TableColumn<T, String> version(double width, Function<Release, String> text) {
        TableColumn<T, String> col = add("Version", width);
        Tables.link(col, row -> release.apply(row).version(), row -> text.apply(release.apply(row)), row -> nav.openRelease(release.apply(row).id()));
        return col;
    }

    public TableColumn<T, ReleaseType> type(double width) {
        TableColumn<T, ReleaseType> col = add("Type", width);
        Tables.text(col, row -> release.apply(row).type(), Enum::name);
        return col;
    }

    public TableColumn<T, String> trigger(double width) {
        TableColumn<T, String> col = add("Trigger", width);
        Tables.graphic(col, row -> release.apply(row).trigger().shortText(), Tables::box,
                (box, row) -> TriggerLinks.cell(box, row == null ? null : release.apply(row).trigger(), desktop));
        return col;
    }

    public TableColumn<T, Instant> started(double width) {
        TableColumn<T, Instant> col = add("Started", width);
        Tables.ago(col, row -> release.apply(row).startedAt(), now);
        return col;
    }

    /** How long it took, or has taken so far while it runs. */
    public TableColumn<T, Duration> took(double width) {
        TableColumn<T, Duration> col = add("Took", width);
        Tables.text(col, row -> {
            Release r = release.apply(row);
            return r.took() != null ? r.took()
                    : r.status() == ReleaseStatus.RUNNING && r.startedAt() != null ? Duration.between(r.startedAt(), now.get()) : null;
        }, Times::took);
        return col;
    }

    public TableColumn<T, String> message(double width) {
        TableColumn<T, String> col = add("Message", width);
        Tables.text(col, row -> release.apply(row).message() == null ? "" : release.apply(row).message(), s -> s);
        return col;
    }

    public TableColumn<T, String> labels(double width, Function<T, Labels> labels) {
        TableColumn<T, String> col = add("Labels", width);
        Chips.column(col, labels);
        col.setSortable(false);
        return col;
    }
}

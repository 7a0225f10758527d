package dev.shipdeck.app.components;

import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.Chips;
import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.StatusBadge;
import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.Views;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.WorkloadKind;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.time.Instant;
import java.util.function.Supplier;

/** The Components tab. */
public final class ComponentsView {
    private final ComponentsViewModel vm;
    private final Badges badges;
    private final Navigation nav;
    private final Supplier<Instant> now;
    private final Parent root;

    @FXML private Label countLabel;
    @FXML private TableView<ComponentRow> table;
    @FXML private TableColumn<ComponentRow, String> nameColumn;
    @FXML private TableColumn<ComponentRow, String> environmentColumn;
    @FXML private TableColumn<ComponentRow, ReleaseStatus> statusColumn;
    @FXML private TableColumn<ComponentRow, String> versionColumn;
    @FXML private TableColumn<ComponentRow, Integer> replicasColumn;
    @FXML private TableColumn<ComponentRow, Instant> lastReleaseColumn;
    @FXML private TableColumn<ComponentRow, String> labelsColumn;

    public ComponentsView(ComponentsViewModel vm, Badges badges, Navigation nav, Supplier<Instant> now) {
        this.vm = vm;
        this.badges = badges;
        this.nav = nav;
        this.now = now;
        this.root = Views.load(this, "components.fxml");
    }

    @FXML
    private void initialize() {
        Tables.bind(table, vm.rows(), ComponentRow::key);
        Tables.placeholder(table, vm.emptyTextProperty());
        Tables.onOpen(table, r -> nav.openComponent(r.component().environment(), r.component().name()));
        countLabel.textProperty().bind(Bindings.size(vm.rows()).asString("%d components"));

        Tables.link(nameColumn, r -> r.component().name(), r -> r.component().name(),
                r -> nav.openComponent(r.component().environment(), r.component().name()));
        Tables.link(environmentColumn, r -> r.component().environment(), r -> r.component().environment(),
                r -> nav.openEnvironment(r.component().environment()));
        Tables.graphic(statusColumn, r -> r.component().status(), () -> new StatusBadge(badges), (b, r) -> {
            Component c = r == null ? null : r.component();
            b.show(c == null ? null : c.status(), c != null && c.kind() == WorkloadKind.ROLLOUT, c == null ? null : verdict(c));
        });
        statusColumn.setComparator(java.util.Comparator.comparing(Enum::ordinal));
        Tables.text(versionColumn, r -> r.component().hasWorkload() ? r.component().version() : Component.NO_WORKLOAD, v -> v);
        Tables.text(replicasColumn, r -> r.component().readyReplicas(), v -> "");
        replicasColumn.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Integer v, boolean empty) {
                super.updateItem(v, empty);
                ComponentRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
                if (row == null) {
                    setText(null);
                    getStyleClass().remove("not-ready");
                    return;
                }
                Component comp = row.component();
                setText(comp.readyReplicas() + "/" + comp.desiredReplicas());
                getStyleClass().remove("not-ready");
                if (comp.readyReplicas() < comp.desiredReplicas()) getStyleClass().add("not-ready");
            }
        });
        Tables.ago(lastReleaseColumn, r -> r.lastRelease() == null ? null : r.lastRelease().startedAt(), now);
        Chips.column(labelsColumn, r -> r.component().labels());
    }

    /** The phase and what it says, e.g. "Progressing: waiting for rollout". */
    public static String verdict(Component c) {
        String msg = c.verdict().message();
        return c.verdict().phase() + (msg == null || msg.isEmpty() ? "" : ": " + msg);
    }

    public void refreshTimes() { table.refresh(); }

    public Parent root() { return root; }

    public TableView<ComponentRow> table() { return table; }
}

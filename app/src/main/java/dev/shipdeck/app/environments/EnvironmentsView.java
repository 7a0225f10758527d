package dev.shipdeck.app.environments;

import dev.shipdeck.app.common.Chips;
import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.Views;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.shape.Circle;

/** The Environments tab. */
public final class EnvironmentsView {
    private final EnvironmentsViewModel vm;
    private final Navigation nav;
    private final Parent root;

    @FXML private Label countLabel;
    @FXML private TableView<EnvironmentRow> table;
    @FXML private TableColumn<EnvironmentRow, String> nameColumn;
    @FXML private TableColumn<EnvironmentRow, String> contextColumn;
    @FXML private TableColumn<EnvironmentRow, String> namespacesColumn;
    @FXML private TableColumn<EnvironmentRow, Integer> componentsColumn;
    @FXML private TableColumn<EnvironmentRow, String> healthColumn;
    @FXML private TableColumn<EnvironmentRow, String> labelsColumn;

    public EnvironmentsView(EnvironmentsViewModel vm, Navigation nav) {
        this.vm = vm;
        this.nav = nav;
        this.root = Views.load(this, "environments.fxml");
    }

    @FXML
    private void initialize() {
        Tables.bind(table, vm.rows(), EnvironmentRow::key);
        Tables.placeholder(table, vm.emptyTextProperty());
        Tables.onOpen(table, r -> nav.openEnvironment(r.name()));
        countLabel.textProperty().bind(Bindings.size(vm.rows()).asString("%d environments"));

        Tables.link(nameColumn, EnvironmentRow::name, r -> {
            Environment e = r.snapshot().environment();
            return e.displayName().equals(e.name()) ? e.name() : e.displayName() + " (" + e.name() + ")";
        }, r -> nav.openEnvironment(r.name()));
        Tables.text(contextColumn, r -> r.snapshot().environment().context(), v -> v);
        Tables.text(namespacesColumn, r -> namespaces(r.snapshot().environment()), v -> v);
        Tables.text(componentsColumn, EnvironmentRow::matching, v -> "");
        componentsColumn.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Integer v, boolean empty) {
                super.updateItem(v, empty);
                EnvironmentRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
                setText(row == null ? null : componentsText(row));
            }
        });
        Tables.graphic(healthColumn, r -> r.snapshot().connection().describe(), () -> {
            HBox b = Tables.box();
            Circle dot = new Circle(5);
            dot.getStyleClass().add("conn-dot");
            b.getChildren().addAll(dot, new Label());
            return b;
        }, (box, r) -> {
            Circle dot = (Circle) box.getChildren().get(0);
            Label text = (Label) box.getChildren().get(1);
            dot.getStyleClass().removeIf(s -> s.startsWith("conn-") && !s.equals("conn-dot"));
            if (r == null) {
                text.setText(null);
                return;
            }
            ConnectionState st = r.snapshot().connection();
            dot.getStyleClass().add(connectionStyle(st));
            text.setText(health(r));
            text.setTooltip(new Tooltip(st.describe()));
        });
        Chips.column(labelsColumn, r -> r.snapshot().environment().labels());
    }

    static String namespaces(Environment e) {
        return e.allNamespaces() ? "all" : String.join(", ", e.namespaces());
    }

    static String componentsText(EnvironmentRow r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.matching() == r.components() ? Integer.toString(r.components()) : r.matching() + " of " + r.components());
        if (r.failed() > 0) sb.append(" · ").append(r.failed()).append(" failed");
        if (r.running() > 0) sb.append(" · ").append(r.running()).append(" rolling");
        return sb.toString();
    }

    static String health(EnvironmentRow r) {
        ConnectionState st = r.snapshot().connection();
        String conn = st.describe();
        return conn + (st.connected() ? (r.snapshot().rolloutsAvailable() ? " · Argo Rollouts" : " · no Argo Rollouts") : "");
    }

    /** The style class of a connection dot: green connected, amber connecting/retrying, red otherwise. */
    public static String connectionStyle(ConnectionState s) {
        return switch (s.phase()) {
            case CONNECTED -> "conn-ok";
            case CONNECTING, RETRYING -> "conn-wait";
            default -> "conn-bad";
        };
    }

    public Parent root() { return root; }

    public TableView<EnvironmentRow> table() { return table; }
}

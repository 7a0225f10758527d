package dev.shipdeck.app.environments;

import dev.shipdeck.app.commands.CommandHistoryTable;
import dev.shipdeck.app.common.Chips;
import dev.shipdeck.app.common.StatusBadge;
import dev.shipdeck.app.components.ComponentsView;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.Times;
import dev.shipdeck.app.main.PageContext;
import dev.shipdeck.app.main.PageView;
import dev.shipdeck.app.release.ReleasesTable;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReleaseStatus;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.shape.Circle;

/** The environment page: connection details, labels; tabs Deployments, Commands, Components. */
public final class EnvironmentPageView extends PageView<EnvironmentPageViewModel> {

    @FXML private Circle connectionDot;
    @FXML private Label nameLabel;
    @FXML private Label connectionLabel;
    @FXML private Label contextLabel;
    @FXML private Label serverLabel;
    @FXML private Label userLabel;
    @FXML private Label namespacesLabel;
    @FXML private Label rolloutsLabel;
    @FXML private Label asOfLabel;
    @FXML private HBox labelChips;
    @FXML private Label lanesLabel;
    @FXML private javafx.scene.control.Button earlierButton;
    @FXML private javafx.scene.control.Button laterButton;
    @FXML private Label promotionNote;
    @FXML private Tab deploymentsTab;
    @FXML private Tab commandsTab;
    @FXML private Tab componentsTab;

    public EnvironmentPageView(EnvironmentPageViewModel vm, PageContext ctx) {
        super(vm, ctx);
        load("environment-page.fxml");
    }

    @FXML
    private void initialize() {
        lanesLabel.textProperty().bind(vm.lanesProperty());
        earlierButton.disableProperty().bind(vm.canMoveEarlierProperty().not());
        laterButton.disableProperty().bind(vm.canMoveLaterProperty().not());
        earlierButton.setTooltip(new javafx.scene.control.Tooltip("Versions reach this environment before the one now ahead of it"));
        laterButton.setTooltip(new javafx.scene.control.Tooltip("Versions reach this environment after the one now behind it"));
        earlierButton.setOnAction(e -> vm.moveEarlier());
        laterButton.setOnAction(e -> vm.moveLater());
        promotionNote.textProperty().bind(vm.promotionNoteProperty());
        nameLabel.setText(vm.environment());
        EnvironmentPageViewModel.Details d = vm.details();
        contextLabel.setText(d.context());
        serverLabel.setText(d.server());
        userLabel.setText(d.user());
        namespacesLabel.setText(d.namespaces());
        vm.environmentProperty().addListener((o, a, e) -> draw());
        deploymentsTab.setContent(ReleasesTable.create(vm.releases(),
                new ReadOnlyStringWrapper("No release in this environment yet.").getReadOnlyProperty(), badges, nav, desktop, true));
        commandsTab.setContent(CommandHistoryTable.create(vm.history(), vm.historyStateProperty(), true));
        componentsTab.setContent(componentsTable());
    }

    private TableView<Component> componentsTable() {
        TableView<Component> t = new TableView<>();
        t.setId("env-components-table");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<Component, String> name = new TableColumn<>("Component");
        Tables.link(name, Component::name, Component::name, c -> nav.openComponent(c.environment(), c.name()));
        name.setPrefWidth(180);
        TableColumn<Component, ReleaseStatus> status = new TableColumn<>("Status");
        Tables.graphic(status, Component::status, () -> new StatusBadge(badges),
                (b, c) -> b.show(c == null ? null : c.status(), c != null && c.kind() == WorkloadKind.ROLLOUT, c == null ? null : ComponentsView.verdict(c)));
        status.setPrefWidth(140);
        TableColumn<Component, String> version = new TableColumn<>("Version");
        Tables.text(version, Component::version, s -> s);
        version.setPrefWidth(110);
        TableColumn<Component, String> ready = new TableColumn<>("Ready");
        Tables.text(ready, c -> c.readyReplicas() + "/" + c.desiredReplicas(), s -> s);
        ready.setPrefWidth(80);
        TableColumn<Component, String> workload = new TableColumn<>("Workload");
        Tables.text(workload, c -> c.hasWorkload() ? c.kind().kind() + " " + c.workloadNames() : Component.NO_WORKLOAD, s -> s);
        workload.setPrefWidth(260);
        TableColumn<Component, String> labels = new TableColumn<>("Labels");
        Chips.column(labels, Component::labels);
        labels.setPrefWidth(300);
        labels.setSortable(false);
        t.getColumns().add(name);
        t.getColumns().add(status);
        t.getColumns().add(version);
        t.getColumns().add(ready);
        t.getColumns().add(workload);
        t.getColumns().add(labels);
        Tables.bind(t, vm.components(), Component::key);
        Tables.onOpen(t, c -> nav.openComponent(c.environment(), c.name()));
        Tables.placeholder(t, new ReadOnlyStringWrapper("No component in this environment.").getReadOnlyProperty());
        return t;
    }

    @Override
    protected void draw() {
        EnvironmentSnapshot e = vm.environmentProperty().get();
        if (e == null) return;
        String display = e.environment().displayName();
        nameLabel.setText(display.equals(e.environment().name()) ? display : display + " (" + e.environment().name() + ")");
        connectionDot.getStyleClass().removeIf(s -> s.startsWith("conn-") && !s.equals("conn-dot"));
        connectionDot.getStyleClass().add(EnvironmentsView.connectionStyle(e.connection()));
        connectionLabel.setText(e.connection().describe());
        Tooltip.install(connectionDot, new Tooltip(e.connection().describe()));
        rolloutsLabel.setText(e.rolloutsAvailable() ? "installed (rollouts.argoproj.io)" : "not installed: rollout views are hidden");
        asOfLabel.setText(Times.absolute(e.asOf()));
        Chips.fill(labelChips, e.environment().labels());
        if (e.environment().labels().items().isEmpty() && labelChips.getChildren().isEmpty()) {
            Label none = new Label("none (set them in environments.yaml)");
            none.getStyleClass().add("muted");
            labelChips.getChildren().add(none);
        }
    }

    @Override
    public String title() { return vm.environment(); }
}

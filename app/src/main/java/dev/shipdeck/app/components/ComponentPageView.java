package dev.shipdeck.app.components;

import dev.shipdeck.app.commands.ActionButtons;
import dev.shipdeck.app.commands.CommandDialogView;
import dev.shipdeck.app.commands.CommandHistoryTable;
import dev.shipdeck.app.commands.CommandProposal;
import dev.shipdeck.app.common.Chips;
import dev.shipdeck.app.common.StatusBadge;
import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.main.PageContext;
import dev.shipdeck.app.main.PageView;
import dev.shipdeck.app.release.ReleasesTable;
import dev.shipdeck.core.commands.Availability;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.model.WorkloadKind;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.MapChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.geometry.Orientation;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** The component page: header with labels and actions, tabs Active versions, Deployments, Commands. */
public final class ComponentPageView extends PageView<ComponentPageViewModel> {
    private final Map<Action, StackPane> buttons = new EnumMap<>(Action.class);
    private final StatusBadge status;

    @FXML private Label nameLabel;
    @FXML private HBox statusBox;
    @FXML private ChoiceBox<String> workloadChoice;
    @FXML private Hyperlink environmentLink;
    @FXML private Label workloadLabel;
    @FXML private Label versionLabel;
    @FXML private Label readyLabel;
    @FXML private Label verdictLabel;
    @FXML private HBox labelChips;
    @FXML private Button editLabelsButton;
    @FXML private HBox labelsEditor;
    @FXML private TextField labelsField;
    @FXML private Label labelsError;
    @FXML private HBox actionsBox;
    @FXML private Label missingLabel;
    @FXML private TabPane tabs;
    @FXML private Tab deploymentsTab;
    @FXML private Tab commandsTab;
    @FXML private CheckBox olderCheck;
    @FXML private TableView<VersionRow> versionsTable;
    @FXML private TableColumn<VersionRow, String> versionColumn;
    @FXML private TableColumn<VersionRow, Long> revisionColumn;
    @FXML private TableColumn<VersionRow, Integer> podsColumn;
    @FXML private TableColumn<VersionRow, Instant> createdColumn;
    @FXML private TableColumn<VersionRow, String> imagesColumn;
    @FXML private TableColumn<VersionRow, String> restoreColumn;

    public ComponentPageView(ComponentPageViewModel vm, PageContext ctx) {
        super(vm, ctx);
        this.status = new StatusBadge(badges, 10);
        load("component-page.fxml");
    }

    @FXML
    private void initialize() {
        nameLabel.setText(vm.name());
        environmentLink.setText(vm.environment());
        environmentLink.setOnAction(e -> nav.openEnvironment(vm.environment()));
        status.badge().setId("component-status");
        statusBox.getChildren().add(status);
        editLabelsButton.setGraphic(new FontIcon(ActionButtons.icon(Action.EDIT_LABELS)));
        drawLabelsButton();
        vm.actions().availability().addListener((MapChangeListener<Action, Availability>) c -> {
            if (c.getKey() == Action.EDIT_LABELS) drawLabelsButton();
        });
        labelsError.textProperty().bind(vm.labelsErrorProperty());
        labelsField.setOnAction(e -> onSaveLabels());
        labelsField.textProperty().addListener((o, a, b) -> vm.clearLabelsError());
        missingLabel.visibleProperty().bind(vm.missingProperty());
        missingLabel.managedProperty().bind(vm.missingProperty());

        actionsBox.getChildren().add(progressLabelHolder());
        for (Action a : ComponentPageViewModel.ACTIONS) {
            StackPane b = ActionButtons.create(a, vm.actions(), () -> startAction(a, null));
            buttons.put(a, b);
            if (a == Action.PROMOTE) {
                Separator s = new Separator(Orientation.VERTICAL);
                s.getStyleClass().add("rollout-separator");
                actionsBox.getChildren().add(actionsBox.getChildren().size() - 1, s);
            }
            actionsBox.getChildren().add(actionsBox.getChildren().size() - 1, b);
        }
        // ship the version of the environment before this one in its lane (not shown when there is none)
        StackPane shipButton = ActionButtons.create(Action.SHIP, vm.shipProperty(), vm.shipTextProperty(), () -> startAction(Action.SHIP, null));
        buttons.put(Action.SHIP, shipButton);
        Separator shipSeparator = new Separator(Orientation.VERTICAL);
        boolean lane = vm.shipFrom() != null;
        for (javafx.scene.Node n : new javafx.scene.Node[] {shipSeparator, shipButton}) {
            n.setVisible(lane);
            n.setManaged(lane);
        }
        actionsBox.getChildren().add(actionsBox.getChildren().size() - 1, shipSeparator);
        actionsBox.getChildren().add(actionsBox.getChildren().size() - 1, shipButton);

        workloadChoice.setOnAction(e -> {
            if (workloadChoice.getValue() != null) vm.selectWorkload(workloadChoice.getValue());
        });
        vm.componentProperty().addListener((o, a, c) -> draw());
        vm.workloadProperty().addListener((o, a, w) -> draw());

        // Active versions
        olderCheck.selectedProperty().bindBidirectional(vm.showOlderVersionsProperty());
        Tables.bind(versionsTable, vm.versions(), VersionRow::key);
        Tables.placeholder(versionsTable, new ReadOnlyStringWrapper("No version with live pods.").getReadOnlyProperty());
        Tables.graphic(versionColumn, r -> r.version().version(), Tables::box, (box, r) -> {
            box.getChildren().clear();
            if (r == null) return;
            Label v = new Label(r.version().version());
            v.getStyleClass().add("version-text");
            v.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // the tags give way, never the version
            box.getChildren().add(v);
            if (r.current()) box.getChildren().add(tag("current", "tag-current"));
            if (r.version().stable() && r.workload().kind() == WorkloadKind.ROLLOUT) box.getChildren().add(tag("stable", "tag-stable"));
            if (!r.version().restorable()) {
                Label gone = tag(r.version().notRestorable(), "tag-gone");
                gone.getStyleClass().add("not-restorable");
                gone.setTooltip(new Tooltip(r.version().notRestorable()));
                box.getChildren().add(gone);
            }
            if (r.version().digestNote() != null) {
                Label digest = tag("digest changed", "tag-digest");
                digest.getStyleClass().add("digest-changed");
                digest.setTooltip(new Tooltip(r.version().digestNote()));
                box.getChildren().add(digest);
            }
        });
        Tables.text(revisionColumn, r -> r.version().revision(), Object::toString);
        Tables.graphic(podsColumn, r -> r.version().readyReplicas(), () -> {
            HBox b = Tables.box();
            ProgressBar bar = new ProgressBar();
            bar.setPrefWidth(70);
            bar.getStyleClass().add("ready-bar");
            b.getChildren().addAll(bar, new Label());
            return b;
        }, (box, r) -> {
            ProgressBar bar = (ProgressBar) box.getChildren().get(0);
            Label text = (Label) box.getChildren().get(1);
            if (r == null) {
                text.setText(null);
                bar.setProgress(0);
                return;
            }
            VersionInfo v = r.version();
            bar.setProgress(v.replicas() == 0 ? 0 : (double) v.readyReplicas() / v.replicas());
            text.setText(v.readyReplicas() + "/" + v.replicas() + " ready");
        });
        Tables.ago(createdColumn, r -> r.version().createdAt(), Instant::now);
        Tables.text(imagesColumn, r -> String.join(", ", r.version().images()), s -> s);
        Tables.graphic(restoreColumn, r -> r.version().templateHash(), () -> {
            Button b = new Button("Restore this version", new FontIcon(Feather.ROTATE_CCW));
            b.getStyleClass().addAll("small", "restore-row");
            return b;
        }, (b, r) -> {
            if (r == null || r.current()) {
                b.setVisible(false);
                b.setOnAction(null);
                return;
            }
            b.setVisible(true);
            if (!r.version().restorable()) {
                // its ReplicaSet is gone: shown in the history, never offered
                b.setDisable(true);
                b.setTooltip(new Tooltip(r.version().notRestorable()));
                b.setOnAction(null);
                return;
            }
            Availability av = vm.actions().get(Action.RESTORE_VERSION);
            b.setDisable(!av.allowed());
            String digest = r.version().digestNote() == null ? "" : "\n" + r.version().digestNote();
            b.setTooltip(new Tooltip((av.allowed() ? "Restore " + r.version().version() + " (revision " + r.version().revision() + ")" : av.reason()) + digest));
            b.setOnAction(e -> openDialog(vm.restoreProposal(r)));
        });
        vm.actions().availability().addListener((MapChangeListener<Action, Availability>) c -> versionsTable.refresh());

        deploymentsTab.setContent(ReleasesTable.create(vm.releases(),
                new ReadOnlyStringWrapper("No release recorded for this component.").getReadOnlyProperty(), badges, nav, desktop, false));
        commandsTab.setContent(CommandHistoryTable.create(vm.history(), vm.historyStateProperty(), false));
    }

    private Label progressLabelHolder() {
        return ActionButtons.progressLabel(vm.runner());
    }

    private static Label tag(String text, String style) {
        Label l = new Label(text);
        l.getStyleClass().addAll("label-tag", style);
        return l;
    }

    @Override
    protected void draw() {
        Component c = vm.componentProperty().get();
        Workload w = vm.workloadProperty().get();
        boolean noWorkload = c != null && !c.hasWorkload();
        editLabelsButton.setVisible(!noWorkload);
        editLabelsButton.setManaged(!noWorkload);
        if (noWorkload) {
            drawWithoutWorkload(c);
            return;
        }
        if (c == null || w == null) {
            status.show(null, false, null);
            return;
        }
        boolean rollout = w.kind() == WorkloadKind.ROLLOUT;
        status.show(c.status(), rollout, null);
        workloadLabel.setText(w.kind().kind() + " " + w.namespace() + "/" + w.name());
        versionLabel.setText(c.version());
        readyLabel.setText(c.readyReplicas() + "/" + c.desiredReplicas() + (w.hpaName() != null ? "  (autoscaled by HPA " + w.hpaName() + ")" : ""));
        String msg = c.verdict().message();
        verdictLabel.setText(c.verdict().phase() + (msg == null || msg.isEmpty() ? "" : ": " + msg));
        Chips.fill(labelChips, c.labels());
        for (Action a : new Action[] {Action.PROMOTE, Action.PROMOTE_FULL, Action.RETRY, Action.CANCEL}) {
            StackPane b = buttons.get(a);
            b.setVisible(rollout);
            b.setManaged(rollout);
        }
        actionsBox.lookupAll(".rollout-separator").forEach(n -> {
            n.setVisible(rollout);
            n.setManaged(rollout);
        });
        boolean many = c.workloads().size() > 1;
        workloadChoice.setVisible(many);
        workloadChoice.setManaged(many);
        if (many && workloadChoice.getItems().size() != c.workloads().size()) {
            workloadChoice.getItems().setAll(c.workloads().stream().map(x -> x.namespace() + "/" + x.name()).toList());
            workloadChoice.setValue(w.namespace() + "/" + w.name());
        }
    }

    /** A component known from its deploy markers only: what they say, and no action that needs a workload. */
    private void drawWithoutWorkload(Component c) {
        status.show(c.status(), false, null);
        workloadLabel.setText("No workload yet (deploy markers in namespace " + c.namespace() + ")");
        versionLabel.setText("none running");
        readyLabel.setText("0/0");
        verdictLabel.setText(c.verdict().phase() + ": " + c.verdict().message());
        Chips.fill(labelChips, c.labels());
        for (Action a : new Action[] {Action.PROMOTE, Action.PROMOTE_FULL, Action.RETRY, Action.CANCEL}) {
            buttons.get(a).setVisible(false);
            buttons.get(a).setManaged(false);
        }
        actionsBox.lookupAll(".rollout-separator").forEach(n -> {
            n.setVisible(false);
            n.setManaged(false);
        });
        workloadChoice.setVisible(false);
        workloadChoice.setManaged(false);
    }

    // ------------------------------------------------------------------ labels

    @FXML
    private void onEditLabels() {
        labelsField.setText(vm.labelsText());
        labelsEditor.setVisible(true);
        labelsEditor.setManaged(true);
        labelChips.setVisible(false);
        labelChips.setManaged(false);
        labelsField.requestFocus();
    }

    /** Disabled, with the reason, when the labels cannot be edited (RBAC, the annotation, no workload). */
    private void drawLabelsButton() {
        Availability av = vm.actions().get(Action.EDIT_LABELS);
        editLabelsButton.setDisable(!av.allowed());
        editLabelsButton.setTooltip(new Tooltip(av.allowed() ? ActionButtons.describe(Action.EDIT_LABELS) : av.reason()));
    }

    /** The labels typed, checked, then confirmed as a command (the exact patch and the permission check in the dialog). */
    @FXML
    private void onSaveLabels() {
        CommandProposal p = vm.labelsProposal(labelsField.getText());
        if (p == null) return;
        onCancelLabels();
        openDialog(p);
    }

    @FXML
    private void onCancelLabels() {
        labelsEditor.setVisible(false);
        labelsEditor.setManaged(false);
        labelChips.setVisible(true);
        labelChips.setManaged(true);
    }

    // ------------------------------------------------------------------ commands

    private void startAction(Action a, VersionInfo target) {
        CommandProposal p = vm.proposal(a, target);
        if (p != null) openDialog(p);
    }

    private void openDialog(CommandProposal p) {
        ctx.dialogs().confirm(p, request -> vm.run(p, request));
    }

    @Override
    public boolean runAction(Action a) {
        CommandProposal p = vm.proposal(a, null);
        if (p == null) {
            // the snapshot may not have the component yet; try again once it arrives
            vm.componentProperty().addListener(new javafx.beans.value.ChangeListener<>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends Component> o, Component old, Component now) {
                    if (now != null) {
                        o.removeListener(this);
                        startAction(a, null);
                    }
                }
            });
            return true;
        }
        openDialog(p);
        return true;
    }

    // ------------------------------------------------------------------ page

    @Override
    public String title() { return vm.name() + " · " + vm.environment(); }

    public CommandDialogView lastDialog() { return ctx.dialogs().last(); }

    public void selectTab(int i) { tabs.getSelectionModel().select(i); }
}

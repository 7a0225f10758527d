package dev.shipdeck.app.release;

import dev.shipdeck.app.commands.ActionButtons;
import dev.shipdeck.app.commands.CommandDialogView;
import dev.shipdeck.app.commands.CommandProposal;
import dev.shipdeck.app.common.ClusterGateway;
import dev.shipdeck.app.common.StatusBadge;
import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.TriggerLinks;
import dev.shipdeck.app.common.Times;
import dev.shipdeck.app.main.PageContext;
import dev.shipdeck.app.main.PageView;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.RolloutProgress;
import dev.shipdeck.core.model.Workload;
import javafx.fxml.FXML;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.Instant;

/** The release page: versions from → to, timing, trigger links, the canary step view with its actions, diff and pods. */
public final class ReleasePageView extends PageView<ReleasePageViewModel> {
    private final StatusBadge status;

    @FXML private Hyperlink componentLink;
    @FXML private Label versionChange;
    @FXML private HBox statusBox;
    @FXML private Hyperlink environmentLink;
    @FXML private Label workloadLabel;
    @FXML private Label startedLabel;
    @FXML private Label endedLabel;
    @FXML private HBox triggerBox;
    @FXML private Label messageLabel;
    @FXML private VBox canaryBox;
    @FXML private Label phaseLabel;
    @FXML private Label pauseLabel;
    @FXML private ListView<StepRow> stepsList;
    @FXML private ProgressBar weightBar;
    @FXML private Label weightLabel;
    @FXML private Label stepLabel;
    @FXML private HBox canaryActions;
    @FXML private Label notCurrentLabel;
    @FXML private HBox actionsBox;
    @FXML private Label diffState;
    @FXML private TableView<DiffRow> diffTable;
    @FXML private TableColumn<DiffRow, String> containerColumn;
    @FXML private TableColumn<DiffRow, String> fieldColumn;
    @FXML private TableColumn<DiffRow, String> beforeColumn;
    @FXML private TableColumn<DiffRow, String> afterColumn;
    @FXML private TableView<ClusterGateway.Pod> podsTable;
    @FXML private TableColumn<ClusterGateway.Pod, String> podNameColumn;
    @FXML private TableColumn<ClusterGateway.Pod, String> podPhaseColumn;
    @FXML private TableColumn<ClusterGateway.Pod, Boolean> podReadyColumn;
    @FXML private TableColumn<ClusterGateway.Pod, Integer> podRestartsColumn;
    @FXML private TableColumn<ClusterGateway.Pod, Instant> podAgeColumn;

    public ReleasePageView(ReleasePageViewModel vm, PageContext ctx) {
        super(vm, ctx);
        this.status = new StatusBadge(badges, 10);
        load("release-page.fxml");
    }

    @FXML
    private void initialize() {
        status.badge().setId("release-status");
        statusBox.getChildren().add(status);
        vm.releaseProperty().addListener((o, a, r) -> drawRelease());
        vm.workloadProperty().addListener((o, a, w) -> drawRelease());
        vm.rolloutProperty().addListener((o, a, p) -> drawCanary());
        vm.currentProperty().addListener((o, a, b) -> drawCanary());

        stepsList.setItems(vm.steps());
        stepsList.setCellFactory(l -> new StepCell());
        stepsList.setFocusTraversable(false);
        for (Action a : new Action[] {Action.PROMOTE, Action.PROMOTE_FULL, Action.RETRY, Action.CANCEL}) {
            canaryActions.getChildren().add(ActionButtons.create(a, vm.actions(), () -> openDialog(vm.proposal(a))));
        }
        actionsBox.getChildren().add(ActionButtons.create(Action.RESTORE_VERSION, vm.actions(), () -> openDialog(vm.proposal(Action.RESTORE_VERSION))));
        actionsBox.getChildren().add(ActionButtons.progressLabel(vm.runner()));

        diffState.textProperty().bind(vm.diffStateProperty());
        diffState.visibleProperty().bind(vm.diffStateProperty().isNotEmpty());
        diffState.managedProperty().bind(vm.diffStateProperty().isNotEmpty());
        Tables.bind(diffTable, vm.diff(), DiffRow::key);
        Tables.placeholder(diffTable, vm.diffStateProperty());
        Tables.text(containerColumn, DiffRow::container, s -> s);
        Tables.text(fieldColumn, DiffRow::field, s -> s);
        diffCell(beforeColumn, DiffRow::before, "diff-before");
        diffCell(afterColumn, DiffRow::after, "diff-after");

        Tables.bind(podsTable, vm.pods(), ClusterGateway.Pod::name);
        Tables.placeholder(podsTable, vm.podsStateProperty());
        Tables.text(podNameColumn, ClusterGateway.Pod::name, s -> s);
        Tables.text(podPhaseColumn, ClusterGateway.Pod::phase, s -> s);
        Tables.text(podReadyColumn, ClusterGateway.Pod::ready, b -> b ? "ready" : "not ready");
        Tables.text(podRestartsColumn, ClusterGateway.Pod::restarts, Object::toString);
        Tables.text(podAgeColumn, ClusterGateway.Pod::createdAt, t -> Times.ago(t, Instant.now()).replace(" ago", "")); // an age, not a time
    }

    private static void diffCell(TableColumn<DiffRow, String> col, java.util.function.Function<DiffRow, String> value, String changedStyle) {
        col.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(c.getValue())));
        col.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                getStyleClass().removeAll("diff-before", "diff-after");
                DiffRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
                if (row == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                setText(s == null || s.isEmpty() ? "—" : s);
                setTooltip(s == null || s.isEmpty() ? null : new Tooltip(s));
                if (row.changed()) getStyleClass().add(changedStyle);
            }
        });
    }

    private final class StepCell extends ListCell<StepRow> {
        @Override
        protected void updateItem(StepRow s, boolean empty) {
            super.updateItem(s, empty);
            getStyleClass().removeAll("step-done", "step-current", "step-next");
            if (empty || s == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            setText((s.index() + 1) + ". " + s.text());
            getStyleClass().add("step-" + s.state().name().toLowerCase(java.util.Locale.ROOT));
            setGraphic(new FontIcon(switch (s.state()) {
                case DONE -> Feather.CHECK;
                case CURRENT -> Feather.CHEVRON_RIGHT;
                case NEXT -> Feather.CIRCLE;
            }));
        }
    }

    private void drawRelease() {
        Release r = vm.releaseProperty().get();
        if (r == null) return;
        componentLink.setText(r.component());
        componentLink.setOnAction(e -> nav.openComponent(r.environment(), r.component()));
        boolean hasPrev = r.previousVersion() != null && !r.previousVersion().isEmpty();
        versionChange.setText(hasPrev ? r.previousVersion() + "  →  " + r.version() : r.version() + "  (first version)");
        status.show(r.status(), r.type() == ReleaseType.PROGRESSIVE, null);
        environmentLink.setText(r.environment());
        environmentLink.setOnAction(e -> nav.openEnvironment(r.environment()));
        workloadLabel.setText(r.workloadKind() == null ? "Deploy marker in namespace " + r.namespace() + " (it names no workload)"
                + (r.rollback() ? "  ·  rollback" : "")
                : r.workloadKind().kind() + " " + r.namespace() + "/" + r.workloadName() + "  ·  revision " + r.revision()
                + (r.rollback() ? "  ·  rollback" : ""));
        Instant now = Instant.now();
        startedLabel.setText(r.startedAt() == null ? "—" : Times.absolute(r.startedAt()) + "  (" + Times.ago(r.startedAt(), now) + ")");
        endedLabel.setText(r.endedAt() == null ? (r.status().terminal() ? "—" : "still running")
                : Times.absolute(r.endedAt()) + "  (took " + Times.took(r.took()) + ")");
        messageLabel.setText(r.status().name() + (r.message() == null || r.message().isEmpty() ? "" : ": " + r.message()));
        TriggerLinks.page(triggerBox, r.trigger(), desktop);
        drawCanary();
    }

    private void drawCanary() {
        RolloutProgress p = vm.rolloutProperty().get();
        Release r = vm.releaseProperty().get();
        Workload w = vm.workloadProperty().get();
        boolean show = p != null;
        canaryBox.setVisible(show);
        canaryBox.setManaged(show);
        boolean stale = r != null && w != null && !vm.currentProperty().get();
        notCurrentLabel.setVisible(stale);
        notCurrentLabel.setManaged(stale);
        if (stale) {
            notCurrentLabel.setText("This release is not the current one: " + r.workloadName() + " now runs " + w.version()
                    + ". Restore brings " + (r.previousVersion() == null || r.previousVersion().isEmpty() ? "the previous version" : r.previousVersion())
                    + " back; open the newest release for the live canary.");
        }
        if (!show) return;
        phaseLabel.setText(p.phase() + (p.message() == null || p.message().isEmpty() ? "" : " · " + p.message()));
        pauseLabel.setText(p.pauseReason().isEmpty() ? (p.aborted() ? "aborted" : "") : "Paused: " + p.pauseReason());
        pauseLabel.setVisible(!pauseLabel.getText().isEmpty());
        weightBar.setProgress(p.weight() / 100.0);
        weightLabel.setText(p.weight() + "%");
        String step = p.currentStepIndex() >= p.steps().size()
                ? "All " + p.steps().size() + " steps done" + (p.fullyPromoted() ? ": the new version is stable." : ".")
                : "Step " + (p.currentStepIndex() + 1) + " of " + p.steps().size() + ": " + p.steps().get(p.currentStepIndex());
        stepLabel.setText(step);
        if (p.currentStepIndex() < p.steps().size()) stepsList.scrollTo(Math.max(0, p.currentStepIndex() - 1));
    }

    private void openDialog(CommandProposal p) {
        ctx.dialogs().confirm(p, request -> vm.run(p, request));
    }

    @Override
    public boolean runAction(Action a) {
        if (!ReleasePageViewModel.ACTIONS.contains(a)) return false;
        openDialog(vm.proposal(a));
        return true;
    }

    @Override
    protected void draw() { drawRelease(); }

    @Override
    public String title() {
        Release r = vm.releaseProperty().get();
        return r == null ? "release" : r.component() + " " + r.version() + " · " + r.environment();
    }

    public CommandDialogView lastDialog() { return ctx.dialogs().last(); }
}

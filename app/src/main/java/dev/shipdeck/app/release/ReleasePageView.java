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
import dev.shipdeck.core.model.AnalysisRun;
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

/**
 * The release page: versions from → to, timing, trigger links, the canary step view (blue-green: the active and
 * preview versions) with the plugin's actions, the AnalysisRuns of the version, diff and pods.
 */
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
    @FXML private Label strategyTitle;
    @FXML private VBox weightBox;
    @FXML private VBox blueGreenBox;
    @FXML private Label bgActive;
    @FXML private Label bgPreview;
    @FXML private Label bgFacts;
    @FXML private javafx.scene.control.Tab analysisTab;
    @FXML private Label analysisState;
    @FXML private VBox analysisBox;
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

        analysisState.textProperty().bind(vm.analysisStateProperty());
        analysisState.visibleProperty().bind(vm.analysisStateProperty().isNotEmpty());
        analysisState.managedProperty().bind(vm.analysisStateProperty().isNotEmpty());
        vm.analysis().addListener((javafx.collections.ListChangeListener<AnalysisRun>) c -> drawAnalysis());
        drawAnalysis();

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
        // the reason is on the badge itself: a failed analysis, a deadline, ... (and in the Status line below)
        boolean why = r.status() == dev.shipdeck.core.model.ReleaseStatus.FAILED && r.message() != null && !r.message().isEmpty();
        status.show(r.status(), r.type() == ReleaseType.PROGRESSIVE, why ? r.message() : null);
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
        boolean blueGreen = p.isBlueGreen();
        strategyTitle.setText(blueGreen ? "Blue-green" : "Canary");
        for (javafx.scene.Node n : new javafx.scene.Node[] {stepsList, weightBox}) {
            n.setVisible(!blueGreen);
            n.setManaged(!blueGreen);
        }
        blueGreenBox.setVisible(blueGreen);
        blueGreenBox.setManaged(blueGreen);
        phaseLabel.setText(p.phase() + (p.message() == null || p.message().isEmpty() ? "" : " · " + p.message()));
        pauseLabel.setText(p.pauseReason().isEmpty() ? (p.aborted() ? "aborted" : "") : "Paused: " + p.pauseReason());
        pauseLabel.setVisible(!pauseLabel.getText().isEmpty());
        if (blueGreen) {
            drawBlueGreen(p);
            return;
        }
        weightBar.setProgress(p.weight() / 100.0);
        weightLabel.setText(p.weight() + "%");
        String step = p.currentStepIndex() >= p.steps().size()
                ? "All " + p.steps().size() + " steps done" + (p.fullyPromoted() ? ": the new version is stable." : ".")
                : "Step " + (p.currentStepIndex() + 1) + " of " + p.steps().size() + ": " + p.steps().get(p.currentStepIndex());
        stepLabel.setText(step);
        if (p.currentStepIndex() < p.steps().size()) stepsList.scrollTo(Math.max(0, p.currentStepIndex() - 1));
    }

    /** Which version each service sends traffic to, and what happens next. */
    private void drawBlueGreen(RolloutProgress p) {
        RolloutProgress.BlueGreen bg = p.blueGreen();
        bgActive.setText("Active: " + orUnknown(bg.activeVersion()) + (bg.activeService().isEmpty() ? "" : "  (service " + bg.activeService() + ")"));
        bgPreview.setText(bg.previewService().isEmpty() ? "Preview: no preview service"
                : "Preview: " + orUnknown(bg.previewVersion()) + "  (service " + bg.previewService() + ")");
        String promotion = bg.autoPromotionEnabled()
                ? bg.autoPromotionSeconds() > 0 ? "promotes itself " + bg.autoPromotionSeconds() + " s after the preview is ready" : "promotes itself once the preview is ready"
                : "waits for a person to promote";
        bgFacts.setText("Auto-promotion " + (bg.autoPromotionEnabled() ? "on" : "off") + ": " + promotion + "  ·  the old version is scaled down "
                + bg.scaleDownDelaySeconds() + " s after the switch" + (bg.previewReplicaCount() >= 0 ? "  ·  preview runs " + bg.previewReplicaCount() + " replica(s)" : ""));
        stepLabel.setText(p.aborted() ? "Aborted: the active service is back on " + orUnknown(bg.activeVersion()) + "."
                : bg.previewDiffers() ? (p.pausedAtStep() ? "The preview runs " + orUnknown(bg.previewVersion()) + ": promote to switch the active service to it."
                        : "Switching to " + orUnknown(bg.previewVersion()) + "…")
                : p.fullyPromoted() ? "Both services are on " + orUnknown(bg.activeVersion()) + ": the new version is stable." : "");
    }

    private static String orUnknown(String version) {
        return version == null || version.isEmpty() ? "(unknown)" : version;
    }

    /** Each AnalysisRun: its phase badge, why it failed, and every metric with its measurements. */
    private void drawAnalysis() {
        analysisBox.getChildren().clear();
        java.util.List<AnalysisRun> runs = vm.analysis();
        analysisTab.setText(runs.isEmpty() ? "Analysis" : "Analysis (" + runs.size() + ")");
        for (AnalysisRun run : runs) {
            VBox box = new VBox(6);
            box.getStyleClass().add("analysis-run");
            box.setId("analysis-run-" + run.name());
            Label phase = new Label(run.phase());
            phase.getStyleClass().addAll("analysis-phase", "analysis-" + run.phase().toLowerCase(java.util.Locale.ROOT));
            Label title = new Label(run.name() + (run.type().isEmpty() ? "" : "  ·  " + describe(run)));
            title.getStyleClass().add("section-title");
            HBox head = new HBox(10, phase, title);
            head.getStyleClass().add("analysis-head");
            box.getChildren().add(head);
            if (!run.reason().isEmpty()) {
                Label why = new Label("Why it failed: " + run.reason());
                why.getStyleClass().add("analysis-reason");
                why.setWrapText(true);
                box.getChildren().add(why);
            } else if (!run.message().isEmpty()) {
                Label msg = new Label(run.message());
                msg.getStyleClass().add("muted");
                msg.setWrapText(true);
                box.getChildren().add(msg);
            }
            for (AnalysisRun.Metric m : run.metrics()) {
                Label metric = new Label("Metric " + m.name() + ": " + m.phase() + (m.count() > 0 ? "  ·  " + m.count() + " measured, " + m.failed() + " failed" : "")
                        + (m.message().isEmpty() ? "" : "  ·  " + m.message()));
                metric.getStyleClass().add("analysis-metric");
                metric.setWrapText(true);
                box.getChildren().addAll(metric, measurements(m));
            }
            analysisBox.getChildren().add(box);
        }
    }

    private static String describe(AnalysisRun run) {
        return switch (run.type()) {
            case "PrePromotion" -> "before the promotion";
            case "PostPromotion" -> "after the promotion";
            case "Step" -> "canary step " + (run.stepIndex() + 1);
            case "Background" -> "in the background";
            default -> run.type();
        };
    }

    private static TableView<AnalysisRun.Measurement> measurements(AnalysisRun.Metric m) {
        TableView<AnalysisRun.Measurement> t = new TableView<>(javafx.collections.FXCollections.observableArrayList(m.measurements()));
        t.getStyleClass().add("analysis-measurements");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPlaceholder(new Label("No measurement yet."));
        t.setFixedCellSize(26);
        t.setPrefHeight(30 + 26 * Math.max(1, Math.min(m.measurements().size(), 8)));
        t.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        TableColumn<AnalysisRun.Measurement, String> phase = new TableColumn<>("Phase");
        TableColumn<AnalysisRun.Measurement, String> value = new TableColumn<>("Value");
        TableColumn<AnalysisRun.Measurement, Instant> finished = new TableColumn<>("Finished");
        TableColumn<AnalysisRun.Measurement, String> message = new TableColumn<>("Message");
        Tables.text(phase, AnalysisRun.Measurement::phase, s -> s);
        Tables.text(value, AnalysisRun.Measurement::value, s -> s.isEmpty() ? "—" : s);
        Tables.text(finished, AnalysisRun.Measurement::finishedAt, x -> x == null ? "—" : Times.absolute(x));
        Tables.text(message, AnalysisRun.Measurement::message, s -> s.isEmpty() ? "—" : s);
        phase.setPrefWidth(110);
        value.setPrefWidth(140);
        finished.setPrefWidth(190);
        t.getColumns().addAll(java.util.List.of(phase, value, finished, message));
        return t;
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

package dev.shipdeck.app.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.app.commands.ActionsViewModel;
import dev.shipdeck.app.commands.CommandProposal;
import dev.shipdeck.app.commands.CommandRunner;
import dev.shipdeck.app.commands.CommandService;
import dev.shipdeck.app.common.ClusterGateway;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Errors;
import dev.shipdeck.app.common.Rows;
import dev.shipdeck.app.common.Latest;
import dev.shipdeck.app.common.PageViewModel;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.AnalysisRun;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.RolloutProgress;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.model.WorkloadKind;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The release page: the release (live), its component's workload, the canary position (or, for blue-green, the
 * active and preview versions) when it is the current rollout, the AnalysisRuns of its version, the pods of its
 * version, and the pod template diff against the version before it.
 */
public final class ReleasePageViewModel extends PageViewModel {
    public static final List<Action> ACTIONS = List.of(Action.PROMOTE, Action.PROMOTE_FULL, Action.RETRY, Action.CANCEL, Action.RESTORE_VERSION);

    private final String releaseId;
    private final Latest podsLoad;
    private final Latest diffLoad;
    private final ClusterGateway cluster;
    private final ReadOnlyObjectWrapper<Release> release = new ReadOnlyObjectWrapper<>(this, "release");
    private final ReadOnlyObjectWrapper<Component> component = new ReadOnlyObjectWrapper<>(this, "component");
    private final ReadOnlyObjectWrapper<Workload> workload = new ReadOnlyObjectWrapper<>(this, "workload");
    private final ReadOnlyObjectWrapper<RolloutProgress> rollout = new ReadOnlyObjectWrapper<>(this, "rollout");
    private final ReadOnlyBooleanWrapper current = new ReadOnlyBooleanWrapper(this, "current");
    private final Rows<StepRow> steps = new Rows<>();
    private final Rows<ClusterGateway.Pod> pods = new Rows<>();
    private final Rows<DiffRow> diff = new Rows<>();
    private final Rows<AnalysisRun> analysis = new Rows<>();
    private final ReadOnlyStringWrapper analysisState = new ReadOnlyStringWrapper(this, "analysisState", "");
    private final ReadOnlyStringWrapper podsState = new ReadOnlyStringWrapper(this, "podsState", "Loading the pods…");
    private final ReadOnlyStringWrapper diffState = new ReadOnlyStringWrapper(this, "diffState", "Loading the two pod templates…");
    private final ActionsViewModel actions;
    private final CommandRunner runner;
    private String podsKey;
    private boolean diffLoaded;

    /** Why a deploy marker's page shows no pods and offers no action. */
    static final String MARKER = "a deploy marker from CI: it names no workload";

    public ReleasePageViewModel(String releaseId, ReadOnlyObjectProperty<Snapshot> snapshot, Tasks tasks, CommandService commands,
                                ClusterGateway cluster, Desktop desktop) {
        super(snapshot);
        this.releaseId = releaseId;
        this.podsLoad = slot(tasks);
        this.diffLoad = slot(tasks);
        this.cluster = cluster;
        this.actions = new ActionsViewModel(tasks, commands, ACTIONS);
        this.runner = new CommandRunner(tasks, commands, desktop, r -> actions.invalidate());
    }

    @Override
    protected void onDeactivate() {
        // what is dropped now is asked for again when the page comes back
        if (podsLoad.busy()) podsKey = null;
        if (diffLoad.busy()) diffLoaded = false;
        actions.cancel();
    }

    @Override
    protected void refresh() {
        Snapshot s = snapshot.get();
        Release r = find(s, releaseId);
        if (r == null) {
            r = release.get();
            if (r == null) return;
        }
        release.set(r);
        EnvironmentSnapshot es = s.environment(r.environment());
        Release rel = r;
        Component c = es == null ? null : es.components().stream().filter(x -> x.name().equals(rel.component())).findFirst().orElse(null);
        Workload w = c == null ? null : c.workloads().stream()
                .filter(x -> x.namespace().equals(rel.namespace()) && x.name().equals(rel.workloadName())).findFirst().orElse(null);
        component.set(c);
        workload.set(w);
        boolean isCurrent = w != null && rel.templateHash() != null && rel.templateHash().equals(w.templateHash());
        current.set(isCurrent);
        RolloutProgress p = isCurrent && w.kind() == WorkloadKind.ROLLOUT ? w.rollout() : null;
        rollout.set(p);
        steps.setAll(p == null ? List.of() : steps(p));
        List<AnalysisRun> runs = w == null || w.rollout() == null || rel.templateHash() == null ? List.of()
                : w.rollout().analysisOf(rel.templateHash());
        if (!runs.equals(analysis.view())) analysis.setAll(runs); // a redraw only when the runs changed
        analysisState.set(analysisText(rel, w, runs));
        if (rel.workloadKind() == null) {
            actions.unavailable(MARKER);
        } else if (dev.shipdeck.app.common.Offline.reason(s, r.environment()) != null) {
            actions.unavailable(dev.shipdeck.app.common.Offline.reason(s, r.environment()));
        } else {
            actions.update(c, w);
        }
        VersionInfo v = w == null ? null : version(w, rel.templateHash());
        loadPods(rel, w, v);
        if (!diffLoaded && w != null) loadDiff(rel, w, v);
    }

    /** What the Analysis tab says above the runs (empty when there is nothing to add). */
    static String analysisText(Release r, Workload w, List<AnalysisRun> runs) {
        if (r.workloadKind() != WorkloadKind.ROLLOUT) return "AnalysisRuns belong to Argo Rollouts; this release is not one.";
        if (runs.isEmpty()) return "No AnalysisRun checked " + r.version() + (w == null ? "." : " (none is kept in the cluster for it).");
        long failed = runs.stream().filter(AnalysisRun::failed).count();
        return failed == 0 ? "" : failed + " of " + runs.size() + " AnalysisRun" + (runs.size() == 1 ? "" : "s") + " failed: "
                + runs.stream().filter(AnalysisRun::failed).findFirst().map(AnalysisRun::reason).orElse("");
    }

    static Release find(Snapshot s, String id) {
        for (EnvironmentSnapshot e : s.environments()) {
            for (Release r : e.releases()) {
                if (r.id().equals(id)) return r;
            }
        }
        return null;
    }

    static List<StepRow> steps(RolloutProgress p) {
        List<StepRow> out = new ArrayList<>();
        for (int i = 0; i < p.steps().size(); i++) {
            StepRow.State st = i < p.currentStepIndex() ? StepRow.State.DONE : i == p.currentStepIndex() ? StepRow.State.CURRENT : StepRow.State.NEXT;
            out.add(new StepRow(i, p.steps().get(i), st));
        }
        return out;
    }

    private static VersionInfo version(Workload w, String hash) {
        return w.versions().stream().filter(v -> v.templateHash().equals(hash)).findFirst().orElse(null);
    }

    /** The version before {@code r}: same version string, the newest revision below the release's. */
    static VersionInfo previous(Workload w, Release r) {
        if (r.previousVersion() == null || r.previousVersion().isEmpty()) return null;
        VersionInfo below = null;
        VersionInfo any = null;
        for (VersionInfo v : w.versions()) {
            if (!v.version().equals(r.previousVersion()) || v.templateHash().equals(r.templateHash())) continue;
            if (any == null || v.revision() > any.revision()) any = v;
            if (v.revision() < r.revision() && (below == null || v.revision() > below.revision())) below = v;
        }
        return below != null ? below : any;
    }

    private void loadPods(Release r, Workload w, VersionInfo v) {
        if (w == null || v == null) {
            pods.clear();
            podsState.set(r.workloadKind() == null ? MARKER + ", so there are no pods to show"
                    : "The ReplicaSet of this version is gone (pruned by revisionHistoryLimit).");
            podsKey = null;
            return;
        }
        String key = v.templateHash() + "|" + v.replicas() + "|" + v.readyReplicas() + "|" + v.availableReplicas();
        if (key.equals(podsKey)) return;
        podsKey = key;
        String label = w.kind() == WorkloadKind.DEPLOYMENT ? "pod-template-hash" : "rollouts-pod-template-hash";
        podsLoad.run(() -> cluster.pods(r.environment(), r.namespace(), label, v.templateHash()), list -> {
            pods.setAll(list);
            podsState.set(list.isEmpty() ? "No pod runs this version now." : "");
        }, e -> podsState.set("Cannot list the pods: " + Errors.oneLine(e)));
    }

    private void loadDiff(Release r, Workload w, VersionInfo v) {
        diffLoaded = true;
        VersionInfo prev = previous(w, r);
        if (v == null) {
            diffState.set("The ReplicaSet of " + r.version() + " is gone (pruned by revisionHistoryLimit), so there is nothing to compare.");
            return;
        }
        if (prev == null) {
            diffState.set(r.previousVersion() == null || r.previousVersion().isEmpty()
                    ? "This is the first version recorded for " + r.component() + ": its template, with nothing before it."
                    : "The ReplicaSet of " + r.previousVersion() + " is gone (pruned by revisionHistoryLimit).");
        }
        diffLoad.run(() -> {
            JsonNode after = cluster.replicaSetTemplate(r.environment(), r.namespace(), v.replicaSetName());
            JsonNode before = prev == null ? null : cluster.replicaSetTemplate(r.environment(), r.namespace(), prev.replicaSetName());
            return TemplateDiff.compute(before, after);
        }, rows -> {
            diff.setAll(rows);
            if (prev != null) {
                long changed = rows.stream().filter(DiffRow::changed).count();
                diffState.set(changed == 0 ? "The pod templates are identical (a restart or a rollback to the same template)." : "");
            }
        }, e -> diffState.set("Cannot read the pod templates: " + Errors.oneLine(e)));
    }

    // ------------------------------------------------------------------ commands

    public CommandProposal proposal(Action a) {
        Component c = component.get();
        Workload w = workload.get();
        Release r = release.get();
        if (c == null || w == null || r == null) return null;
        if (a == Action.RESTORE_VERSION) return CommandProposal.restore(c, w, previous(w, r));
        return CommandProposal.simple(a, c, w);
    }

    public void run(CommandProposal p, java.util.Map<String, String> args) {
        run(p, p.request(args));
    }

    /** Runs the request as confirmed (arguments and reason from the dialog). */
    public void run(CommandProposal p, dev.shipdeck.core.commands.CommandRequest request) {
        runner.run(request, p.progressText(request.args()));
    }

    // ------------------------------------------------------------------ properties

    public String releaseId() { return releaseId; }

    public ReadOnlyObjectProperty<Release> releaseProperty() { return release.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<Component> componentProperty() { return component.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<Workload> workloadProperty() { return workload.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<RolloutProgress> rolloutProperty() { return rollout.getReadOnlyProperty(); }

    public ReadOnlyBooleanProperty currentProperty() { return current.getReadOnlyProperty(); }

    public ObservableList<StepRow> steps() { return steps.view(); }

    public ObservableList<ClusterGateway.Pod> pods() { return pods.view(); }

    public ObservableList<DiffRow> diff() { return diff.view(); }

    /** The AnalysisRuns of this release's version (its pod template hash), newest first. */
    public ObservableList<AnalysisRun> analysis() { return analysis.view(); }

    public ReadOnlyStringProperty analysisStateProperty() { return analysisState.getReadOnlyProperty(); }

    public ReadOnlyStringProperty podsStateProperty() { return podsState.getReadOnlyProperty(); }

    public ReadOnlyStringProperty diffStateProperty() { return diffState.getReadOnlyProperty(); }

    public ActionsViewModel actions() { return actions; }

    public CommandRunner runner() { return runner; }
}

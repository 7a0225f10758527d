package dev.shipdeck.app.components;

import dev.shipdeck.app.commands.ActionsViewModel;
import dev.shipdeck.app.commands.CommandProposal;
import dev.shipdeck.app.commands.CommandRunner;
import dev.shipdeck.app.commands.CommandService;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Errors;
import dev.shipdeck.app.common.Rows;
import dev.shipdeck.app.common.Latest;
import dev.shipdeck.app.common.PageViewModel;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.commands.Availability;
import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.matrix.PromotionOrder;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.status.VersionHistory;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/**
 * The component page: the component as it is now (live), its versions with pods and readiness, its releases, the
 * commands run on it, its labels (edited through core's edit-labels command, confirmed like the others), and the
 * actions it allows.
 */
public final class ComponentPageViewModel extends PageViewModel {
    /** The action buttons of the page. */
    public static final List<Action> ACTIONS = List.of(Action.RESTORE_VERSION, Action.SCALE, Action.RESTART,
            Action.PROMOTE, Action.PROMOTE_FULL, Action.RETRY, Action.CANCEL);
    /** What is checked for the page: the buttons' actions and the label editor's. */
    private static final List<Action> CHECKED = java.util.stream.Stream.concat(ACTIONS.stream(),
            java.util.stream.Stream.of(Action.EDIT_LABELS, Action.SHIP)).toList();

    private final String environment;
    private final String name;
    private final Latest historyLoad;
    private final CommandService commands;
    private final ReadOnlyObjectWrapper<Component> component = new ReadOnlyObjectWrapper<>(this, "component");
    private final ReadOnlyObjectWrapper<Workload> workload = new ReadOnlyObjectWrapper<>(this, "workload");
    private final Rows<VersionRow> versions = new Rows<>();
    private final Rows<Release> releases = new Rows<>();
    private final Rows<CommandRecord> history = new Rows<>();
    private final BooleanProperty showOlderVersions = new SimpleBooleanProperty(this, "showOlderVersions");
    private final ReadOnlyBooleanWrapper missing = new ReadOnlyBooleanWrapper(this, "missing");
    private final ReadOnlyStringWrapper labelsError = new ReadOnlyStringWrapper(this, "labelsError", "");
    private final ReadOnlyStringWrapper historyState = new ReadOnlyStringWrapper(this, "historyState", "No command has been run on this component from here yet.");
    private final ActionsViewModel actions;
    private final CommandRunner runner;
    private final PromotionOrder promotion;
    private final ReadOnlyObjectWrapper<Availability> ship = new ReadOnlyObjectWrapper<>(this, "ship", ActionsViewModel.CHECKING);
    private final ReadOnlyStringWrapper shipText = new ReadOnlyStringWrapper(this, "shipText", Action.SHIP.label());
    private String selectedWorkload;

    public ComponentPageViewModel(String environment, String name, ReadOnlyObjectProperty<Snapshot> snapshot, Tasks tasks,
                                  CommandService commands, Desktop desktop) {
        this(environment, name, snapshot, tasks, commands, desktop, null);
    }

    /** With the session's promotion order: the page offers shipping the version of the environment before this one. */
    public ComponentPageViewModel(String environment, String name, ReadOnlyObjectProperty<Snapshot> snapshot, Tasks tasks,
                                  CommandService commands, Desktop desktop, PromotionOrder promotion) {
        super(snapshot);
        this.promotion = promotion;
        this.environment = environment;
        this.name = name;
        this.historyLoad = slot(tasks);
        this.commands = commands;
        this.actions = new ActionsViewModel(tasks, commands, CHECKED);
        this.runner = new CommandRunner(tasks, commands, desktop, result -> {
            actions.invalidate();
            loadHistory();
        });
        showOlderVersions.addListener(o -> refresh());
        actions.availability().addListener((javafx.collections.MapChangeListener<Action, Availability>) c -> {
            if (c.getKey() == Action.SHIP) drawShip();
        });
    }

    @Override
    protected void onActivate() {
        loadHistory();
    }

    @Override
    protected void onDeactivate() {
        actions.cancel();
    }

    @Override
    protected void refresh() {
        Component c = find(snapshot.get(), environment, name);
        if (c == null) {
            missing.set(!snapshot.get().environments().isEmpty() && snapshot.get().environment(environment) != null
                    && snapshot.get().environment(environment).connection().connected());
            component.set(null);
            workload.set(null);
            actions.update(null, null);
            return;
        }
        missing.set(false);
        component.set(c);
        Workload w = !c.hasWorkload() ? null
                : c.workloads().stream().filter(x -> (x.namespace() + "/" + x.name()).equals(selectedWorkload)).findFirst().orElse(c.primary());
        workload.set(w);
        String offline = dev.shipdeck.app.common.Offline.reason(snapshot.get(), environment);
        if (offline != null) actions.unavailable(offline);
        else actions.update(c, w);
        EnvironmentSnapshot es = snapshot.get().environment(environment);
        List<Release> mine = es == null ? List.of() : es.releases().stream().filter(r -> r.component().equals(name)).toList();
        List<VersionRow> vs = new ArrayList<>();
        for (Workload x : c.workloads()) {
            // the versions its ReplicaSets hold, and those only its Release records know (not restorable)
            for (VersionInfo v : VersionHistory.of(x, mine)) {
                VersionRow row = new VersionRow(x, v);
                if (showOlderVersions.get() || v.active() || row.current()) vs.add(row);
            }
        }
        versions.setAll(vs);
        releases.setAll(mine);
        drawShip();
    }

    // ------------------------------------------------------------------ ship

    /** The environment before this one in its promotion lane, or null. */
    public String shipFrom() {
        return promotion == null ? null : promotion.previousOf(environment);
    }

    /** The component as it runs in {@link #shipFrom()}, or null. */
    private Component shipSource() {
        String from = shipFrom();
        Component src = from == null ? null : find(snapshot.get(), from, name);
        return src == null || !src.hasWorkload() ? null : src;
    }

    /** The Ship button: its words and whether it may be used (the source must run the component, then the target's checks). */
    private void drawShip() {
        String from = shipFrom();
        Component src = shipSource();
        shipText.set(src == null ? Action.SHIP.label() : "Ship " + src.version() + " from " + from);
        if (from == null) {
            ship.set(Availability.no("no environment comes before " + environment + " in its promotion lane: nothing to ship from"));
        } else if (src == null) {
            ship.set(Availability.no(name + " does not run in " + from + ": nothing to ship from there"));
        } else {
            ship.set(actions.get(Action.SHIP));
        }
    }

    /** Ship what the environment before this one runs into this one (null when there is nothing to ship). */
    public CommandProposal shipProposal() {
        Component c = component.get();
        Workload w = workload.get();
        Component src = shipSource();
        EnvironmentSnapshot es = snapshot.get().environment(environment);
        if (c == null || w == null || src == null || es == null) return null;
        return CommandProposal.ship(c, w, es.environment(), shipFrom(), src.version());
    }

    /** Whether shipping into this environment may be offered now, and why not. */
    public ReadOnlyObjectProperty<Availability> shipProperty() { return ship.getReadOnlyProperty(); }

    /** {@code Ship 0.9.5 from staging}. */
    public ReadOnlyStringProperty shipTextProperty() { return shipText.getReadOnlyProperty(); }

    static Component find(Snapshot s, String env, String name) {
        EnvironmentSnapshot es = s.environment(env);
        if (es == null) return null;
        return es.components().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /** Reloads the Commands tab in the background. */
    public void loadHistory() {
        historyLoad.run(() -> commands.history(environment, name), list -> {
            history.setAll(list);
            historyState.set(list.isEmpty() ? "No command has been run on this component from here yet." : "");
        }, e -> historyState.set("Cannot read the command history: " + Errors.oneLine(e)));
    }

    /** Chooses which workload the actions apply to, for components with several. */
    public void selectWorkload(String namespaceAndName) {
        selectedWorkload = namespaceAndName;
        refresh();
    }

    // ------------------------------------------------------------------ commands

    /** The confirmation for {@code a}; {@code target} is the version to restore (null = the previous one). */
    public CommandProposal proposal(Action a, VersionInfo target) {
        Component c = component.get();
        Workload w = workload.get();
        if (c == null || w == null) return null;
        return switch (a) {
            case SHIP -> shipProposal();
            case RESTORE_VERSION -> CommandProposal.restore(c, w, target);
            case SCALE -> CommandProposal.scale(c, w);
            default -> CommandProposal.simple(a, c, w);
        };
    }

    /** The proposal to restore the version of a row of the versions table. */
    public CommandProposal restoreProposal(VersionRow row) {
        Component c = component.get();
        return c == null ? null : CommandProposal.restore(c, row.workload(), row.version());
    }

    public void run(CommandProposal p, java.util.Map<String, String> args) {
        run(p, p.request(args));
    }

    /** Runs the request as confirmed (arguments and reason from the dialog). */
    public void run(CommandProposal p, dev.shipdeck.core.commands.CommandRequest request) {
        runner.run(request, p.progressText(request.args()));
    }

    // ------------------------------------------------------------------ labels

    /** The labels the editor starts with: those of the workload's own annotation (not its namespace's). */
    public String labelsText() {
        Workload w = workload.get();
        return w == null ? "" : CommandProposal.ownLabels(w);
    }

    /**
     * Validates the labels typed ({@code team:payments, role:web}) and returns the command that sets them on the
     * workload, for the confirmation dialog (core's edit-labels command: dry run, permission check, audit); null
     * (and {@link #labelsErrorProperty()} says why) when the text is not valid.
     */
    public CommandProposal labelsProposal(String text) {
        Labels parsed;
        try {
            parsed = Labels.parse(text);
        } catch (ShipdeckException e) {
            labelsError.set(e.oneLine());
            return null;
        }
        Component c = component.get();
        Workload w = workload.get();
        if (c == null) return null;
        if (w == null) {
            labelsError.set("labels live on the workload: this component has " + Component.NO_WORKLOAD);
            return null;
        }
        labelsError.set("");
        return CommandProposal.labels(c, w, parsed);
    }

    public void clearLabelsError() { labelsError.set(""); }

    // ------------------------------------------------------------------ properties

    public String environment() { return environment; }

    public String name() { return name; }

    public ReadOnlyObjectProperty<Component> componentProperty() { return component.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<Workload> workloadProperty() { return workload.getReadOnlyProperty(); }

    public ObservableList<VersionRow> versions() { return versions.view(); }

    public ObservableList<Release> releases() { return releases.view(); }

    public ObservableList<CommandRecord> history() { return history.view(); }

    public BooleanProperty showOlderVersionsProperty() { return showOlderVersions; }

    public ReadOnlyBooleanProperty missingProperty() { return missing.getReadOnlyProperty(); }

    public ReadOnlyStringProperty labelsErrorProperty() { return labelsError.getReadOnlyProperty(); }

    public ReadOnlyStringProperty historyStateProperty() { return historyState.getReadOnlyProperty(); }

    public ActionsViewModel actions() { return actions; }

    public CommandRunner runner() { return runner; }
}

package dev.shipdeck.app.environments;

import dev.shipdeck.app.commands.CommandService;
import dev.shipdeck.app.common.Errors;
import dev.shipdeck.app.common.Rows;
import dev.shipdeck.app.common.Latest;
import dev.shipdeck.app.common.PageViewModel;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;

import java.util.List;

/** The environment page: its connection, labels, releases, components and the commands run in it. */
public final class EnvironmentPageViewModel extends PageViewModel {
    /** Where the environment points (from the kubeconfig, never a secret). */
    public record Details(String context, String server, String user, String namespaces) {}

    private final String environment;
    private final Latest historyLoad;
    private final CommandService commands;
    private final Details details;
    private final ReadOnlyObjectWrapper<EnvironmentSnapshot> env = new ReadOnlyObjectWrapper<>(this, "environment");
    private final Rows<Release> releases = new Rows<>();
    private final Rows<Component> components = new Rows<>();
    private final Rows<CommandRecord> history = new Rows<>();
    private final ReadOnlyStringWrapper historyState = new ReadOnlyStringWrapper(this, "historyState", "No command has been run in this environment from here yet.");

    public EnvironmentPageViewModel(String environment, ReadOnlyObjectProperty<Snapshot> snapshot, Tasks tasks, CommandService commands,
                                    Details details) {
        super(snapshot);
        this.environment = environment;
        this.historyLoad = slot(tasks);
        this.commands = commands;
        this.details = details;
    }

    @Override
    protected void onActivate() {
        loadHistory();
    }

    @Override
    protected void refresh() {
        EnvironmentSnapshot e = snapshot.get().environment(environment);
        env.set(e);
        releases.setAll(e == null ? List.of() : e.releases());
        components.setAll(e == null ? List.of() : e.components());
    }

    public void loadHistory() {
        historyLoad.run(() -> commands.history(environment, null), list -> {
            history.setAll(list);
            historyState.set(list.isEmpty() ? "No command has been run in this environment from here yet." : "");
        }, e -> historyState.set("Cannot read the command history: " + Errors.oneLine(e)));
    }

    public String environment() { return environment; }

    public Details details() { return details; }

    public ReadOnlyObjectProperty<EnvironmentSnapshot> environmentProperty() { return env.getReadOnlyProperty(); }

    public ObservableList<Release> releases() { return releases.view(); }

    public ObservableList<Component> components() { return components.view(); }

    public ObservableList<CommandRecord> history() { return history.view(); }

    public ReadOnlyStringProperty historyStateProperty() { return historyState.getReadOnlyProperty(); }
}

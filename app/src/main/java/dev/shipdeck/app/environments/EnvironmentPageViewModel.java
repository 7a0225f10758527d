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
    private final PromotionEditor promotion;
    private final ReadOnlyStringWrapper lanes = new ReadOnlyStringWrapper(this, "lanes", "");
    private final javafx.beans.property.ReadOnlyBooleanWrapper canMoveEarlier = new javafx.beans.property.ReadOnlyBooleanWrapper(this, "canMoveEarlier");
    private final javafx.beans.property.ReadOnlyBooleanWrapper canMoveLater = new javafx.beans.property.ReadOnlyBooleanWrapper(this, "canMoveLater");
    private final ReadOnlyStringWrapper promotionNote = new ReadOnlyStringWrapper(this, "promotionNote", "");

    public EnvironmentPageViewModel(String environment, ReadOnlyObjectProperty<Snapshot> snapshot, Tasks tasks, CommandService commands,
                                    Details details) {
        this(environment, snapshot, tasks, commands, details, PromotionEditor.NONE);
    }

    /** @param promotion the session's promotion order, which this page shows and moves the environment in */
    public EnvironmentPageViewModel(String environment, ReadOnlyObjectProperty<Snapshot> snapshot, Tasks tasks, CommandService commands,
                                    Details details, PromotionEditor promotion) {
        super(snapshot);
        this.environment = environment;
        this.historyLoad = slot(tasks);
        this.commands = commands;
        this.details = details;
        this.promotion = promotion;
        watch(promotion.orderProperty());
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
        drawPromotion();
    }

    /** The lanes this environment is in, and whether it can move within them. */
    private void drawPromotion() {
        dev.shipdeck.core.matrix.PromotionOrder order = promotion.orderProperty().get();
        if (order == null) {
            lanes.set("");
            canMoveEarlier.set(false);
            canMoveLater.set(false);
            return;
        }
        List<List<String>> mine = order.laneLists().stream().filter(l -> l.contains(environment)).toList();
        lanes.set(String.join("   ·   ", mine.stream().map(l -> String.join(" → ", l)).toList()));
        canMoveEarlier.set(mine.stream().anyMatch(l -> l.indexOf(environment) > 0));
        canMoveLater.set(mine.stream().anyMatch(l -> l.indexOf(environment) < l.size() - 1));
        if (promotionNote.get().isEmpty() || !promotionNote.get().startsWith("cannot")) {
            promotionNote.set(promotion.savedWhere() + " (" + switch (order.source()) {
                case FILE -> "from its promotion: list";
                case STAGES -> "from the environments' stages";
                case KUBECONFIG -> "in kubeconfig order";
            } + ")");
        }
    }

    /** Moves this environment one place earlier in its promotion lanes (the Matrix tab's columns follow). */
    public void moveEarlier() {
        promotion.move(environment, -1, why -> promotionNote.set("cannot change the order: " + why));
    }

    public void moveLater() {
        promotion.move(environment, +1, why -> promotionNote.set("cannot change the order: " + why));
    }

    /** e.g. {@code dev → staging → prod-eu}; empty without an order. */
    public ReadOnlyStringProperty lanesProperty() { return lanes.getReadOnlyProperty(); }

    public javafx.beans.property.ReadOnlyBooleanProperty canMoveEarlierProperty() { return canMoveEarlier.getReadOnlyProperty(); }

    public javafx.beans.property.ReadOnlyBooleanProperty canMoveLaterProperty() { return canMoveLater.getReadOnlyProperty(); }

    /** Where the order comes from and where a change is kept, or why a change failed. */
    public ReadOnlyStringProperty promotionNoteProperty() { return promotionNote.getReadOnlyProperty(); }

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

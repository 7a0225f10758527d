package dev.shipdeck.app.commands;

import dev.shipdeck.app.common.Errors;
import dev.shipdeck.app.common.Latest;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.core.commands.Availability;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Workload;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether each action may be offered on a workload, and why not: core's availability (kind, annotation, rollout
 * state and an RBAC SelfSubjectAccessReview), fetched in the background. Asks again only when something that
 * matters for the answer changes; keeps the previous answer meanwhile so buttons do not flicker.
 */
public final class ActionsViewModel {
    public static final Availability CHECKING = Availability.no("checking permissions…");

    private final Latest check;
    private final CommandService service;
    private final List<Action> actions;
    private final ObservableMap<Action, Availability> availability = FXCollections.observableMap(new EnumMap<>(Action.class));
    private final ObservableMap<Action, Availability> readOnly = FXCollections.unmodifiableObservableMap(availability);
    private String askedFor;

    public ActionsViewModel(Tasks tasks, CommandService service, List<Action> actions) {
        this.check = new Latest(tasks);
        this.service = service;
        this.actions = List.copyOf(actions);
        for (Action a : actions) availability.put(a, CHECKING);
    }

    /** Call with every new state of the workload; cheap when nothing relevant changed. */
    public void update(Component c, Workload w) {
        if (c == null || w == null) {
            unavailable(c == null ? "the component is gone from the cluster"
                    : !c.hasWorkload() ? Component.NO_WORKLOAD : "the workload is gone from the cluster");
            return;
        }
        String key = key(c, w);
        if (key.equals(askedFor)) return;
        askedFor = key;
        check.run(() -> {
            Map<Action, Availability> out = new EnumMap<>(Action.class);
            for (Action a : actions) {
                try {
                    out.put(a, service.availability(c, w, a));
                } catch (RuntimeException e) {
                    out.put(a, Availability.no("cannot check: " + Errors.oneLine(e)));
                }
            }
            return out;
        }, availability::putAll, e -> {
            for (Action a : actions) availability.put(a, Availability.no("cannot check: " + Errors.oneLine(e)));
        });
    }

    /** Every action off, for {@code reason} (e.g. {@link Component#NO_WORKLOAD}); the next update asks again. */
    public void unavailable(String reason) {
        askedFor = null;
        check.cancel();
        for (Action a : actions) availability.put(a, Availability.no(reason));
    }

    /** Drops a check still in flight (the page was left); the next update asks again. */
    public void cancel() {
        if (!check.busy()) return;
        askedFor = null;
        check.cancel();
    }

    /** Forgets the last answer so the next update asks again (after a command ran). */
    public void invalidate() { askedFor = null; }

    /** What decides the answers: the workload's identity, state, annotations and version count. */
    static String key(Component c, Workload w) {
        return c.environment() + "|" + w.namespace() + "|" + w.name() + "|" + w.verdict() + "|" + w.annotations().hashCode() + "|"
                + w.versions().size() + "|" + (w.rollout() == null ? "" : w.rollout().aborted() + "|" + w.rollout().stableHash() + "|"
                + w.rollout().currentHash() + "|" + w.rollout().currentStepIndex() + "|" + w.rollout().pauseReason()) + "|"
                + Objects.hash(w.templateHash(), w.revision());
    }

    public ObservableMap<Action, Availability> availability() { return readOnly; }

    public Availability get(Action a) { return availability.getOrDefault(a, CHECKING); }
}

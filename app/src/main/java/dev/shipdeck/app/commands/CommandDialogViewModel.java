package dev.shipdeck.app.commands;

import dev.shipdeck.app.common.Errors;
import dev.shipdeck.app.common.Latest;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.core.commands.Autoscaler;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.CommandResult;
import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.commands.PlannedRequest;
import dev.shipdeck.core.model.Action;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The confirmation of one command: what will change, the exact requests (a dry run through core, fetched in the
 * background and again when the replica count changes), the typed word for destructive actions and the person's
 * reason. A scale of an autoscaled workload is refused by core with the HorizontalPodAutoscaler named; the dialog then
 * offers the two ways on: change the autoscaler's range instead, or scale anyway.
 */
public final class CommandDialogViewModel {
    public enum PlanState { LOADING, READY, REFUSED, ERROR }

    private final Latest plan;
    private final CommandService service;
    private final CommandProposal proposal;
    private final StringProperty typed = new SimpleStringProperty(this, "typed", "");
    /** A ship's request as prepared for the plan shown (what it ships, read from the source), null until then. */
    private CommandRequest prepared;
    private final IntegerProperty replicas = new SimpleIntegerProperty(this, "replicas");
    private final ReadOnlyObjectWrapper<PlanState> planState = new ReadOnlyObjectWrapper<>(this, "planState", PlanState.LOADING);
    private final ReadOnlyStringWrapper planText = new ReadOnlyStringWrapper(this, "planText", "Computing the exact requests…");
    private final ReadOnlyStringWrapper planSummary = new ReadOnlyStringWrapper(this, "planSummary", "");
    private final ReadOnlyStringWrapper warnings = new ReadOnlyStringWrapper(this, "warnings", "");
    private final StringProperty reason = new SimpleStringProperty(this, "reason", "");
    private final BooleanProperty scaleAnyway = new SimpleBooleanProperty(this, "scaleAnyway");
    private final BooleanProperty changeRange = new SimpleBooleanProperty(this, "changeRange");
    private final IntegerProperty hpaMin = new SimpleIntegerProperty(this, "hpaMin", 1);
    private final IntegerProperty hpaMax = new SimpleIntegerProperty(this, "hpaMax", 1);
    private final ReadOnlyObjectWrapper<Autoscaler> autoscaler = new ReadOnlyObjectWrapper<>(this, "autoscaler");
    private final BooleanBinding canConfirm;

    public CommandDialogViewModel(Tasks tasks, CommandService service, CommandProposal proposal) {
        this.plan = new Latest(tasks);
        this.service = service;
        this.proposal = proposal;
        this.replicas.set(proposal.currentReplicas());
        String word = proposal.confirmWord();
        // only once the dry run and the permission check said what will be sent, and that it may be sent
        canConfirm = Bindings.createBooleanBinding(() -> (word == null || word.equals(typed.get().trim()))
                && planState.get() == PlanState.READY && reason.get().strip().length() <= CommandRequest.MAX_REASON
                && (proposal.action() != Action.SCALE || (changeRange.get() ? hpaMin.get() >= 1 && hpaMin.get() <= hpaMax.get() : replicas.get() >= 0)),
                typed, planState, replicas, reason, changeRange, hpaMin, hpaMax);
        if (proposal.action() == Action.SCALE) {
            replicas.addListener((o, a, b) -> {
                if (!changeRange.get()) planSoon();
            });
            // the two ways past an autoscaler exclude each other
            scaleAnyway.addListener((o, a, b) -> {
                if (b) changeRange.set(false);
                planSoon();
            });
            changeRange.addListener((o, a, b) -> {
                if (b) scaleAnyway.set(false);
                planSoon();
            });
            hpaMin.addListener((o, a, b) -> {
                if (changeRange.get()) planSoon();
            });
            hpaMax.addListener((o, a, b) -> {
                if (changeRange.get()) planSoon();
            });
        }
    }

    /** The request as confirmed now (with the chosen replica count or autoscaler range, and the reason typed). */
    public CommandRequest request() {
        return proposal.request(args()).withReason(reason.get());
    }

    /**
     * The arguments as confirmed: the replica count (or the autoscaler's range, or scale anyway) chosen for a scale; for a
     * ship what the plan shown ships (the source's version and images).
     */
    public Map<String, String> args() {
        if (proposal.action() == Action.SHIP) return prepared != null ? prepared.args() : proposal.args();
        if (proposal.action() != Action.SCALE) return proposal.args();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (changeRange.get()) {
            out.put("hpaMin", Integer.toString(hpaMin.get()));
            out.put("hpaMax", Integer.toString(hpaMax.get()));
        } else {
            out.put("replicas", Integer.toString(replicas.get()));
            if (scaleAnyway.get()) out.put("force", "true");
        }
        return Map.copyOf(out);
    }

    /**
     * A new replica count: the plan shown is out of date at once (Confirm waits), and a new one is asked for once the
     * count has stayed the same for a moment, not on every spinner tick (each plan reads the cluster).
     */
    private void planSoon() {
        planState.set(PlanState.LOADING);
        planText.set("Computing the exact requests…");
        plan.later(PLAN_DELAY, this::loadPlan);
    }

    static final java.time.Duration PLAN_DELAY = java.time.Duration.ofMillis(350);

    /** Asks core for a dry run (reads the cluster, sends nothing). */
    public void loadPlan() {
        planState.set(PlanState.LOADING);
        planText.set("Computing the exact requests…");
        CommandRequest r = request();
        if (proposal.action() == Action.SHIP) {
            // what is shipped is read from the source now; the plan shown and the confirmed run both carry it
            plan.run(() -> {
                CommandRequest ready = service.prepare(r);
                return java.util.Map.entry(ready, service.plan(ready));
            }, p -> {
                prepared = p.getKey();
                showPlan(p.getValue());
            }, this::showFailure);
            return;
        }
        plan.run(() -> service.plan(r), this::showPlan, this::showFailure);
    }

    private void showFailure(Throwable e) {
        planState.set(PlanState.ERROR);
        planSummary.set("Could not compute the requests: " + Errors.oneLine(e) + " (close and try again)");
        planText.set(planSummary.get());
    }

    /** Drops a plan still being computed or waited for (the dialog was closed). */
    public void cancel() {
        plan.cancel();
    }

    private void showPlan(CommandResult result) {
        boolean refused = result.outcome() == Outcome.REFUSED || result.outcome() == Outcome.FAILED || result.outcome() == Outcome.CONFLICT;
        Autoscaler hpa = result.autoscaler();
        if (hpa != null && autoscaler.get() == null) {
            // the range fields start at the autoscaler's own range
            hpaMin.set(hpa.minReplicas());
            hpaMax.set(hpa.maxReplicas());
        }
        if (hpa != null) autoscaler.set(hpa);
        planState.set(refused ? PlanState.REFUSED : PlanState.READY);
        boolean byAutoscaler = refused && hpa != null && !changeRange.get() && !scaleAnyway.get();
        planSummary.set(byAutoscaler
                ? "Cannot run: scaled by " + hpa.describe() + ", which would change the count back. Change its range below, or scale anyway."
                : switch (result.outcome()) {
                    case PLANNED, SUCCEEDED -> "Will " + result.message() + ".";
                    case SKIPPED -> "Nothing to change: " + result.message() + ".";
                    default -> "Cannot run: " + result.message();
                });
        warnings.set(String.join("\n", result.warnings()));
        planText.set(result.requests().isEmpty() ? "No request: " + result.message()
                : result.requests().stream().map(p -> p.httpText(PlannedRequest.Layout.DIALOG)).collect(Collectors.joining("\n\n")));
    }

    public CommandProposal proposal() { return proposal; }

    public String title() {
        if (proposal.action() == Action.SHIP) {
            return "Ship " + proposal.component() + " from " + proposal.args().getOrDefault("from", "?") + " to " + proposal.environment() + "?";
        }
        return CommandProposal.verbNoun(proposal.action()) + " " + proposal.component() + " in " + proposal.environment() + "?";
    }

    /** The word to type, or null when a plain confirmation suffices. */
    public String confirmWord() { return proposal.confirmWord(); }

    public StringProperty typedProperty() { return typed; }

    public IntegerProperty replicasProperty() { return replicas; }

    /** Why the person runs it (optional): stored in the audit record and the Event on the workload. */
    public StringProperty reasonProperty() { return reason; }

    /** A scale past the autoscaler: "Scale anyway". */
    public BooleanProperty scaleAnywayProperty() { return scaleAnyway; }

    /** Instead of scaling: change the autoscaler's range to {@link #hpaMinProperty()}–{@link #hpaMaxProperty()}. */
    public BooleanProperty changeRangeProperty() { return changeRange; }

    public IntegerProperty hpaMinProperty() { return hpaMin; }

    public IntegerProperty hpaMaxProperty() { return hpaMax; }

    /** The HorizontalPodAutoscaler that manages the workload, once a dry run found one (null otherwise). */
    public ReadOnlyObjectProperty<Autoscaler> autoscalerProperty() { return autoscaler.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<PlanState> planStateProperty() { return planState.getReadOnlyProperty(); }

    public ReadOnlyStringProperty planTextProperty() { return planText.getReadOnlyProperty(); }

    public ReadOnlyStringProperty planSummaryProperty() { return planSummary.getReadOnlyProperty(); }

    public ReadOnlyStringProperty warningsProperty() { return warnings.getReadOnlyProperty(); }

    public BooleanBinding canConfirmBinding() { return canConfirm; }

    public boolean canConfirm() { return canConfirm.get(); }
}

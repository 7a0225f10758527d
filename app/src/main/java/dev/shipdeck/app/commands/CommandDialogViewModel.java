package dev.shipdeck.app.commands;

import dev.shipdeck.app.common.Errors;
import dev.shipdeck.app.common.Latest;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.CommandResult;
import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.commands.PlannedRequest;
import dev.shipdeck.core.model.Action;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The confirmation of one command: what will change, the exact requests (a dry run through core, fetched in the
 * background and again when the replica count changes), and the typed word for destructive actions.
 */
public final class CommandDialogViewModel {
    public enum PlanState { LOADING, READY, REFUSED, ERROR }

    private final Latest plan;
    private final CommandService service;
    private final CommandProposal proposal;
    private final StringProperty typed = new SimpleStringProperty(this, "typed", "");
    private final IntegerProperty replicas = new SimpleIntegerProperty(this, "replicas");
    private final ReadOnlyObjectWrapper<PlanState> planState = new ReadOnlyObjectWrapper<>(this, "planState", PlanState.LOADING);
    private final ReadOnlyStringWrapper planText = new ReadOnlyStringWrapper(this, "planText", "Computing the exact requests…");
    private final ReadOnlyStringWrapper planSummary = new ReadOnlyStringWrapper(this, "planSummary", "");
    private final ReadOnlyStringWrapper warnings = new ReadOnlyStringWrapper(this, "warnings", "");
    private final BooleanBinding canConfirm;

    public CommandDialogViewModel(Tasks tasks, CommandService service, CommandProposal proposal) {
        this.plan = new Latest(tasks);
        this.service = service;
        this.proposal = proposal;
        this.replicas.set(proposal.currentReplicas());
        String word = proposal.action().confirmWord();
        // only once the dry run and the permission check said what will be sent, and that it may be sent
        canConfirm = Bindings.createBooleanBinding(() -> (word == null || word.equals(typed.get().trim()))
                && planState.get() == PlanState.READY && (proposal.action() != Action.SCALE || replicas.get() >= 0), typed, planState, replicas);
        if (proposal.action() == Action.SCALE) replicas.addListener((o, a, b) -> planSoon());
    }

    /** The request as confirmed now (with the chosen replica count). */
    public CommandRequest request() {
        return proposal.request(args());
    }

    public Map<String, String> args() {
        return proposal.action() == Action.SCALE ? Map.of("replicas", Integer.toString(replicas.get())) : proposal.args();
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
        plan.run(() -> service.plan(r), this::showPlan, e -> {
            planState.set(PlanState.ERROR);
            planSummary.set("Could not compute the requests: " + Errors.oneLine(e) + " (close and try again)");
            planText.set(planSummary.get());
        });
    }

    /** Drops a plan still being computed or waited for (the dialog was closed). */
    public void cancel() {
        plan.cancel();
    }

    private void showPlan(CommandResult result) {
        boolean refused = result.outcome() == Outcome.REFUSED || result.outcome() == Outcome.FAILED || result.outcome() == Outcome.CONFLICT;
        planState.set(refused ? PlanState.REFUSED : PlanState.READY);
        planSummary.set(switch (result.outcome()) {
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
        return CommandProposal.verbNoun(proposal.action()) + " " + proposal.component() + " in " + proposal.environment() + "?";
    }

    /** The word to type, or null when a plain confirmation suffices. */
    public String confirmWord() { return proposal.action().confirmWord(); }

    public StringProperty typedProperty() { return typed; }

    public IntegerProperty replicasProperty() { return replicas; }

    public ReadOnlyObjectProperty<PlanState> planStateProperty() { return planState.getReadOnlyProperty(); }

    public ReadOnlyStringProperty planTextProperty() { return planText.getReadOnlyProperty(); }

    public ReadOnlyStringProperty planSummaryProperty() { return planSummary.getReadOnlyProperty(); }

    public ReadOnlyStringProperty warningsProperty() { return warnings.getReadOnlyProperty(); }

    public BooleanBinding canConfirmBinding() { return canConfirm; }

    public boolean canConfirm() { return canConfirm.get(); }
}

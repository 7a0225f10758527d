package dev.shipdeck.app.commands;

import dev.shipdeck.core.commands.Availability;
import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.CommandResult;
import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.commands.PlannedRequest;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Workload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A command service that records what it is asked and answers from a script. */
public final class FakeCommandService implements CommandService {
    public final List<CommandRequest> planned = new ArrayList<>();
    public final List<CommandRequest> ran = new ArrayList<>();
    public final Map<Action, Availability> answers = new EnumMap<>(Action.class);
    public final List<CommandRecord> records = new ArrayList<>();
    public Outcome planOutcome = Outcome.PLANNED;
    public Outcome runOutcome = Outcome.SUCCEEDED;
    public int availabilityCalls;
    public RuntimeException planFailure;

    @Override
    public Availability availability(Component c, Workload w, Action a) {
        availabilityCalls++;
        return answers.getOrDefault(a, Availability.YES);
    }

    @Override
    public CommandResult plan(CommandRequest r) {
        planned.add(r);
        if (planFailure != null) throw planFailure;
        String body = r.action() == Action.SCALE ? "{\"spec\":{\"replicas\":" + r.arg("replicas") + "}}" : "{\"op\":\"replace\"}";
        return new CommandResult(planOutcome, planOutcome == Outcome.REFUSED ? "RBAC: viewer may not patch deployments" : "do " + r.action(),
                List.of(new PlannedRequest("PATCH", "/apis/apps/v1/namespaces/ns/deployments/" + r.component(), "application/merge-patch+json", body)),
                List.of(), null);
    }

    @Override
    public CommandResult run(CommandRequest r) {
        ran.add(r);
        CommandRecord rec = new CommandRecord("id-" + ran.size(), r.action(), r.environment(), r.component(), r.namespace(), r.workload(),
                r.args(), "admin", Instant.now(), runOutcome, "ran " + r.action());
        records.add(0, rec);
        return new CommandResult(runOutcome, runOutcome == Outcome.SUCCEEDED ? "ran " + r.action() : "the API server refused: boom", List.of(),
                List.of(), rec);
    }

    @Override
    public List<CommandRecord> history(String environment, String component) {
        return records.stream().filter(r -> (environment == null || r.environment().equals(environment))
                && (component == null || r.component().equals(component))).toList();
    }
}

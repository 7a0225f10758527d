package dev.shipdeck.core.commands;

import java.util.List;

/**
 * @param requests the requests sent (or planned, in a dry run)
 * @param warnings things the person should know (e.g. an HPA will change the replica count back)
 * @param record the audit entry (null for dry runs)
 * @param basis the workload as the command read it (null when it found none); a plan's basis is what
 *              {@link Commands#run(CommandRequest, CommandResult)} checks the workload against before sending
 * @param autoscaler for a scale, the HorizontalPodAutoscaler that manages the workload (null when none does): what a
 *                   front end offers instead of a refused scale (change its range, or scale anyway)
 */
public record CommandResult(Outcome outcome, String message, List<PlannedRequest> requests, List<String> warnings,
                            CommandRecord record, WorkloadState basis, Autoscaler autoscaler) {
    public CommandResult {
        requests = List.copyOf(requests);
        warnings = List.copyOf(warnings);
    }

    public CommandResult(Outcome outcome, String message, List<PlannedRequest> requests, List<String> warnings, CommandRecord record,
                         WorkloadState basis) {
        this(outcome, message, requests, warnings, record, basis, null);
    }

    public CommandResult(Outcome outcome, String message, List<PlannedRequest> requests, List<String> warnings, CommandRecord record) {
        this(outcome, message, requests, warnings, record, null, null);
    }

    CommandResult withAutoscaler(Autoscaler a) {
        return new CommandResult(outcome, message, requests, warnings, record, basis, a);
    }

    public boolean ok() {
        return outcome == Outcome.SUCCEEDED || outcome == Outcome.SKIPPED || outcome == Outcome.PLANNED;
    }
}

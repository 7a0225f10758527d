package dev.shipdeck.core.commands;

import java.util.List;

/**
 * @param requests the requests sent (or planned, in a dry run)
 * @param warnings things the person should know (e.g. an HPA will change the replica count back)
 * @param record the audit entry (null for dry runs)
 * @param basis the workload as the command read it (null when it found none); a plan's basis is what
 *              {@link Commands#run(CommandRequest, CommandResult)} checks the workload against before sending
 */
public record CommandResult(Outcome outcome, String message, List<PlannedRequest> requests, List<String> warnings,
                            CommandRecord record, WorkloadState basis) {
    public CommandResult {
        requests = List.copyOf(requests);
        warnings = List.copyOf(warnings);
    }

    public CommandResult(Outcome outcome, String message, List<PlannedRequest> requests, List<String> warnings, CommandRecord record) {
        this(outcome, message, requests, warnings, record, null);
    }

    public boolean ok() {
        return outcome == Outcome.SUCCEEDED || outcome == Outcome.SKIPPED || outcome == Outcome.PLANNED;
    }
}

package dev.shipdeck.core.records;

import dev.shipdeck.core.commands.Outcome;

/** Where a ReleaseCommand is: queued for the agent, running, or how it ended. */
public enum CommandPhase {
    /** waiting for the agent */
    QUEUED,
    /** the agent picked it up */
    RUNNING,
    SUCCEEDED,
    SKIPPED,
    REFUSED,
    FAILED,
    CONFLICT,
    /** nobody picked it up within the agent's window */
    EXPIRED;

    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }

    /** The phase a finished command's outcome is recorded as. */
    public static CommandPhase of(Outcome o) {
        return switch (o) {
            case SUCCEEDED, PLANNED -> SUCCEEDED;
            case SKIPPED -> SKIPPED;
            case REFUSED -> REFUSED;
            case FAILED -> FAILED;
            case CONFLICT -> CONFLICT;
        };
    }

    /** The command outcome of a finished phase, or null for QUEUED, RUNNING and EXPIRED (which have none). */
    public Outcome outcome() {
        return switch (this) {
            case SUCCEEDED -> Outcome.SUCCEEDED;
            case SKIPPED -> Outcome.SKIPPED;
            case REFUSED -> Outcome.REFUSED;
            case FAILED -> Outcome.FAILED;
            case CONFLICT -> Outcome.CONFLICT;
            default -> null;
        };
    }
}

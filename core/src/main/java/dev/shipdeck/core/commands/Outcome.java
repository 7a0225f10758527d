package dev.shipdeck.core.commands;

/** How a command ended. */
public enum Outcome {
    /** the cluster accepted every request */
    SUCCEEDED,
    /** nothing to do (e.g. the template already matches the version to restore) */
    SKIPPED,
    /** a guard or a permission check said no; nothing was written */
    REFUSED,
    /** the API refused or failed */
    FAILED,
    /** someone else changed the workload in between; reload and try again */
    CONFLICT,
    /** dry run: the requests were computed, nothing was sent */
    PLANNED
}

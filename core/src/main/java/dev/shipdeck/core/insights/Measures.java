package dev.shipdeck.core.insights;

import java.time.Duration;

/**
 * The four delivery measures of the releases of one period (docs/INSIGHTS.md has the definitions).
 *
 * @param releases every release of the period that started (any status but PENDING)
 * @param inProgress the releases still RUNNING: neither a success nor a failure yet
 * @param deployments the successful releases (SUCCESS, LOGGED), restores included
 * @param deploymentsPerDay {@code deployments} over the period's length in days
 * @param leadTime the median time from commit to successful release, over the changes whose commit time is known;
 *                 null when none is known
 * @param leadTimesKnown how many successful changes have a known commit time (the rest: "unknown", never guessed)
 * @param changes the finished releases that are changes (not restores): SUCCESS, LOGGED, FAILED, CANCELLED
 * @param failedChanges the changes that ended FAILED or CANCELLED, or were restored within the restore window
 * @param changeFailureRate {@code failedChanges / changes}; null when there is no change
 * @param timeToRestore the median time from a failed change to the next success of that component in that
 *                      environment, over the failed changes that have been restored; null when none has
 * @param restored how many of the failed changes have been restored
 */
public record Measures(int releases, int inProgress, int deployments, double deploymentsPerDay, Duration leadTime,
                       int leadTimesKnown, int changes, int failedChanges, Double changeFailureRate, Duration timeToRestore,
                       int restored) {

    /** The failed changes not restored (yet). */
    public int unrestored() {
        return failedChanges - restored;
    }
}

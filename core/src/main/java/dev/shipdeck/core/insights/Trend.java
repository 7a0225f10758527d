package dev.shipdeck.core.insights;

import java.time.Duration;

/**
 * How a period's measures moved against the period before: deployment frequency, lead time and time to restore as
 * relative changes ({@code 0.25} = 25 % more), the change failure rate in percentage points ({@code -5.0} = 5 points
 * fewer); null where either period has no value (or the one before is zero) — no trend then, not "0 %".
 */
public record Trend(Double deploymentsPerDay, Double leadTime, Double changeFailureRatePoints, Double timeToRestore) {

    public static Trend of(Measures now, Measures before) {
        return new Trend(relative(now.deployments() == 0 && before.deployments() == 0 ? null : now.deploymentsPerDay(),
                        before.deploymentsPerDay()),
                relative(seconds(now.leadTime()), seconds(before.leadTime())),
                now.changeFailureRate() == null || before.changeFailureRate() == null ? null
                        : (now.changeFailureRate() - before.changeFailureRate()) * 100,
                relative(seconds(now.timeToRestore()), seconds(before.timeToRestore())));
    }

    private static Double seconds(Duration d) {
        return d == null ? null : (double) d.toSeconds();
    }

    private static Double relative(Double now, Double before) {
        if (now == null || before == null || before == 0) return null;
        return (now - before) / before;
    }
}

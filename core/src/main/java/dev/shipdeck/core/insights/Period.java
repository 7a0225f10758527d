package dev.shipdeck.core.insights;

import java.time.Duration;
import java.time.Instant;

/**
 * The time range the measures are computed for: {@code [from, to)}. A release belongs to the period in which it
 * started (a marker without a start time: in which it ended).
 */
public record Period(Instant from, Instant to) {
    public Period {
        if (!to.isAfter(from)) throw new IllegalArgumentException("a period ends after it starts: " + from + " .. " + to);
    }

    /** The {@code length} up to {@code now}, e.g. the last 30 days. */
    public static Period last(Duration length, Instant now) {
        return new Period(now.minus(length), now);
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** The period of the same length just before this one (what a trend compares with). */
    public Period previous() {
        return new Period(from.minus(length()), from);
    }

    public boolean contains(Instant t) {
        return t != null && !t.isBefore(from) && t.isBefore(to);
    }

    /** The length in days, fractional (what deployments per day divide by). */
    public double days() {
        return length().toMillis() / 86_400_000.0;
    }
}

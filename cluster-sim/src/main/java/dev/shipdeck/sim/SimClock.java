package dev.shipdeck.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Simulated time: runs {@code speed} times faster than the wall clock and can be advanced by tests.
 * Every timestamp the simulated cluster writes and every delay its controllers wait comes from here.
 */
public final class SimClock {
    private final long wallBase = System.nanoTime();
    private final Instant simBase;
    private volatile double speed;
    private volatile long offsetNanos;
    private long speedChangeWall = wallBase;
    private long simAtSpeedChange = 0;

    public SimClock(double speed) {
        this(speed, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** A clock that starts at {@code start} (in the past, to seed history) and runs at {@code speed}. */
    public SimClock(double speed, Instant start) {
        this.simBase = start;
        if (speed <= 0) {
            throw new IllegalArgumentException("speed must be > 0");
        }
        this.speed = speed;
    }

    public synchronized Instant now() {
        long simNanos = simAtSpeedChange + (long) ((System.nanoTime() - speedChangeWall) * speed) + offsetNanos;
        return simBase.plusNanos(simNanos);
    }

    /** Moves simulated time forward at once (controllers see the jump on their next tick). */
    public synchronized void advance(Duration d) {
        offsetNanos += d.toNanos();
    }

    /** Moves simulated time forward to {@code t} (never backward). */
    public synchronized void advanceTo(Instant t) {
        Instant now = now();
        if (t.isAfter(now)) {
            advance(Duration.between(now, t));
        }
    }

    public double speed() { return speed; }

    public synchronized void setSpeed(double newSpeed) {
        if (newSpeed <= 0) {
            throw new IllegalArgumentException("speed must be > 0");
        }
        long wall = System.nanoTime();
        simAtSpeedChange += (long) ((wall - speedChangeWall) * speed);
        speedChangeWall = wall;
        speed = newSpeed;
    }

    /** RFC 3339 at second precision, as Kubernetes writes metadata times. */
    public String timestamp() {
        return format(now());
    }

    public static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    public static Instant parse(String s) {
        return s == null || s.isEmpty() ? null : Instant.parse(s);
    }
}

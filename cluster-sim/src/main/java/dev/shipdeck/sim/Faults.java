package dev.shipdeck.sim;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Failures a test can inject into one simulated cluster's API server. */
public final class Faults {
    /** A request as the fault rules see it. */
    public record Call(String method, String path, boolean watch) {}

    private record Failure(Predicate<Call> when, int status, String message, AtomicInteger remaining) {}

    private final CopyOnWriteArrayList<Failure> failures = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> watchDroppers = new CopyOnWriteArrayList<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean unreachable;
    private final Store store;
    private final Authz authz;

    Faults(Store store, Authz authz) {
        this.store = store;
        this.authz = authz;
    }

    /** Every request waits this long before it is served. */
    public Faults latency(Duration d) {
        latency = d;
        return this;
    }

    Duration latency() { return latency; }

    /** The next {@code count} requests matching {@code when} fail with {@code status} (429 carries Retry-After: 1). */
    public Faults fail(Predicate<Call> when, int status, int count) {
        failures.add(new Failure(when, status, "injected failure", new AtomicInteger(count)));
        return this;
    }

    public Faults failNext(int status, int count) {
        return fail(c -> true, status, count);
    }

    /** Watches only: the next {@code count} watch requests fail with {@code status}. */
    public Faults failWatches(int status, int count) {
        return fail(Call::watch, status, count);
    }

    /** Closes every open watch stream at once, as a load balancer or a restarted API server would. */
    public Faults dropWatches() {
        for (Runnable r : watchDroppers) r.run();
        return this;
    }

    /** Forgets the watch history: a client resuming from an older resourceVersion gets 410 Gone. */
    public Faults expireWatchHistory() {
        store.compact();
        return this;
    }

    /**
     * The server stops answering: requests are accepted and their connections closed without a response, until
     * {@link #reachable()}.
     */
    public Faults unreachable() {
        unreachable = true;
        dropWatches();
        return this;
    }

    public Faults reachable() {
        unreachable = false;
        return this;
    }

    boolean isUnreachable() { return unreachable; }

    /** The token gets 401 from now on, like an expired credential. */
    public Faults expireToken(String token) {
        authz.revoke(token);
        return this;
    }

    public Faults renewToken(String token) {
        authz.restore(token);
        return this;
    }

    /** Removes all injected failures and latency. */
    public Faults clear() {
        failures.clear();
        latency = Duration.ZERO;
        unreachable = false;
        return this;
    }

    /** The status to fail this call with, or 0. */
    int failureFor(Call c) {
        for (Failure f : failures) {
            if (f.when().test(c) && f.remaining().getAndDecrement() > 0) {
                return f.status();
            }
        }
        failures.removeIf(f -> f.remaining().get() <= 0);
        return 0;
    }

    Runnable onWatch(Runnable dropper) {
        watchDroppers.add(dropper);
        return () -> watchDroppers.remove(dropper);
    }
}

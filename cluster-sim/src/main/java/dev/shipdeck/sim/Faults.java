package dev.shipdeck.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Failures a test can inject into one simulated cluster's API server: from Java, from the command line of
 * {@link Main} ({@code --fault}, {@code --latency}, ...) and over HTTP ({@code /_sim/faults}, see {@link FaultSpec}).
 * Faults act before authentication, like a network or a load balancer would; the control endpoint itself is exempt.
 */
public final class Faults {
    /** A request as the fault rules see it. */
    public record Call(String method, String path, boolean watch) {}

    /** How the server is unreachable. */
    public enum Unreachable {
        /** It answers. */
        NONE,
        /** Connections are accepted and closed without an answer. */
        DROP,
        /** Connections are accepted and requests read, but never answered ("a black hole"). */
        HANG,
        /** Nothing listens on the port: connections are refused. */
        REFUSE
    }

    /**
     * A rule: requests whose path contains {@code path} (null: any), with {@code method} (null: any) and, when
     * {@code watch} is not null, that are (or are not) watches, wait {@code latency} (null: none) and then fail with
     * {@code status} (0: they are served), for the next {@code count} matching requests (0: until cleared).
     * {@code retryAfterSeconds} sets Retry-After (429 has 1 by default); a watch failed with 410 gets the API
     * server's 410 Expired ERROR event instead of an HTTP error.
     */
    public record Rule(String path, String method, Boolean watch, int status, int count, Duration latency,
                       Integer retryAfterSeconds, String message) {
        public Rule {
            if (status != 0 && (status < 400 || status > 599)) {
                throw new IllegalArgumentException("status must be an HTTP error status (400-599), got " + status);
            }
            if (count < 0) throw new IllegalArgumentException("count must be 0 (until cleared) or more, got " + count);
            if (status == 0 && (latency == null || latency.isZero())) {
                throw new IllegalArgumentException("a rule needs a status or a latency");
            }
        }

        /** Fails the next {@code count} requests whose path contains {@code path} with {@code status}. */
        public static Rule failing(String path, int status, int count) {
            return new Rule(path, null, null, status, count, null, null, null);
        }

        boolean matches(Call c) {
            return (path == null || c.path().contains(path)) && (method == null || method.equalsIgnoreCase(c.method()))
                    && (watch == null || watch == c.watch());
        }
    }

    /** What the fault rules do to one request: wait, then fail with a status (0: serve it). */
    record Effect(Duration delay, int status, Integer retryAfterSeconds, String message) {}

    private record Active(Predicate<Call> when, Rule rule, int status, Duration latency, Integer retryAfter, String message,
                          AtomicInteger remaining) {
        /** Consumes one use; false when there is none left. */
        boolean take() {
            if (remaining == null) return true;
            return remaining.getAndDecrement() > 0;
        }

        boolean spent() {
            return remaining != null && remaining.get() <= 0;
        }
    }

    private final CopyOnWriteArrayList<Active> rules = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> watchDroppers = new CopyOnWriteArrayList<>();
    private final Set<String> expiredUsers = new java.util.concurrent.ConcurrentSkipListSet<>();
    private final AtomicInteger goneWatches = new AtomicInteger();
    private final Store store;
    private final Authz authz;
    private volatile Duration latency = Duration.ZERO;
    private volatile Unreachable unreachable = Unreachable.NONE;
    private volatile CountDownLatch released = new CountDownLatch(0);
    private volatile Consumer<Unreachable> listener = m -> { };
    private volatile Duration dropEvery;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> dropping;
    private ScheduledFuture<?> restoring;

    Faults(Store store, Authz authz) {
        this.store = store;
        this.authz = authz;
    }

    /** Every request waits this long before it is served. */
    public Faults latency(Duration d) {
        latency = d == null ? Duration.ZERO : d;
        return this;
    }

    Duration latency() { return latency; }

    /** The next {@code count} requests matching {@code when} fail with {@code status} (429 carries Retry-After: 1). */
    public Faults fail(Predicate<Call> when, int status, int count) {
        rules.add(new Active(when, null, status, null, null, null, new AtomicInteger(count)));
        return this;
    }

    public Faults failNext(int status, int count) {
        return fail(c -> true, status, count);
    }

    /** Watches only: the next {@code count} watch requests fail with {@code status}. */
    public Faults failWatches(int status, int count) {
        return fail(Call::watch, status, count);
    }

    /** Adds a rule (see {@link Rule}). */
    public Faults add(Rule rule) {
        rules.add(new Active(rule::matches, rule, rule.status(), rule.latency(), rule.retryAfterSeconds(), rule.message(),
                rule.count() == 0 ? null : new AtomicInteger(rule.count())));
        return this;
    }

    /** The rules added with {@link #add} that are still active (the Java predicates of {@link #fail} are not listed). */
    public List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        for (Active a : rules) {
            if (a.rule() != null && !a.spent()) {
                Rule r = a.rule();
                out.add(a.remaining() == null ? r : new Rule(r.path(), r.method(), r.watch(), r.status(),
                        Math.max(0, a.remaining().get()), r.latency(), r.retryAfterSeconds(), r.message()));
            }
        }
        return out;
    }

    /** Closes every open watch stream at once, as a load balancer or a restarted API server would. */
    public Faults dropWatches() {
        for (Runnable r : watchDroppers) r.run();
        return this;
    }

    /** Closes every open watch stream every {@code period} (null or zero: stops). */
    public synchronized Faults dropWatchesEvery(Duration period) {
        if (dropping != null) dropping.cancel(false);
        dropping = null;
        dropEvery = period == null || period.isZero() ? null : period;
        if (dropEvery != null) {
            long ms = Math.max(1, dropEvery.toMillis());
            dropping = timer().scheduleAtFixedRate(this::dropWatches, ms, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    Duration dropWatchesEvery() { return dropEvery; }

    /** Forgets the watch history: a client resuming from an older resourceVersion gets 410 Gone. */
    public Faults expireWatchHistory() {
        store.compact();
        return this;
    }

    /** The next {@code count} watches that resume from a resourceVersion get the 410 Expired ERROR event. */
    public Faults expireNextWatches(int count) {
        goneWatches.set(Math.max(0, count));
        return this;
    }

    int goneWatchesLeft() { return goneWatches.get(); }

    /** True (and one used up) when this watch from a resourceVersion must get 410 Expired. */
    boolean takeGoneWatch() {
        return goneWatches.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /**
     * The server stops answering: requests are accepted and their connections closed without a response, until
     * {@link #reachable()}.
     */
    public Faults unreachable() {
        return unreachable(Unreachable.DROP, null);
    }

    /** Connections are accepted and requests read but never answered, until {@link #reachable()}. */
    public Faults hang() {
        return unreachable(Unreachable.HANG, null);
    }

    /** Nothing listens on the server's port (connection refused) until {@link #reachable()}. */
    public Faults refuse() {
        return unreachable(Unreachable.REFUSE, null);
    }

    /** Unreachable in {@code mode}; with {@code duration} reachable again after it (null: until {@link #reachable()}). */
    public synchronized Faults unreachable(Unreachable mode, Duration duration) {
        if (restoring != null) restoring.cancel(false);
        restoring = null;
        if (mode == Unreachable.NONE) {
            return reachable();
        }
        if (mode == Unreachable.HANG && released.getCount() == 0) {
            released = new CountDownLatch(1);
        } else if (mode != Unreachable.HANG) {
            released.countDown();
        }
        unreachable = mode;
        dropWatches();
        listener.accept(mode);
        if (duration != null) {
            restoring = timer().schedule(this::reachable, Math.max(1, duration.toMillis()), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    public synchronized Faults reachable() {
        if (restoring != null) restoring.cancel(false);
        restoring = null;
        boolean was = unreachable != Unreachable.NONE;
        unreachable = Unreachable.NONE;
        released.countDown();
        if (was) listener.accept(Unreachable.NONE);
        return this;
    }

    boolean isUnreachable() { return unreachable != Unreachable.NONE; }

    public Unreachable unreachableMode() { return unreachable; }

    /** Blocks a request while the server hangs (or until the server closes). */
    void awaitReachable() throws InterruptedException {
        released.await();
    }

    /** The token gets 401 from now on, like an expired credential. */
    public Faults expireToken(String token) {
        authz.revoke(token);
        return this;
    }

    public Faults renewToken(String token) {
        authz.restore(token);
        return this;
    }

    /** Every token of the user {@code name} gets 401 from now on (an expired or revoked credential). */
    public Faults expireUser(String name) {
        List<String> tokens = authz.tokensOf(name);
        if (tokens.isEmpty()) throw new IllegalArgumentException("no simulated user named '" + name + "'");
        tokens.forEach(authz::revoke);
        expiredUsers.add(name);
        return this;
    }

    boolean hasUser(String name) {
        return !authz.tokensOf(name).isEmpty();
    }

    public Faults renewUser(String name) {
        authz.tokensOf(name).forEach(authz::restore);
        expiredUsers.remove(name);
        return this;
    }

    Set<String> expiredUsers() { return Set.copyOf(expiredUsers); }

    /** Removes all injected failures and latency, and makes the server reachable. */
    public Faults clear() {
        rules.clear();
        latency = Duration.ZERO;
        goneWatches.set(0);
        dropWatchesEvery(null);
        reachable();
        return this;
    }

    /** {@link #clear()}, and the users expired with {@link #expireUser} get their tokens back. */
    public Faults clearAll() {
        clear();
        for (String u : List.copyOf(expiredUsers)) renewUser(u);
        return this;
    }

    /** What the rules do to this call (one use of each matching rule is consumed). */
    Effect effectFor(Call c) {
        Duration delay = latency;
        for (Active a : rules) {
            if (!a.when().test(c)) continue;
            if (!a.take()) continue;
            if (a.latency() != null) delay = delay.plus(a.latency());
            if (a.status() != 0) {
                rules.removeIf(Active::spent);
                return new Effect(delay, a.status(), a.retryAfter(), a.message());
            }
        }
        rules.removeIf(Active::spent);
        return new Effect(delay, 0, null, null);
    }

    Runnable onWatch(Runnable dropper) {
        watchDroppers.add(dropper);
        return () -> watchDroppers.remove(dropper);
    }

    /** The server's reaction to reachability changes (REFUSE closes its port, NONE opens it again). */
    void onReachability(Consumer<Unreachable> l) {
        listener = l;
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sim-faults");
                t.setDaemon(true);
                return t;
            });
        }
        return timer;
    }

    /** Stops the timers and releases hanging requests (the server is closing). */
    synchronized void close() {
        if (timer != null) timer.shutdownNow();
        released.countDown();
    }
}

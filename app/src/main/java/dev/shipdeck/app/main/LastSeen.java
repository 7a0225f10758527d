package dev.shipdeck.app.main;

import dev.shipdeck.app.common.LastSeenCache;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Snapshot;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A session's last known state: what a previous run showed of each environment, painted until that environment
 * answers, and kept for the next run. Until an environment has been connected in this session, its snapshot is the
 * cached one with the live connection state (connecting…, unreachable, …) and {@link Snapshot#lastSeen} says so; from
 * its first connected snapshot on, it is live only. Live snapshots of connected environments are saved in the
 * background, at most every {@link #SAVE_EVERY}, and once more when the session closes.
 */
final class LastSeen implements AutoCloseable {
    static final Duration FIRST_SAVE = Duration.ofSeconds(2);
    static final Duration SAVE_EVERY = Duration.ofSeconds(15);

    private final LastSeenCache cache;
    private final Clock clock;
    private final List<Environment> environments;
    private final Map<String, String> keys;
    private final Map<String, LastSeenCache.Seen> seen = new HashMap<>();
    private final List<String> notices = new ArrayList<>();
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final Map<String, EnvironmentSnapshot> pending = new ConcurrentHashMap<>();
    private final Map<String, EnvironmentSnapshot> saved = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writer;
    private final Object writing = new Object();
    private boolean scheduled;
    private Instant lastSave = Instant.EPOCH;

    /**
     * Reads what was cached for each environment (blocking: file reads). {@code key} gives an environment's cache
     * key, or null for one that is not to be cached.
     */
    LastSeen(LastSeenCache cache, List<Environment> environments, Function<Environment, String> key, Clock clock) {
        this.cache = cache;
        this.clock = clock;
        this.environments = List.copyOf(environments);
        this.keys = new LinkedHashMap<>();
        for (Environment e : environments) {
            String k = key.apply(e);
            if (k == null) continue;
            keys.put(e.name(), k);
            cache.load(k, notices).ifPresent(s -> seen.put(e.name(), s));
        }
        ScheduledThreadPoolExecutor w = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "shipdeck-last-seen");
            t.setDaemon(true);
            return t;
        });
        w.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.writer = w;
    }

    /** Why a cached state was ignored (a corrupt file, another format), one line each. */
    List<String> notices() { return List.copyOf(notices); }

    /** The first frame's snapshot: every environment connecting, with its last known state where there is one; null when nothing is cached. */
    Snapshot initial() {
        return seen.isEmpty() ? null : merge(Snapshot.EMPTY);
    }

    /** {@code s} with the last known state in place of each environment that has not been connected yet. Cheap. */
    Snapshot merge(Snapshot s) {
        if (seen.isEmpty()) return s;
        List<EnvironmentSnapshot> out = new ArrayList<>(environments.size());
        Map<String, Instant> when = new HashMap<>();
        Map<String, EnvironmentSnapshot> byName = new HashMap<>();
        for (EnvironmentSnapshot e : s.environments()) byName.put(e.environment().name(), e);
        for (Environment env : environments) {
            String name = env.name();
            // before the live view has started an environment, it is connecting
            EnvironmentSnapshot e = byName.getOrDefault(name, EnvironmentSnapshot.empty(env, ConnectionState.CONNECTING));
            if (e.connection().connected()) live.add(name);
            LastSeenCache.Seen c = live.contains(name) ? null : seen.get(name);
            if (c == null) {
                out.add(e);
            } else {
                EnvironmentSnapshot old = c.snapshot();
                // the environment as configured now, its state now; the rows as last seen
                out.add(new EnvironmentSnapshot(e.environment(), e.connection(), old.components(), old.releases(),
                        old.rolloutsAvailable(), old.asOf(), old.gaps()));
                when.put(name, c.seenAt());
            }
        }
        return when.isEmpty() ? s : new Snapshot(out, s.sequence(), when);
    }

    /** Keeps the connected environments of a live snapshot for the next run (written in the background). */
    void remember(Snapshot s) {
        boolean any = false;
        for (EnvironmentSnapshot e : s.environments()) {
            String name = e.environment().name();
            if (!e.connection().connected() || !keys.containsKey(name) || saved.get(name) == e) continue;
            pending.put(name, e);
            any = true;
        }
        if (any) schedule();
    }

    private synchronized void schedule() {
        if (scheduled || writer.isShutdown()) return;
        scheduled = true;
        Instant now = clock.instant();
        Instant next = lastSave.plus(SAVE_EVERY);
        long delay = Math.max(FIRST_SAVE.toMillis(), Duration.between(now, next).toMillis());
        writer.schedule(this::flush, delay, TimeUnit.MILLISECONDS);
    }

    /** Writes what is pending now (on the caller's thread). */
    void flush() {
        synchronized (this) {
            scheduled = false;
            lastSave = clock.instant();
        }
        synchronized (writing) {
            for (String name : new ArrayList<>(pending.keySet())) {
                EnvironmentSnapshot e = pending.remove(name);
                if (e == null) continue;
                try {
                    cache.save(keys.get(name), e, clock.instant());
                    saved.put(name, e);
                } catch (IOException | RuntimeException ex) {
                    org.slf4j.LoggerFactory.getLogger(LastSeen.class).warn("cannot keep the last seen state of {}: {}", name, ex.getMessage());
                }
            }
        }
    }

    /** Saves what is pending and stops the writer. Blocking (a file write): not on the UI thread. */
    @Override
    public void close() {
        writer.shutdown();
        flush();
    }
}

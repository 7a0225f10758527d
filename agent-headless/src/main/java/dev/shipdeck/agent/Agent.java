package dev.shipdeck.agent;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.commands.Commands;
import dev.shipdeck.core.commands.InMemoryCommandLog;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.live.LiveView;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.records.CommandRecords;
import dev.shipdeck.core.records.RecordConflictException;
import dev.shipdeck.core.records.ReleaseCommandRecord;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import dev.shipdeck.core.records.Retention;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-cluster agent: watches one environment with core's {@link LiveView}, and while it holds the leader lease
 * writes the Release records of what it sees ({@link ReleaseTracker}), runs queued commands ({@link CommandQueue}) and
 * prunes old records ({@link Retention}). One thread reconciles (the writes of one plan go out in parallel, one per
 * record); the lease is renewed on another so a long command never costs the lease. Serves {@code /healthz}, {@code /readyz} and {@code /metrics}.
 */
public final class Agent implements AutoCloseable {
    private static final int WRITE_PARALLELISM = 8;

    /**
     * @param environment the cluster context and the namespaces to manage (all when empty)
     * @param leaseDuration how long a silent leader keeps the lease before another agent may take it
     * @param renewDeadline how long a leader that cannot renew keeps writing (shorter than the lease duration)
     * @param retryPeriod how often the lease is renewed or tried
     * @param port of /healthz, /readyz and /metrics (0: any free port)
     * @param commandWindow a queued command not picked up within it is EXPIRED
     * @param pruneInterval how often old records are pruned
     * @param resync how often the agent reconciles when nothing changes (queued commands, expiry)
     * @param syncTimeout how long listing the cluster (or the records) may take before the agent logs why not (it goes on trying)
     */
    public record Config(Environment environment, String leaseNamespace, String leaseName, String identity, Duration leaseDuration,
                         Duration renewDeadline, Duration retryPeriod, int port, Duration commandWindow, Retention retention,
                         Duration pruneInterval, Duration resync, Duration syncTimeout) {
        /** With the default sync timeout ({@link LiveView#DEFAULT_SYNC_TIMEOUT}). */
        public Config(Environment environment, String leaseNamespace, String leaseName, String identity, Duration leaseDuration,
                      Duration renewDeadline, Duration retryPeriod, int port, Duration commandWindow, Retention retention,
                      Duration pruneInterval, Duration resync) {
            this(environment, leaseNamespace, leaseName, identity, leaseDuration, renewDeadline, retryPeriod, port, commandWindow,
                    retention, pruneInterval, resync, LiveView.DEFAULT_SYNC_TIMEOUT);
        }
    }

    private final Config config;
    private final KubeClients clients;
    private final AgentLog log;
    private final Clock clock;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "shipdeck-agent"));
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "shipdeck-agent-lease"));
    /** The writes of one reconcile go out in parallel (each is about another record): a first sight of thousands is minutes, not hours. */
    private final ExecutorService writes = Executors.newFixedThreadPool(WRITE_PARALLELISM, r -> daemon(r, "shipdeck-agent-write"));
    private final AtomicBoolean reconcileRequested = new AtomicBoolean();
    private final RecordCache cache;
    private final Metrics metrics;
    private final ReleaseTracker tracker;
    private LiveView live;
    private LeaseElector elector;
    private ReleaseRecords releases;
    private CommandRecords commands;
    private CommandQueue queue;
    private HealthServer http;
    private volatile CompletableFuture<Snapshot> liveSynced;
    private volatile CompletableFuture<Void> recordsSynced;
    private volatile boolean recordsListed;
    private volatile boolean closed;
    private ConnectionState reportedState;
    private volatile Instant heartbeat;
    private boolean warnedNoCrds;
    private boolean wasConnected;
    private Instant lastPrune = Instant.EPOCH;

    public Agent(Config config, KubeClients clients, AgentLog log, Clock clock) {
        this.config = config;
        this.clients = clients;
        this.log = log;
        this.clock = clock;
        this.heartbeat = clock.instant();
        this.cache = new RecordCache(this::requestReconcile, this::reconnected);
        this.metrics = new Metrics(cache::releases, cache::commands, this::leading);
        this.tracker = new ReleaseTracker(config.identity());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Connects, starts serving the probes and watching; returns at once (the work happens on the agent's threads). */
    public Agent start() {
        Environment env = config.environment();
        KubernetesClient client = clients.clientNow(env.context());
        releases = new ReleaseRecords(client);
        commands = new CommandRecords(client);
        Commands runner = new Commands(clients, List.of(env), new InMemoryCommandLog(), clock);
        queue = new CommandQueue(commands, releases, runner, env.name(), config.commandWindow(), config.identity(), cache, metrics, log, clock);
        elector = new LeaseElector(client, config.leaseNamespace(), config.leaseName(), config.identity(),
                new LeaseElector.Timing(config.leaseDuration(), config.renewDeadline(), config.retryPeriod()), clock, log);
        http = new HealthServer(config.port(), this::healthy, this::notReady, metrics::text);
        log.info("agent started", "identity", config.identity(), "environment", env.name(), "context", env.context(),
                "namespaces", env.namespaces().isEmpty() ? "*" : String.join(",", env.namespaces()),
                "lease", config.leaseNamespace() + "/" + config.leaseName(), "port", http.port());
        live = new LiveView(clients, List.of(env), Duration.ofMillis(200), config.syncTimeout());
        // a rollout that finishes and is superseded between two snapshots is still seen available
        live.subscribeObjects((environment, kind, object) -> tracker.noteObject(kind, object, clock.instant()));
        live.start();
        liveSynced = live.synced();
        liveSynced.thenRun(this::requestReconcile);
        live.subscribe(s -> requestReconcile());
        leases.scheduleWithFixedDelay(this::lease, 0, config.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
        writer.scheduleWithFixedDelay(this::reconcile, 0, config.resync().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    boolean leading() { return elector != null && elector.leading(); }

    private boolean healthy() {
        Duration allowed = Duration.ofSeconds(30).plus(config.resync().multipliedBy(3));
        return heartbeat.plus(allowed).isAfter(clock.instant());
    }

    private boolean ready() {
        return done(liveSynced) && recordsListed;
    }

    /** Why the agent is not ready, or null when it is: what {@code /readyz} answers. */
    private String notReady() {
        if (!done(liveSynced)) return "the workloads of the cluster are not listed yet (" + connection() + ")";
        if (recordsSynced == null) return "waiting for the Shipdeck CRDs (install them with: shipdeck install --apply)";
        if (!recordsListed) return "the Release and ReleaseCommand records are not listed yet";
        return null;
    }

    private String connection() {
        EnvironmentSnapshot e = live == null ? null : live.current().environment(config.environment().name());
        return e == null ? "connecting" : e.connection().describe();
    }

    /**
     * Until the cluster is listed once, says why not whenever the reason changes (the live view's sync timeout makes
     * sure there is one: "not synced within …"), so an agent that cannot read its cluster does not wait in silence.
     */
    private void notListedYet(EnvironmentSnapshot snap) {
        ConnectionState state = snap == null ? ConnectionState.CONNECTING : snap.connection();
        if (state.reason().isEmpty() || state.equals(reportedState)) return;
        reportedState = state;
        log.warn("the workloads of the cluster are not listed yet; still trying", "environment", config.environment().name(),
                "state", state.describe());
    }

    /** Waits for the record informers' first list; each time the sync timeout passes without it, logs why and waits again. */
    private void awaitRecords(CompletableFuture<Void> started) {
        started.copy().orTimeout(config.syncTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, error) -> {
            if (closed) return;
            if (error == null) {
                recordsListed = true;
                requestReconcile();
                return;
            }
            log.warn("the Release records are not listed yet; still trying", "environment", config.environment().name(),
                    "waited", config.syncTimeout().toSeconds() + "s", "error", cache.lastError().isEmpty() ? "no answer" : cache.lastError());
            awaitRecords(started);
        });
    }

    private static boolean done(CompletableFuture<?> f) {
        return f != null && f.isDone() && !f.isCompletedExceptionally();
    }

    private void lease() {
        boolean before = leading();
        elector.tick();
        if (!before && leading()) requestReconcile();
    }

    private void requestReconcile() {
        if (reconcileRequested.compareAndSet(false, true)) {
            writer.execute(() -> {
                reconcileRequested.set(false);
                reconcile();
            });
        }
    }

    private void reconnected() {
        metrics.watchReconnects.incrementAndGet();
    }

    private void reconcile() {
        heartbeat = clock.instant();
        try {
            EnvironmentSnapshot snap = live.current().environment(config.environment().name());
            watchConnection(snap);
            if (!done(liveSynced)) {
                notListedYet(snap);
                return;
            }
            if (recordsSynced == null && !startRecords()) return;
            if (!usable(snap)) return;
            if (!leading()) {
                // a standby still notes what it sees: evidence for the records it may write when it takes over
                tracker.observe(snap, clock.instant());
                return;
            }
            if (!ready()) return;
            applyAll(tracker.plan(snap, cache.releases(), clock.instant()));
            queue.run();
            prune();
        } catch (ShipdeckException e) {
            log.warn("reconcile failed; trying again", "error", e.oneLine());
        } catch (RuntimeException e) {
            log.error("reconcile failed; trying again", "error", e.toString());
        }
    }

    /**
     * Whether the snapshot may be acted on: connected, or re-establishing a watch (the informers keep what they had;
     * acting on it is late at worst, never wrong, as every write carries its resourceVersion).
     */
    private static boolean usable(EnvironmentSnapshot snap) {
        return snap != null && (snap.connection().connected() || snap.connection().phase() == ConnectionState.Phase.RETRYING);
    }

    private void watchConnection(EnvironmentSnapshot snap) {
        boolean connected = snap != null && snap.connection().connected();
        if (snap != null && connected != wasConnected) {
            if (connected) {
                log.info("watching the cluster", "environment", snap.environment().name());
            } else if (wasConnected) {
                metrics.watchReconnects.incrementAndGet();
                log.warn("lost the watch of the cluster; reconnecting", "state", snap.connection().describe());
            }
            wasConnected = connected;
        }
    }

    /** Starts the record informers once the CRDs exist; false while they do not. */
    private boolean startRecords() {
        if (!releases.installed() || !commands.installed()) {
            if (!warnedNoCrds) {
                log.warn("the Shipdeck CRDs are not installed; waiting for them", "hint", "shipdeck install --apply");
                warnedNoCrds = true;
            }
            return false;
        }
        recordsSynced = cache.start(clients.clientNow(config.environment().context()), config.environment());
        awaitRecords(recordsSynced);
        return false;
    }

    /**
     * Performs the writes of one plan, up to {@value #WRITE_PARALLELISM} at a time (a plan has at most one change per
     * record, so they are independent), and waits for them. After a failure the rest is left for the next reconcile.
     */
    private void applyAll(List<ReleaseTracker.Change> changes) {
        if (changes.isEmpty()) return;
        AtomicBoolean failed = new AtomicBoolean();
        List<Callable<Void>> tasks = new ArrayList<>(changes.size());
        for (ReleaseTracker.Change change : changes) {
            tasks.add(() -> {
                if (failed.get()) return null;
                try {
                    apply(change);
                } catch (ShipdeckException e) {
                    if (failed.compareAndSet(false, true)) log.warn("reconcile failed; trying again", "error", e.oneLine());
                } catch (RuntimeException e) {
                    if (failed.compareAndSet(false, true)) log.error("reconcile failed; trying again", "error", e.toString());
                }
                return null;
            });
        }
        try {
            if (tasks.size() == 1) {
                tasks.get(0).call();
            } else {
                writes.invokeAll(tasks);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void apply(ReleaseTracker.Change change) {
        if (!leading()) return;
        heartbeat = clock.instant(); // a long first sight is progress, not a stuck loop
        ReleaseRecord r = change.record();
        try {
            ReleaseRecord written = switch (change.kind()) {
                case CREATE -> releases.create(r);
                case STATUS -> releases.writeStatus(r);
                case ADOPT -> {
                    ReleaseRecord withSpec = releases.update(r);
                    yield releases.writeStatus(new ReleaseRecord(r.name(), r.namespace(), withSpec.resourceVersion(), r.spec(), r.status()));
                }
            };
            cache.put(written);
            metrics.recordWrites.incrementAndGet();
            log.info("release record written", "release", r.namespace() + "/" + r.name(), "component", r.spec().component(),
                    "version", r.spec().version(), "status", r.status().effectivePhase().name(), "reason", change.reason());
        } catch (RecordConflictException e) {
            metrics.writeConflicts.incrementAndGet();
        }
    }

    private void prune() {
        Instant now = clock.instant();
        if (lastPrune.plus(config.pruneInterval()).isAfter(now)) return;
        lastPrune = now;
        int n = 0;
        for (ReleaseRecord r : config.retention().releasesToDelete(cache.releases(), now)) {
            if (!leading()) return;
            releases.delete(r);
            cache.forget(r);
            n++;
        }
        for (ReleaseCommandRecord c : config.retention().commandsToDelete(cache.commands(), now)) {
            if (!leading()) return;
            commands.delete(c);
            cache.forget(c);
            n++;
        }
        if (n > 0) {
            metrics.recordWrites.addAndGet(n);
            log.info("pruned old records", "count", n, "perComponent", config.retention().perComponent(),
                    "maxAgeDays", config.retention().maxAge().toDays());
        }
    }

    /** Stops watching and gives the lease up, so a standby takes over at once. */
    @Override
    public void close() {
        closed = true;
        writer.shutdownNow();
        writes.shutdownNow();
        leases.shutdownNow();
        try {
            leases.awaitTermination(5, TimeUnit.SECONDS);
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (elector != null) elector.release();
        cache.close();
        if (live != null) live.close();
        if (http != null) http.close();
        log.info("agent stopped", "identity", config.identity());
    }
}

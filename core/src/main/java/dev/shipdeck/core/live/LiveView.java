package dev.shipdeck.core.live;

import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.records.ReleaseHistory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Live state of several environments: informers per context, started lazily, and immutable {@link Snapshot}s
 * published at most once per coalescing window — a burst of events yields a few snapshots, never one per event.
 * Listeners are called on the publisher thread; a UI hands the snapshot over to its own thread.
 */
public final class LiveView implements AutoCloseable {
    private final KubeClients clients;
    private final Duration coalesce;
    private final ScheduledExecutorService scheduler;
    private final Map<String, LiveContext> contexts = new LinkedHashMap<>();
    private final Map<String, EnvironmentSnapshot> latest = new ConcurrentHashMap<>();
    private final Set<LiveContext> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ReleaseStatus> seen = new ConcurrentHashMap<>();
    private final Set<String> superseded = ConcurrentHashMap.newKeySet();
    private volatile Snapshot current = Snapshot.EMPTY;
    private long sequence;

    public LiveView(KubeClients clients, List<Environment> environments, Duration coalesce) {
        this(clients, environments, coalesce, false);
    }

    /**
     * With {@code releaseRecords}, each environment's snapshot also carries its Release records where the cluster has
     * them ({@link ReleaseHistory}): deploy markers and the agent's history in the timeline, and components that have
     * markers but no workload yet — what the desktop shows. The agent, which writes the records, watches without.
     */
    public LiveView(KubeClients clients, List<Environment> environments, Duration coalesce, boolean releaseRecords) {
        this.clients = clients;
        this.coalesce = coalesce;
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "shipdeck-live");
            t.setDaemon(true);
            return t;
        });
        for (Environment e : environments) {
            contexts.put(e.name(), new LiveContext(e, clients, scheduler, this::markDirty, releaseRecords));
        }
    }

    /** Starts watching every environment (each connects on its own, off the caller's thread). */
    public LiveView start() {
        contexts.values().forEach(this::startOne);
        return this;
    }

    /** Starts watching one environment (lazily, e.g. when a person selects it). */
    public void start(String environment) {
        LiveContext c = contexts.get(environment);
        if (c != null) startOne(c);
    }

    private final Set<String> started = ConcurrentHashMap.newKeySet();

    private void startOne(LiveContext c) {
        if (started.add(c.environment().name())) {
            latest.put(c.environment().name(), EnvironmentSnapshot.empty(c.environment(), c.state()));
            c.start();
            markDirty(c);
        }
    }

    /** Completes when every started environment has listed everything once (or {@code timeout} passed). */
    public CompletableFuture<Snapshot> awaitSynced(Duration timeout) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (LiveContext c : contexts.values()) {
            if (started.contains(c.environment().name())) all.add(c.synced());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(v -> publishNow());
    }

    public Snapshot current() { return current; }

    /** Subscribes; the listener gets the current snapshot at once, then every new one. Close to unsubscribe. */
    public AutoCloseable subscribe(Consumer<Snapshot> listener) {
        listeners.add(listener);
        listener.accept(current);
        return () -> listeners.remove(listener);
    }

    private void markDirty(LiveContext c) {
        dirty.add(c);
        if (scheduled.compareAndSet(false, true)) {
            scheduler.schedule(this::publish, coalesce.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void publish() {
        scheduled.set(false);
        publishNow();
    }

    private synchronized Snapshot publishNow() {
        List<LiveContext> batch = new ArrayList<>(dirty);
        dirty.removeAll(batch);
        for (LiveContext c : batch) {
            latest.put(c.environment().name(), ReleaseHistory.withRecords(trackSuperseded(c.build()), c.records()));
        }
        List<EnvironmentSnapshot> envs = new ArrayList<>();
        for (String name : contexts.keySet()) {
            EnvironmentSnapshot s = latest.get(name);
            if (s != null) envs.add(s);
        }
        current = new Snapshot(envs, ++sequence);
        for (Consumer<Snapshot> l : listeners) {
            try {
                l.accept(current);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(LiveView.class).warn("snapshot listener failed", e);
            }
        }
        return current;
    }

    /**
     * A release that was RUNNING when a newer version started is CANCELLED (superseded), as KUBERNETES.md says;
     * ReplicaSet history alone cannot tell, so the view remembers what it saw.
     */
    private EnvironmentSnapshot trackSuperseded(EnvironmentSnapshot s) {
        List<Release> out = new ArrayList<>(s.releases().size());
        Map<String, Release> newestByWorkload = new LinkedHashMap<>();
        for (Release r : s.releases()) {
            newestByWorkload.merge(r.environment() + "/" + r.namespace() + "/" + r.workloadName(), r,
                    (a, b) -> a.revision() >= b.revision() ? a : b);
        }
        for (Release r : s.releases()) {
            boolean newest = newestByWorkload.get(r.environment() + "/" + r.namespace() + "/" + r.workloadName()) == r;
            ReleaseStatus before = seen.get(r.id());
            if (!newest && (before == ReleaseStatus.RUNNING || superseded.contains(r.id()))) {
                superseded.add(r.id());
                out.add(r.withStatus(ReleaseStatus.CANCELLED, "superseded by a newer version while running",
                        r.endedAt() != null ? r.endedAt() : Instant.now()));
            } else {
                if (newest) superseded.remove(r.id());
                out.add(r);
            }
            seen.put(r.id(), r.status());
        }
        return new EnvironmentSnapshot(s.environment(), s.connection(), s.components(), out, s.rolloutsAvailable(), s.asOf());
    }

    @Override
    public void close() {
        contexts.values().forEach(LiveContext::close);
        scheduler.shutdownNow();
    }
}

package dev.shipdeck.core.live;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashMap;
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
    private final List<ObjectListener> objectListeners = new CopyOnWriteArrayList<>();

    /** Told of each object a watch delivers, before it is coalesced into a snapshot. */
    @FunctionalInterface
    public interface ObjectListener {
        /**
         * Called on a watch thread for every added or updated object (Deployment, Rollout, ReplicaSet, …), so a state
         * that lasts less than a coalescing window is still seen; must be quick and must not block.
         */
        void changed(String environment, String kind, JsonNode object);
    }
    /** Per environment: what the view saw of each release, to tell a superseded one from a finished one. */
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private volatile Snapshot current = Snapshot.EMPTY;
    private long sequence;

    /** How long an environment may take to list everything before its state says so and it starts over. */
    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(60);

    public LiveView(KubeClients clients, List<Environment> environments, Duration coalesce) {
        this(clients, environments, coalesce, false, DEFAULT_SYNC_TIMEOUT);
    }

    /** As {@link #LiveView(KubeClients, List, Duration, boolean, Duration)} with the default sync timeout. */
    public LiveView(KubeClients clients, List<Environment> environments, Duration coalesce, boolean releaseRecords) {
        this(clients, environments, coalesce, releaseRecords, DEFAULT_SYNC_TIMEOUT);
    }

    /** As {@link #LiveView(KubeClients, List, Duration, boolean, Duration)} without Release records. */
    public LiveView(KubeClients clients, List<Environment> environments, Duration coalesce, Duration syncTimeout) {
        this(clients, environments, coalesce, false, syncTimeout);
    }

    /**
     * @param coalesce at most one snapshot per this window
     * @param releaseRecords each environment's snapshot also carries its Release records where the cluster has them
     *                    ({@link ReleaseHistory}): deploy markers and the agent's history in the timeline, and components
     *                    that have markers but no workload yet — what the desktop shows; with them the Rollouts'
     *                    AnalysisRuns (the release page's Analysis). The agent, which writes the records, watches
     *                    without either.
     * @param syncTimeout an environment that has not listed everything within it shows RETRYING (or why it failed)
     *                    with "not synced within …" and the reason, and its informers start over
     */
    public LiveView(KubeClients clients, List<Environment> environments, Duration coalesce, boolean releaseRecords, Duration syncTimeout) {
        this.clients = clients;
        this.coalesce = coalesce;
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "shipdeck-live");
            t.setDaemon(true);
            return t;
        });
        for (Environment e : environments) {
            contexts.put(e.name(), new LiveContext(e, clients, scheduler, this::markDirty, releaseRecords, syncTimeout,
                    (env, kind, object) -> objectListeners.forEach(l -> l.changed(env, kind, object))));
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

    /**
     * Completes when every started environment has listed everything once, however long that takes; meanwhile each
     * environment's connection state says why it has not (after the sync timeout: "not synced within …").
     */
    public CompletableFuture<Snapshot> synced() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (LiveContext c : contexts.values()) {
            if (started.contains(c.environment().name())) all.add(c.synced());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> publishNow());
    }

    public Snapshot current() { return current; }

    /** Adds a listener of every object the watches deliver (see {@link ObjectListener}); close the result to remove it. */
    public AutoCloseable subscribeObjects(ObjectListener listener) {
        objectListeners.add(listener);
        return () -> objectListeners.remove(listener);
    }

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
     * What the view remembers of one environment's releases (by release id): the status it last saw, and when it first
     * saw a release superseded while running. Rebuilt from the current releases on every snapshot, so a release whose
     * ReplicaSet or workload is gone is forgotten.
     */
    private record Tracked(Map<String, ReleaseStatus> seen, Map<String, Instant> supersededAt) {
        static final Tracked NONE = new Tracked(Map.of(), Map.of());
    }

    /**
     * A release that was RUNNING when a newer version started is CANCELLED (superseded), as KUBERNETES.md says;
     * ReplicaSet history alone cannot tell, so the view remembers what it saw. Its end is when the view first saw it
     * superseded (a ReplicaSet does not record it), the same in every later snapshot.
     */
    private EnvironmentSnapshot trackSuperseded(EnvironmentSnapshot s) {
        Tracked before = tracked.getOrDefault(s.environment().name(), Tracked.NONE);
        Map<String, ReleaseStatus> seen = new HashMap<>();
        Map<String, Instant> supersededAt = new HashMap<>();
        List<Release> out = new ArrayList<>(s.releases().size());
        Map<String, Release> newestByWorkload = new LinkedHashMap<>();
        for (Release r : s.releases()) {
            newestByWorkload.merge(r.environment() + "/" + r.namespace() + "/" + r.workloadName(), r,
                    (a, b) -> a.revision() >= b.revision() ? a : b);
        }
        // each workload's template version: right after an update its newest ReplicaSet may still be the old template's
        Map<String, String> templateVersion = new HashMap<>();
        for (var c : s.components()) {
            for (var w : c.workloads()) templateVersion.put(s.environment().name() + "/" + w.namespace() + "/" + w.name(), w.version());
        }
        Instant now = Instant.now();
        for (Release r : s.releases()) {
            String workload = r.environment() + "/" + r.namespace() + "/" + r.workloadName();
            boolean newest = newestByWorkload.get(workload) == r;
            // superseded: a newer ReplicaSet exists, or the workload already has another version's template and its
            // controller has not made that ReplicaSet yet
            boolean replaced = !newest || templateVersion.containsKey(workload) && !templateVersion.get(workload).equals(r.version());
            Instant since = before.supersededAt().get(r.id());
            if (replaced && (before.seen().get(r.id()) == ReleaseStatus.RUNNING || since != null)) {
                Instant at = since != null ? since : now;
                supersededAt.put(r.id(), at);
                out.add(r.withStatus(ReleaseStatus.CANCELLED, "superseded by a newer version while running",
                        r.endedAt() != null ? r.endedAt() : at));
            } else {
                out.add(r);
            }
            seen.put(r.id(), r.status());
        }
        tracked.put(s.environment().name(), new Tracked(seen, supersededAt));
        return s.withReleases(out);
    }

    /** How many releases the view remembers, over all environments (it must not grow with history that is gone). */
    int remembered() {
        return tracked.values().stream().mapToInt(t -> t.seen().size() + t.supersededAt().size()).sum();
    }

    @Override
    public void close() {
        contexts.values().forEach(LiveContext::close);
        scheduler.shutdownNow();
    }
}

package dev.shipdeck.core.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.kube.Failures;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Traffic;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReadGap;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.status.SnapshotBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The informers (list + watch) of one environment: Deployments, ReplicaSets, Rollouts when their CRD exists,
 * Namespaces and HPAs when readable, and — when asked for — the Release records where their CRD exists. Informer
 * callbacks only update a map and flag the environment dirty; the snapshot is rebuilt later by {@link LiveView},
 * coalesced. Keeps a connection state with the reason, and retries with backoff when the client cannot even be built.
 * An optional kind that is refused (403, 5xx, 429) while the required ones can be read is a {@link ReadGap} of the
 * snapshot (it is partial), probed again with backoff until it can be watched; only 404 means the kind is absent.
 */
final class LiveContext {
    private final List<LiveKinds.Kind> kinds;

    private final Environment env;
    private final KubeClients clients;
    private final ScheduledExecutorService scheduler;
    private final Consumer<LiveContext> onDirty;
    private final java.time.Duration syncTimeout;
    private final LiveStore store;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile boolean rolloutsAvailable;
    private volatile boolean recordsAvailable;
    private volatile boolean closed;
    private volatile long backoffMillis = 1000;
    private final WatchHealth health = new WatchHealth();
    private volatile AutoCloseable trafficSubscription;
    private final Map<String, ReadGap> gaps = new ConcurrentHashMap<>();
    private volatile boolean monitoring;
    /** Counts the attempts to start the informers, so a late timeout or failure of an earlier one is ignored. */
    private final java.util.concurrent.atomic.AtomicInteger attempt = new java.util.concurrent.atomic.AtomicInteger();
    /** Told of every object an informer delivers (added or updated), on the informer's thread. */
    private final LiveView.ObjectListener onObject;

    /** @param syncTimeout how long the informers may take to list everything before the state says so and they start over */
    LiveContext(Environment env, KubeClients clients, ScheduledExecutorService scheduler, Consumer<LiveContext> onDirty,
                boolean releaseRecords, java.time.Duration syncTimeout, LiveView.ObjectListener onObject) {
        this.env = env;
        this.onObject = onObject;
        this.clients = clients;
        this.scheduler = scheduler;
        this.onDirty = onDirty;
        this.syncTimeout = syncTimeout;
        this.kinds = LiveKinds.of(releaseRecords);
        this.store = new LiveStore(kinds, obj -> clients.clientNow(env.context()).getKubernetesSerialization().convertValue(obj, JsonNode.class));
    }

    Environment environment() { return env; }

    ConnectionState state() { return state; }

    CompletableFuture<Void> synced() { return synced; }

    void start() {
        clients.client(env.context()).whenCompleteAsync((client, error) -> {
            if (closed) return;
            if (error != null) {
                setState(Failures.describe(error, clients.secrets()));
                clients.reset(env.context());
                retryLater();
                return;
            }
            startInformers(client);
        }, scheduler);
    }

    private void retryLater() {
        long delay = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, 60_000);
        scheduler.schedule(this::start, delay, TimeUnit.MILLISECONDS);
    }

    /** Watch failures make the state RETRYING at once; connected again once every failed watch was answered. */
    private void onTraffic(Traffic.Signal signal) {
        if (closed) return;
        ConnectionState s = health.onSignal(signal, clients.secrets());
        if (s != null) setState(s);
        else if (health.noFailures() && !state.connected() && synced.isDone()) setState(ConnectionState.CONNECTED);
    }

    private void startInformers(KubernetesClient client) {
        if (trafficSubscription == null) trafficSubscription = clients.traffic(env.context()).listen(this::onTraffic);
        // probe every kind first: an informer started before a required kind is refused would be started again on
        // every retry, each one watching on its own
        List<LiveKinds.Kind> readable = new ArrayList<>();
        for (LiveKinds.Kind k : kinds) {
            ClusterReader.ListResult probe;
            try {
                probe = LiveKinds.probe(client, k, env.explicitNamespaces());
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                setState(Failures.describe(e, clients.secrets()));
                retryLater();
                return;
            }
            if (probe.status() / 100 != 2) {
                if (k.required()) {
                    setState(Failures.http(probe.status(), probe.message(), clients.secrets()));
                    retryLater();
                    return;
                }
                if (probe.status() != 404) {
                    // refused or failing, not absent: the snapshot says it is partial, and the kind is probed again
                    gaps.put(k.kind(), k.gap(probe.status()));
                    reprobeLater(client, k, 1000);
                }
                continue;
            }
            readable.add(k);
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (LiveKinds.Kind k : readable) starts.addAll(informAll(client, k));
        int mine = attempt.incrementAndGet();
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
            if (closed || mine != attempt.get()) return;
            if (t == null) {
                backoffMillis = 1000;
                setState(ConnectionState.CONNECTED);
                onDirty.accept(this);
                synced.complete(null);
            } else {
                ConnectionState s = Failures.describe(t, clients.secrets());
                setState(ConnectionState.of(s.phase(), "cannot start watching: " + s.reason()));
                restart(mine);
            }
        });
        scheduler.schedule(() -> syncTimedOut(mine), syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!monitoring) {
            monitoring = true;
            scheduler.scheduleWithFixedDelay(this::monitor, 1, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * The informers of attempt {@code mine} have not listed everything within the sync timeout: the state says so,
     * with the last reason known (a 500, a timeout, a refusal), and they start over after a backoff.
     */
    private void syncTimedOut(int mine) {
        if (closed || synced.isDone() || mine != attempt.get()) return;
        ConnectionState now = state;
        String why = now.reason().isEmpty() ? "the API server did not answer the list" : now.reason();
        ConnectionState.Phase phase = now.phase() == ConnectionState.Phase.CONNECTING || now.phase() == ConnectionState.Phase.CONNECTED
                ? ConnectionState.Phase.RETRYING : now.phase();
        setState(ConnectionState.of(phase, "not synced within " + syncTimeout.toSeconds() + "s: " + why));
        restart(mine);
    }

    /** Stops the informers of attempt {@code mine} and starts again later (nothing was published from them yet). */
    private void restart(int mine) {
        if (!attempt.compareAndSet(mine, mine + 1)) return;
        List<SharedIndexInformer<GenericKubernetesResource>> old = new ArrayList<>(informers);
        informers.clear();
        health.forgetWatched();
        old.forEach(SharedIndexInformer::close);
        store.clear();
        retryLater();
    }

    private List<CompletableFuture<Void>> informAll(KubernetesClient client, LiveKinds.Kind k) {
        if (k.kind().equals("Rollout")) rolloutsAvailable = true;
        if (k == LiveKinds.RELEASES) recordsAvailable = true;
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        List<String> nss = k.namespaces(env.explicitNamespaces());
        if (nss.isEmpty()) {
            starts.add(inform(k, client.genericKubernetesResources(k.apiVersion(), k.kind()).inAnyNamespace().runnableInformer(0)));
        } else {
            for (String ns : nss) {
                starts.add(inform(k, client.genericKubernetesResources(k.apiVersion(), k.kind()).inNamespace(ns).runnableInformer(0)));
            }
        }
        return starts;
    }

    /** Probes a kind that left a gap again after {@code delayMillis}; starts its informers once it can be read. */
    private void reprobeLater(KubernetesClient client, LiveKinds.Kind k, long delayMillis) {
        scheduler.schedule(() -> {
            if (closed || !gaps.containsKey(k.kind())) return;
            int status;
            try {
                status = LiveKinds.probe(client, k, env.explicitNamespaces()).status();
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                status = 0;
            }
            if (closed) return; // closed while the probe was on its way: start nothing
            if (status / 100 == 2) {
                CompletableFuture.allOf(informAll(client, k).toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
                    gaps.remove(k.kind());
                    onDirty.accept(this);
                });
                return;
            }
            if (status == 404) {
                gaps.remove(k.kind()); // the type went away (CRD deleted): absent, not missing
            } else if (status != 0) {
                gaps.put(k.kind(), k.gap(status));
            }
            onDirty.accept(this);
            if (status != 404) reprobeLater(client, k, Math.min(delayMillis * 2, 60_000));
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<Void> inform(LiveKinds.Kind k, SharedIndexInformer<GenericKubernetesResource> informer) {
        informer.exceptionHandler((started, t) -> {
            setState(WatchHealth.informerFailure(t, clients.secrets()));
            return !closed;
        });
        informer.addEventHandler(store.handler(k, this::changed, (kind, json) -> onObject.changed(env.name(), kind, json)));
        informers.add(informer);
        // fabric8 delivers events on its own executor, so "synced" can come before the last onAdd: take the
        // informer's own cache at that moment, so the first snapshot is complete
        return informer.start().toCompletableFuture().thenRun(() -> informer.getStore().list().forEach(o -> store.keepNewest(k, o)));
    }

    /** Until the first complete list, events only fill the maps; one snapshot follows the sync. */
    private void changed() {
        if (synced.isDone()) onDirty.accept(this);
    }

    /**
     * Failures the informers report make the state RETRYING at once, with their reason; so does a watch that was
     * established and is not any more. CONNECTED again once every informer watches. An informer that never said it
     * watches does not count against the connection: fabric8's HTTP watches only say so after their first event,
     * which on a quiet cluster may take a minute.
     */
    private void monitor() {
        if (closed || informers.isEmpty()) return;
        WatchHealth.Check check = health.check(informers);
        if (state.connected() && check.interrupted()) {
            setState(ConnectionState.of(ConnectionState.Phase.RETRYING, "watch interrupted, reconnecting"));
        } else if (!state.connected() && check.healthy() && synced.isDone() && health.noFailures()) {
            setState(ConnectionState.CONNECTED);
        }
    }

    private void setState(ConnectionState s) {
        if (!s.equals(state)) {
            state = s;
            onDirty.accept(this);
        }
    }

    EnvironmentSnapshot build() {
        return SnapshotBuilder.build(env, state, store.inputs(rolloutsAvailable,
                LiveKinds.KINDS.stream().map(k -> gaps.get(k.kind())).filter(java.util.Objects::nonNull).toList()));
    }

    /**
     * The environment's Release records as releases, or null when they are not informed (not asked for, the CRD is
     * not installed, or this user may not list them).
     */
    List<Release> records() {
        if (!recordsAvailable) return null;
        List<Release> out = new ArrayList<>();
        for (JsonNode o : store.of(LiveKinds.RELEASES)) {
            ReleaseRecord r = ReleaseRecord.fromJson(o);
            if (env.manages(r.namespace())) out.add(r.toRelease(env.name()));
        }
        return out;
    }

    void close() {
        closed = true;
        if (trafficSubscription != null) {
            try {
                trafficSubscription.close();
            } catch (Exception ignored) {
                // removing a listener cannot fail
            }
        }
        informers.forEach(SharedIndexInformer::close);
    }
}

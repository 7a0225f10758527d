package dev.shipdeck.core.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.kube.Failures;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Redact;
import dev.shipdeck.core.kube.Traffic;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.status.SnapshotBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
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
 * Namespaces and HPAs when readable. Informer callbacks only update a map and flag the environment dirty; the
 * snapshot is rebuilt later by {@link LiveView}, coalesced. Keeps a connection state with the reason, and retries
 * with backoff when the client cannot even be built.
 */
final class LiveContext {
    private record Kind(String apiVersion, String kind, String path, boolean required) {}

    private static final List<Kind> KINDS = List.of(
            new Kind("apps/v1", "Deployment", "/apis/apps/v1", true),
            new Kind("apps/v1", "ReplicaSet", "/apis/apps/v1", true),
            new Kind("argoproj.io/v1alpha1", "Rollout", "/apis/argoproj.io/v1alpha1", false),
            new Kind("v1", "Namespace", "/api/v1", false),
            new Kind("autoscaling/v2", "HorizontalPodAutoscaler", "/apis/autoscaling/v2", false));

    private final Environment env;
    private final KubeClients clients;
    private final ScheduledExecutorService scheduler;
    private final Consumer<LiveContext> onDirty;
    private final Map<String, Map<String, JsonNode>> objects = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile boolean rolloutsAvailable;
    private volatile boolean closed;
    private volatile long backoffMillis = 1000;
    private final java.util.Set<SharedIndexInformer<GenericKubernetesResource>> everWatched = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> failingWatches = ConcurrentHashMap.newKeySet();
    private volatile AutoCloseable trafficSubscription;

    LiveContext(Environment env, KubeClients clients, ScheduledExecutorService scheduler, Consumer<LiveContext> onDirty) {
        this.env = env;
        this.clients = clients;
        this.scheduler = scheduler;
        this.onDirty = onDirty;
        KINDS.forEach(k -> objects.put(k.kind(), new ConcurrentHashMap<>()));
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
        if (signal.ok()) {
            failingWatches.remove(signal.path());
            if (failingWatches.isEmpty() && !state.connected() && synced.isDone()) setState(ConnectionState.CONNECTED);
        } else {
            failingWatches.add(signal.path());
            ConnectionState s = signal.code() == 0
                    ? ConnectionState.of(ConnectionState.Phase.RETRYING, "watch failed: " + Redact.text(signal.reason(), clients.secrets()))
                    : Failures.http(signal.code(), "watch refused", clients.secrets());
            if (s.phase() != ConnectionState.Phase.FORBIDDEN) s = ConnectionState.of(ConnectionState.Phase.RETRYING, s.reason());
            setState(s);
        }
    }

    private void startInformers(KubernetesClient client) {
        if (trafficSubscription == null) trafficSubscription = clients.traffic(env.context()).listen(this::onTraffic);
        // probe every kind first: an informer started before a required kind is refused would be started again on
        // every retry, each one watching on its own
        List<Kind> readable = new ArrayList<>();
        for (Kind k : KINDS) {
            ClusterReader.ListResult probe;
            try {
                probe = probe(client, k);
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
                continue; // optional kind absent (404) or not readable (403): skip it
            }
            readable.add(k);
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (Kind k : readable) {
            if (k.kind().equals("Rollout")) rolloutsAvailable = true;
            List<String> nss = k.kind().equals("Namespace") ? List.of() : env.explicitNamespaces();
            if (nss.isEmpty()) {
                starts.add(inform(k, client.genericKubernetesResources(k.apiVersion(), k.kind()).inAnyNamespace().runnableInformer(0)));
            } else {
                for (String ns : nss) {
                    starts.add(inform(k, client.genericKubernetesResources(k.apiVersion(), k.kind()).inNamespace(ns).runnableInformer(0)));
                }
            }
        }
        backoffMillis = 1000;
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
            if (t == null) {
                setState(ConnectionState.CONNECTED);
                onDirty.accept(this);
                synced.complete(null);
            }
        });
        scheduler.scheduleWithFixedDelay(this::monitor, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Whether a kind can be listed where its informers will list it: cluster-wide, or in each explicit namespace (a
     * team may read its namespaces and nothing else). The first refusal, or OK.
     */
    private ClusterReader.ListResult probe(KubernetesClient client, Kind k) throws Exception {
        List<String> nss = k.kind().equals("Namespace") ? List.of() : env.explicitNamespaces();
        if (nss.isEmpty()) {
            return ClusterReader.get(client, k.path() + "/" + plural(k) + (k.kind().equals("Namespace") ? "" : "?limit=1"))
                    .get(30, TimeUnit.SECONDS);
        }
        ClusterReader.ListResult last = null;
        for (String ns : nss) {
            last = ClusterReader.get(client, k.path() + "/namespaces/" + ns + "/" + plural(k) + "?limit=1").get(30, TimeUnit.SECONDS);
            if (last.status() / 100 != 2) return last;
        }
        return last;
    }

    private static String plural(Kind k) {
        return switch (k.kind()) {
            case "HorizontalPodAutoscaler" -> "horizontalpodautoscalers";
            default -> k.kind().toLowerCase(java.util.Locale.ROOT) + "s";
        };
    }

    private CompletableFuture<Void> inform(Kind k, SharedIndexInformer<GenericKubernetesResource> informer) {
        Map<String, JsonNode> store = objects.get(k.kind());
        informer.exceptionHandler((started, t) -> {
            ConnectionState s = Failures.describe(t, clients.secrets());
            if (s.phase() == ConnectionState.Phase.FAILED && t instanceof KubernetesClientException ke && ke.getCode() == 0) {
                s = ConnectionState.of(ConnectionState.Phase.RETRYING, s.reason());
            }
            if (s.phase() == ConnectionState.Phase.UNREACHABLE || s.phase() == ConnectionState.Phase.FAILED && !s.reason().startsWith("401")) {
                s = ConnectionState.of(ConnectionState.Phase.RETRYING, s.reason());
            }
            setState(s);
            return !closed;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) { put(obj); }

            @Override
            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) { put(newObj); }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
                store.remove(obj.getMetadata().getUid());
                changed();
            }

            private void put(GenericKubernetesResource obj) {
                keepNewest(store, obj);
                changed();
            }
        });
        informers.add(informer);
        // fabric8 delivers events on its own executor, so "synced" can come before the last onAdd: take the
        // informer's own cache at that moment, so the first snapshot is complete
        return informer.start().toCompletableFuture().thenRun(() -> informer.getStore().list().forEach(o -> keepNewest(store, o)));
    }

    /** Stores {@code obj} unless a newer version of it is already there (cache fill and events may interleave). */
    private void keepNewest(Map<String, JsonNode> store, GenericKubernetesResource obj) {
        JsonNode json = clients.clientNow(env.context()).getKubernetesSerialization().convertValue(obj, JsonNode.class);
        store.merge(obj.getMetadata().getUid(), json, (old, fresh) -> newer(fresh, old) ? fresh : old);
    }

    private static boolean newer(JsonNode a, JsonNode b) {
        String ra = a.path("metadata").path("resourceVersion").asText("");
        String rb = b.path("metadata").path("resourceVersion").asText("");
        try {
            return Long.parseLong(ra) >= Long.parseLong(rb);
        } catch (NumberFormatException e) {
            return true; // resourceVersions are opaque on some servers: the latest delivery wins
        }
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
        boolean interrupted = false;
        boolean healthy = true;
        boolean allWatching = true;
        for (SharedIndexInformer<GenericKubernetesResource> i : informers) {
            boolean watching = i.isWatching();
            if (watching) everWatched.add(i);
            boolean ok = i.hasSynced() && (watching || !everWatched.contains(i));
            healthy &= ok;
            allWatching &= watching;
            interrupted |= !watching && everWatched.contains(i);
        }
        // A WebSocket watch (what a real API server answers) that is established again never passes the traffic
        // interceptor (fabric8 tells interceptors of WebSocket failures only): every informer watching is the proof.
        if (allWatching) failingWatches.clear();
        if (state.connected() && interrupted) {
            setState(ConnectionState.of(ConnectionState.Phase.RETRYING, "watch interrupted, reconnecting"));
        } else if (!state.connected() && healthy && synced.isDone() && failingWatches.isEmpty()) {
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
        return SnapshotBuilder.build(env, state, new SnapshotBuilder.Inputs(objects.get("Deployment").values(),
                objects.get("Rollout").values(), objects.get("ReplicaSet").values(), objects.get("Namespace").values(),
                objects.get("HorizontalPodAutoscaler").values(), rolloutsAvailable));
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

package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReadGap;
import dev.shipdeck.core.status.SnapshotBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reads an environment once (list requests, in parallel) and builds its snapshot: what the CLI uses. The live
 * console uses {@link dev.shipdeck.core.live.LiveView} instead; both build snapshots the same way.
 * <p>
 * Deployments must be readable, or the environment is not (its connection state says why). Any other list that
 * fails while the Deployments list works makes the snapshot partial: a {@link ReadGap} names the kind and why.
 * Only a 404 (the resource type is not served: no Argo Rollouts CRD, no autoscaling/v2) means "none here".
 */
public final class ClusterReader {

    /** Result of one list request: items, or the HTTP status that refused it (404 = resource type absent). */
    public record ListResult(List<JsonNode> items, int status, String message) {
        public boolean ok() { return status / 100 == 2; }
    }

    /** What a failed optional list means: the gap it leaves, or null when the type is simply absent (404). */
    private record Listed(ListResult result, ReadGap gap) {
        List<JsonNode> items() { return result == null || !result.ok() ? List.of() : result.items(); }
    }

    private final KubeClients clients;

    public ClusterReader(KubeClients clients) {
        this.clients = clients;
    }

    public List<EnvironmentSnapshot> read(List<Environment> envs) {
        List<CompletableFuture<EnvironmentSnapshot>> all = new ArrayList<>();
        for (Environment e : envs) {
            all.add(CompletableFuture.supplyAsync(() -> read(e)));
        }
        return all.stream().map(CompletableFuture::join).toList();
    }

    /** Never throws for cluster trouble: the snapshot's connection state, and its gaps, say what went wrong. */
    public EnvironmentSnapshot read(Environment env) {
        Set<String> secrets = clients.secrets();
        KubernetesClient client;
        try {
            client = clients.clientNow(env.context());
        } catch (RuntimeException e) {
            return EnvironmentSnapshot.empty(env, Failures.describe(e, clients.secrets()));
        }
        Http http = Http.of(client, secrets);
        CompletableFuture<ListResult> deployments = list(http, env, "/apis/apps/v1", "deployments");
        CompletableFuture<ListResult> rss = list(http, env, "/apis/apps/v1", "replicasets");
        CompletableFuture<ListResult> rollouts = list(http, env, "/apis/argoproj.io/v1alpha1", "rollouts");
        CompletableFuture<ListResult> namespaces = namespaces(http, env);
        CompletableFuture<ListResult> hpas = list(http, env, "/apis/autoscaling/v2", "horizontalpodautoscalers");
        CompletableFuture<ListResult> runs = list(http, env, "/apis/argoproj.io/v1alpha1", "analysisruns");
        ListResult d;
        try {
            d = deployments.join();
        } catch (CompletionException e) {
            return EnvironmentSnapshot.empty(env, Failures.describe(e, clients.secrets()));
        }
        if (!d.ok()) {
            return EnvironmentSnapshot.empty(env, Failures.http(d.status(), d.message(), clients.secrets()));
        }
        Listed r = optional(rss, "ReplicaSets", "replicasets.apps", false);
        Listed ro = optional(rollouts, "Rollouts", "rollouts.argoproj.io", true);
        Listed ns = optional(namespaces, "Namespaces", "namespaces", false);
        Listed h = optional(hpas, "HorizontalPodAutoscalers", "horizontalpodautoscalers.autoscaling", true);
        List<ReadGap> gaps = new ArrayList<>();
        for (Listed l : List.of(r, ro, ns, h)) {
            if (l.gap() != null) gaps.add(l.gap());
        }
        // AnalysisRuns only add detail to Rollouts: absent or refused, there are none (no gap)
        Listed ar = optional(runs, "AnalysisRuns", "analysisruns.argoproj.io", true);
        return SnapshotBuilder.build(env, ConnectionState.CONNECTED, new SnapshotBuilder.Inputs(d.items(), ro.items(),
                r.items(), ns.items(), h.items(), ro.result() != null && ro.result().ok(), gaps, ar.items()));
    }

    /** Waits for an optional list; a failure (other than 404 where the type may be absent) is a gap. */
    private Listed optional(CompletableFuture<ListResult> f, String kind, String resource, boolean mayBeAbsent) {
        try {
            ListResult lr = f.join();
            if (lr.ok() || lr.status() == 404 && mayBeAbsent) return new Listed(lr, null);
            return new Listed(lr, ReadGap.http(kind, resource, lr.status()));
        } catch (CompletionException e) {
            ConnectionState s = Failures.describe(e, clients.secrets());
            return new Listed(null, new ReadGap(kind, resource, 0, s.reason()));
        }
    }

    private static CompletableFuture<ListResult> list(Http http, Environment env, String prefix, String plural) {
        List<String> nss = env.explicitNamespaces();
        if (nss.isEmpty()) {
            return get(http, prefix + "/" + plural);
        }
        List<CompletableFuture<ListResult>> parts = new ArrayList<>();
        for (String ns : nss) parts.add(get(http, prefix + "/namespaces/" + ns + "/" + plural));
        return merged(parts);
    }

    /**
     * The namespaces an environment manages: all of them (a list) when it has no explicit list, else each one (a
     * get, which a team allowed to read only its own namespaces may be granted).
     */
    private static CompletableFuture<ListResult> namespaces(Http http, Environment env) {
        List<String> nss = env.explicitNamespaces();
        if (nss.isEmpty()) return get(http, "/api/v1/namespaces");
        List<CompletableFuture<ListResult>> parts = new ArrayList<>();
        for (String ns : nss) {
            // a managed namespace that does not exist (yet) has no labels: not a gap
            parts.add(http.getAsync("/api/v1/namespaces/" + ns).thenApply(resp -> resp.ok() ? new ListResult(List.of(resp.body()), resp.code(), "")
                    : resp.code() == 404 ? new ListResult(List.of(), 200, "") : new ListResult(List.of(), resp.code(), resp.message())));
        }
        return merged(parts);
    }

    /** The items of every part; the first refusal other than 404; 404 only when every part was. */
    private static CompletableFuture<ListResult> merged(List<CompletableFuture<ListResult>> parts) {
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<JsonNode> items = new ArrayList<>();
            for (CompletableFuture<ListResult> p : parts) {
                ListResult lr = p.join();
                if (!lr.ok() && lr.status() != 404) return lr;
                items.addAll(lr.items());
            }
            return new ListResult(items, parts.stream().allMatch(p -> p.join().status() == 404) ? 404 : 200, "");
        });
    }

    /** GET a list path and parse its items; HTTP failures come back as a status, no answer as a {@link ClusterException}. */
    public static CompletableFuture<ListResult> get(KubernetesClient client, String path) {
        return get(Http.of(client), path);
    }

    private static CompletableFuture<ListResult> get(Http http, String path) {
        return http.getAsync(path).thenApply(resp -> {
            if (!resp.ok()) return new ListResult(List.of(), resp.code(), resp.body() == null ? "" : resp.body().path("message").asText(""));
            List<JsonNode> items = new ArrayList<>();
            if (resp.body() != null) resp.body().path("items").forEach(items::add);
            return new ListResult(items, resp.code(), "");
        });
    }
}

package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.status.SnapshotBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads an environment once (list requests, in parallel) and builds its snapshot: what the CLI uses. The live
 * console uses {@link dev.shipdeck.core.live.LiveView} instead; both build snapshots the same way.
 */
public final class ClusterReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Result of one list request: items, or the HTTP status that refused it (404 = resource type absent). */
    public record ListResult(List<JsonNode> items, int status, String message) {
        boolean ok() { return status / 100 == 2; }
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

    /** Never throws for cluster trouble: the snapshot's connection state says what went wrong. */
    public EnvironmentSnapshot read(Environment env) {
        KubernetesClient client;
        try {
            client = clients.clientNow(env.context());
        } catch (ShipdeckException e) {
            return EnvironmentSnapshot.empty(env, ConnectionState.of(ConnectionState.Phase.FAILED, e.getMessage()));
        }
        try {
            CompletableFuture<ListResult> deployments = list(client, env, "/apis/apps/v1", "deployments");
            CompletableFuture<ListResult> rss = list(client, env, "/apis/apps/v1", "replicasets");
            CompletableFuture<ListResult> rollouts = list(client, env, "/apis/argoproj.io/v1alpha1", "rollouts");
            CompletableFuture<ListResult> namespaces = get(client, "/api/v1/namespaces");
            CompletableFuture<ListResult> hpas = list(client, env, "/apis/autoscaling/v2", "horizontalpodautoscalers");
            ListResult d = deployments.get(60, TimeUnit.SECONDS);
            if (!d.ok()) {
                return EnvironmentSnapshot.empty(env, Failures.http(d.status(), d.message(), clients.secrets()));
            }
            ListResult r = rss.get(60, TimeUnit.SECONDS);
            if (!r.ok()) {
                return EnvironmentSnapshot.empty(env, Failures.http(r.status(), r.message(), clients.secrets()));
            }
            ListResult ro = rollouts.get(60, TimeUnit.SECONDS);
            ListResult ns = namespaces.get(60, TimeUnit.SECONDS);
            ListResult h = hpas.get(60, TimeUnit.SECONDS);
            return SnapshotBuilder.build(env, ConnectionState.CONNECTED, new SnapshotBuilder.Inputs(d.items(), ro.ok() ? ro.items() : List.of(),
                    r.items(), ns.ok() ? ns.items() : List.of(), h.ok() ? h.items() : List.of(), ro.ok()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return EnvironmentSnapshot.empty(env, Failures.describe(e, clients.secrets()));
        }
    }

    private static CompletableFuture<ListResult> list(KubernetesClient client, Environment env, String prefix, String plural) {
        List<String> nss = env.explicitNamespaces();
        if (nss.isEmpty()) {
            return get(client, prefix + "/" + plural);
        }
        List<CompletableFuture<ListResult>> parts = new ArrayList<>();
        for (String ns : nss) parts.add(get(client, prefix + "/namespaces/" + ns + "/" + plural));
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

    /** GET a list path and parse its items; HTTP failures come back as a status, transport failures as an exception. */
    public static CompletableFuture<ListResult> get(KubernetesClient client, String path) {
        HttpClient http = client.getHttpClient();
        String base = client.getMasterUrl().toString().replaceAll("/$", "");
        HttpRequest req = http.newHttpRequestBuilder().uri(base + path).header("Accept", "application/json").build();
        return http.sendAsync(req, InputStream.class).thenApply(ClusterReader::parse);
    }

    private static ListResult parse(HttpResponse<InputStream> resp) {
        try (InputStream in = resp.body()) {
            JsonNode body = in == null ? null : JSON.readTree(in);
            if (resp.code() / 100 != 2) {
                String msg = body == null ? "" : body.path("message").asText("");
                return new ListResult(List.of(), resp.code(), msg);
            }
            List<JsonNode> items = new ArrayList<>();
            if (body != null) body.path("items").forEach(items::add);
            return new ListResult(items, resp.code(), "");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

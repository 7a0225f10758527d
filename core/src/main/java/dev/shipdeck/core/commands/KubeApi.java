package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.core.kube.Http;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Exact HTTP requests against one cluster (so the patch sent is the patch logged, byte for byte), through
 * {@link Http}: bounded by the client's request timeout; no answer is a {@link dev.shipdeck.core.kube.ClusterException}.
 */
final class KubeApi {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: HTTP status and parsed body (a Status object on errors). */
    record Response(int code, JsonNode body) {
        boolean ok() { return code / 100 == 2; }

        String message() {
            String m = body == null ? "" : body.path("message").asText("");
            return m.isEmpty() ? "HTTP " + code : m;
        }
    }

    private final Http http;

    KubeApi(KubernetesClient client) {
        this.http = Http.of(client);
    }

    Http http() {
        return http;
    }

    Response get(String path) {
        return send("GET", path, "", "");
    }

    Response send(String method, String path, String contentType, String body) {
        Http.Response r = http.send(method, path, contentType, body);
        return new Response(r.code(), r.body());
    }
}

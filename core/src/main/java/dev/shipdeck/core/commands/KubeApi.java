package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Exact HTTP requests against one cluster (so the patch sent is the patch logged, byte for byte). */
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

    private final KubernetesClient client;

    KubeApi(KubernetesClient client) {
        this.client = client;
    }

    Response get(String path) {
        return send("GET", path, "", "");
    }

    Response send(String method, String path, String contentType, String body) {
        HttpClient http = client.getHttpClient();
        String base = client.getMasterUrl().toString().replaceAll("/$", "");
        HttpRequest.Builder b = http.newHttpRequestBuilder().uri(base + path).header("Accept", "application/json");
        if (method.equals("GET")) {
            b.method("GET", null, null);
        } else {
            b.method(method, contentType, body);
        }
        try {
            HttpResponse<String> resp = http.sendAsync(b.build(), String.class).get(60, TimeUnit.SECONDS);
            String text = resp.body();
            JsonNode node = text == null || text.isBlank() ? null : parse(text);
            return new Response(resp.code(), node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", text.length() > 200 ? text.substring(0, 200) : text);
        }
    }
}

package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.core.model.ConnectionState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Exact HTTP requests against one context's API server (so the patch sent is the patch logged, byte for byte), each
 * bounded by the client's request timeout as a whole: connecting, TLS, waiting for the answer and reading it, and
 * any retries the client makes — the timeout is never multiplied by them. A request that gets no answer fails with a
 * {@link ClusterException} saying why (unreachable, timed out after 1s, TLS); an HTTP error is an answer.
 */
public final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    /** How long past the request timeout the deadline waits for the client's own timeout to fire first. */
    private static final long GRACE_MILLIS = 250;

    /** An answer: HTTP status and parsed body (a Status object on errors; the text as {@code message} when not JSON). */
    public record Response(int code, JsonNode body) {
        public boolean ok() { return code / 100 == 2; }

        /** The server's message, else {@code HTTP <code>}. */
        public String message() {
            String m = body == null ? "" : body.path("message").asText("");
            return m.isEmpty() ? "HTTP " + code : m;
        }
    }

    private final KubernetesClient client;
    private final Set<String> secrets;

    private Http(KubernetesClient client, Set<String> secrets) {
        this.client = client;
        this.secrets = secrets;
    }

    /** Requests through {@code client}; {@code secrets} are scrubbed from failure messages. */
    public static Http of(KubernetesClient client, Set<String> secrets) {
        return new Http(client, Set.copyOf(secrets));
    }

    public static Http of(KubernetesClient client) {
        return of(client, Set.of());
    }

    /** The request timeout of the client (zero: none). */
    public Duration timeout() {
        Integer ms = client.getConfiguration().getRequestTimeout();
        return ms == null || ms <= 0 ? Duration.ZERO : Duration.ofMillis(ms);
    }

    public CompletableFuture<Response> getAsync(String path) {
        return sendAsync("GET", path, "", "");
    }

    public Response get(String path) {
        return send("GET", path, "", "");
    }

    /** Sends and waits; throws a {@link ClusterException} when no answer came. */
    public Response send(String method, String path, String contentType, String body) {
        try {
            return sendAsync(method, path, contentType, body).join();
        } catch (CompletionException e) {
            throw Failures.exception(e, secrets);
        }
    }

    public CompletableFuture<Response> sendAsync(String method, String path, String contentType, String body) {
        HttpClient http = client.getHttpClient();
        String base = client.getMasterUrl().toString().replaceAll("/$", "");
        HttpRequest.Builder b = http.newHttpRequestBuilder().uri(base + path).header("Accept", "application/json");
        if (method.equals("GET")) {
            b.method("GET", null, null);
        } else {
            b.method(method, contentType, body);
        }
        Duration timeout = timeout();
        if (!timeout.isZero()) b.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = http.sendAsync(b.build(), byte[].class);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        if (!timeout.isZero()) sent = sent.orTimeout(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
        return sent.handle((resp, error) -> {
            if (error != null) throw failure(error, timeout);
            return new Response(resp.code(), parse(resp.body()));
        });
    }

    private ClusterException failure(Throwable error, Duration timeout) {
        ClusterException e = Failures.exception(error, secrets);
        ConnectionState s = e.state();
        if (s.phase() == ConnectionState.Phase.UNREACHABLE && s.reason().equals("timed out") && !timeout.isZero()) {
            return new ClusterException(ConnectionState.of(s.phase(), "timed out after " + Durations.format(timeout), s.hint()), e.getCause());
        }
        return e;
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) return null;
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return JSON.createObjectNode().put("message", text.length() > 200 ? text.substring(0, 200) : text);
        }
    }
}

package dev.shipdeck.sim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.Json;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * For tests: a plain HTTPS client for one context of a kubeconfig the simulated cluster wrote (its server, CA and
 * bearer token), as a third-party client would talk to the API server, in this process or against
 * {@code java -jar cluster-sim.jar} in another. {@link #faults()} drives the simulator's fault control endpoint.
 */
public final class SimHttp {
    /** One answer: status, headers and body. */
    public record Response(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            return Json.parse(body.getBytes(StandardCharsets.UTF_8));
        }

        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().isEmpty() ? null : e.getValue().get(0);
            }
            return null;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final URI server;
    private final String token;
    private final HttpClient client;

    private SimHttp(URI server, String token, SSLContext ssl) {
        this.server = server;
        this.token = token;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The current context of {@code kubeconfig}. */
    public static SimHttp fromKubeconfig(Path kubeconfig) {
        return fromKubeconfig(kubeconfig, null, null);
    }

    /**
     * {@code context} (null: the current context) of {@code kubeconfig}, authenticated as the user entry
     * {@code user} (null: the context's user; the sim writes {@code <cluster>-<user>} entries).
     */
    public static SimHttp fromKubeconfig(Path kubeconfig, String context, String user) {
        JsonNode cfg;
        try {
            cfg = Json.YAML.readTree(Files.readString(kubeconfig));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kubeconfig, e);
        }
        String ctxName = context != null ? context : cfg.path("current-context").asText();
        JsonNode ctx = named(cfg, "contexts", ctxName).path("context");
        JsonNode cluster = named(cfg, "clusters", ctx.path("cluster").asText()).path("cluster");
        JsonNode userEntry = named(cfg, "users", user != null ? user : ctx.path("user").asText()).path("user");
        return new SimHttp(URI.create(cluster.path("server").asText()), userEntry.path("token").asText(),
                trusting(Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText())));
    }

    private static JsonNode named(JsonNode cfg, String list, String name) {
        for (JsonNode e : cfg.path(list)) {
            if (name.equals(e.path("name").asText())) return e;
        }
        throw new IllegalArgumentException("no " + list + " entry named " + name);
    }

    private static SSLContext trusting(byte[] caPem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(caPem)));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the kubeconfig's CA", e);
        }
    }

    public URI server() { return server; }

    /** The same server and CA with another bearer token (empty: none). */
    public SimHttp withToken(String otherToken) {
        return new SimHttp(server, otherToken, client.sslContext());
    }

    public Response get(String path) {
        return send("GET", path, null, null, Map.of(), Duration.ofSeconds(30));
    }

    public Response post(String path, String contentType, String body) {
        return send("POST", path, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ofSeconds(30));
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null, Map.of(), Duration.ofSeconds(30));
    }

    /**
     * One request; {@code body} null sends none. Throws {@link IOException} (e.g. {@link java.net.ConnectException},
     * {@link java.net.http.HttpTimeoutException}) when the server cannot be reached or does not answer in time.
     */
    public Response send(String method, String path, String contentType, byte[] body, Map<String, String> headers, Duration timeout) {
        try {
            return sendOrThrow(method, path, contentType, body, headers, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + ": " + e, e);
        }
    }

    public Response sendOrThrow(String method, String path, String contentType, byte[] body, Map<String, String> headers,
                                Duration timeout) throws IOException {
        HttpResponse<byte[]> r = exchange(method, path, contentType, body, headers, timeout, HttpResponse.BodyHandlers.ofByteArray(), false);
        return new Response(r.statusCode(), r.headers().map(), new String(r.body(), StandardCharsets.UTF_8));
    }

    /** A GET whose body is read as it arrives (a watch): {@code timeout} bounds the wait for the headers; the caller closes the stream. */
    public HttpResponse<InputStream> stream(String path, Duration timeout) throws IOException {
        return exchange("GET", path, null, null, Map.of(), timeout, HttpResponse.BodyHandlers.ofInputStream(), true);
    }

    private <T> HttpResponse<T> exchange(String method, String path, String contentType, byte[] body, Map<String, String> headers,
                                         Duration timeout, HttpResponse.BodyHandler<T> handler, boolean streaming) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (!token.isEmpty()) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        headers.forEach(b::header);
        if (!streaming) {
            // the request timeout of java.net.http only covers the response headers: bound the body too
            var future = client.sendAsync(b.build(), handler);
            try {
                return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new HttpTimeoutException("no complete answer within " + timeout);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        try {
            return client.send(b.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The simulated cluster's fault control endpoint on this server ({@code /_sim/faults}). */
    public SimFaults faults() {
        return new SimFaults(this);
    }
}

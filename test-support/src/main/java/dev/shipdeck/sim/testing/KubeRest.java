package dev.shipdeck.sim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

/**
 * For tests: a minimal Kubernetes REST client (bearer token, the cluster's own CA) that sets up and inspects what a
 * test needs — the system under test never uses it, it connects through a kubeconfig like a user.
 */
public final class KubeRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String server;
    private final String token;
    private final HttpClient http;

    /** A failed request: its status code and the API server's message. */
    public static final class ApiError extends RuntimeException {
        private final int code;

        ApiError(String method, String path, int code, String body) {
            super(method + " " + path + " -> " + code + ": " + message(body));
            this.code = code;
        }

        public int code() {
            return code;
        }

        private static String message(String body) {
            try {
                JsonNode n = JSON.readTree(body);
                return n.path("message").asText(body);
            } catch (IOException e) {
                return body;
            }
        }
    }

    public KubeRest(String server, String caPem, String token) {
        this.server = server.replaceFirst("/+$", "");
        this.token = token;
        this.http = HttpClient.newBuilder().sslContext(trusting(caPem)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static SSLContext trusting(String caPem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
                ks.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the cluster's CA: " + e.getMessage(), e);
        }
    }

    /** GET; null on 404. */
    public JsonNode get(String path) {
        return send("GET", path, null, null, true);
    }

    public JsonNode post(String path, JsonNode body) {
        return send("POST", path, "application/json", body.toString(), false);
    }

    public JsonNode put(String path, JsonNode body) {
        return send("PUT", path, "application/json", body.toString(), false);
    }

    public JsonNode patch(String path, String contentType, String body) {
        return send("PATCH", path, contentType, body, false);
    }

    /** DELETE (background propagation); null on 404. */
    public JsonNode delete(String path) {
        return send("DELETE", path, "application/json", "{\"propagationPolicy\":\"Background\"}", true);
    }

    /**
     * One request; a 429 (the API server's "storage is (re)initializing" after a CRD changed, or a busy server) is
     * retried after its Retry-After for up to 30 s, as client-go does.
     */
    private JsonNode send(String method, String path, String contentType, String body, boolean nullOn404) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return sendOnce(method, path, contentType, body, nullOn404);
            } catch (ApiError e) {
                if (e.code() != 429 || System.nanoTime() > deadline) throw e;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private JsonNode sendOnce(String method, String path, String contentType, String body, boolean nullOn404) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
        if (r.statusCode() == 404 && nullOn404) return null;
        if (r.statusCode() / 100 != 2) throw new ApiError(method, path, r.statusCode(), r.body());
        try {
            return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON from " + method + " " + path, e);
        }
    }
}

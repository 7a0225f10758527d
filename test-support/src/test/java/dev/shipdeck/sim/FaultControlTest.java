package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.SimHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The faults a test in another process injects through {@code /_sim/faults}, each seen from outside as a client sees
 * it: latency, 5xx/429 bursts on one path with Retry-After, dropped watches, 410 Gone on watch, hang / refuse / drop,
 * an expired token; and who may use the endpoint.
 */
class FaultControlTest {
    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static SimHttp admin;
    private static SimHttp viewer;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").start();
        Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
        admin = SimHttp.fromKubeconfig(kubeconfig);
        viewer = SimHttp.fromKubeconfig(kubeconfig, null, "sim-" + ClusterSim.VIEWER);
        kubectl = new Kubectl(kubeconfig, dir.resolve("kube-cache"));
    }

    @AfterEach
    void clear() {
        admin.faults().clear();
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    private static SimHttp.Response get(SimHttp http, String path) throws IOException {
        return http.sendOrThrow("GET", path, null, null, Map.of(), Duration.ofSeconds(10));
    }

    @Test
    void latencyDelaysEveryRequestAndKubectlsRequestTimeoutGivesUp() throws IOException {
        admin.faults().inject("{\"latency\": \"5s\"}");

        long t0 = System.nanoTime();
        assertThat(get(admin, "/version").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));

        if (Kubectl.available()) {
            long k0 = System.nanoTime();
            Kubectl.Result r = kubectl.run("get", "configmaps", "--request-timeout=1s");
            assertThat(r.exitCode()).as("%s", r).isNotZero();
            assertThat(Duration.ofNanos(System.nanoTime() - k0)).as("gave up before the answer: %s", r).isLessThan(Duration.ofMillis(4500));
        }
        admin.faults().clear();
        long t1 = System.nanoTime();
        assertThat(get(admin, "/version").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aBurstOf503OnOnePathCarriesRetryAfterAndEndsAfterItsCount() throws IOException {
        JsonNode state = admin.faults().inject("{\"rules\": [{\"path\": \"/configmaps\", \"status\": 503, \"count\": 2, \"retryAfter\": 3}]}");
        assertThat(state.path("rules").get(0).path("count").asInt()).isEqualTo(2);

        assertThat(get(admin, "/api/v1/namespaces/default/secrets").status()).as("another path").isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            SimHttp.Response r = get(admin, CONFIGMAPS);
            assertThat(r.status()).as("%s", r).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("3");
            assertThat(r.json().path("reason").asText()).isEqualTo("ServiceUnavailable");
        }
        assertThat(get(admin, CONFIGMAPS).status()).as("after the burst").isEqualTo(200);
        assertThat(admin.faults().state().path("rules")).isEmpty();
    }

    @Test
    void a429IsTooManyRequestsWithRetryAfterOneByDefault() throws IOException {
        admin.faults().inject("{\"rules\": [{\"path\": \"/configmaps\", \"method\": \"GET\", \"status\": 429, \"count\": 1}]}");

        SimHttp.Response r = get(admin, CONFIGMAPS);

        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("Retry-After")).isEqualTo("1");
        assertThat(r.json().path("reason").asText()).isEqualTo("TooManyRequests");
    }

    @Test
    void kubectlReportsAnInjected500() {
        Kubectl.assumeAvailable();
        admin.faults().inject("{\"faults\": [\"path=/configmaps,status=500,count=1\"]}");

        Kubectl.Result r = kubectl.run("get", "configmaps");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).contains("Error from server (InternalError)").contains("injected server error (500)");
    }

    @Test
    void dropWatchesEndsOpenWatchStreamsOnceOrPeriodically() throws Exception {
        try (InputStream watch = openWatch()) {
            CompletableFuture<Boolean> ended = endOf(watch);
            admin.faults().inject("{\"dropWatches\": true}");
            assertThat(ended.get(10, TimeUnit.SECONDS)).as("the stream reached its end").isTrue();
        }
        admin.faults().inject("{\"dropWatchesEvery\": \"300ms\"}");
        for (int i = 0; i < 2; i++) {
            try (InputStream watch = openWatch()) {
                assertThat(endOf(watch).get(10, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(admin.faults().state().path("dropWatchesEvery").asText()).isEqualTo("300ms");
    }

    @Test
    void goneWatchesAndExpiredHistoryEndResumingWatchesWith410Expired() throws IOException {
        String rv = get(admin, CONFIGMAPS).json().path("metadata").path("resourceVersion").asText();
        admin.faults().inject("{\"goneWatches\": 1}");

        JsonNode first = firstWatchEvent(rv);
        assertThat(first.path("type").asText()).isEqualTo("ERROR");
        assertThat(first.path("object").path("code").asInt()).isEqualTo(410);
        assertThat(first.path("object").path("reason").asText()).isEqualTo("Expired");

        admin.faults().inject("{\"rules\": [{\"watch\": true, \"status\": 410, \"count\": 1}]}");
        assertThat(firstWatchEvent(rv).path("object").path("code").asInt()).as("a 410 rule on watches").isEqualTo(410);

        sim.cluster("sim").apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: after, namespace: default}\n");
        assertThat(firstWatchEvent(rv).path("type").asText()).as("the next watch resumes").isEqualTo("ADDED");

        admin.faults().inject("{\"expireWatchHistory\": true}");
        assertThat(firstWatchEvent(rv).path("object").path("code").asInt()).as("history compacted").isEqualTo(410);
    }

    @Test
    void hangAcceptsButNeverAnswersUntilClearedOrItsTimeIsUp() throws Exception {
        admin.faults().inject("{\"unreachable\": \"hang\"}");
        assertThatThrownBy(() -> admin.sendOrThrow("GET", "/version", null, null, Map.of(), Duration.ofSeconds(1)))
                .isInstanceOf(HttpTimeoutException.class);
        if (Kubectl.available()) {
            long t0 = System.nanoTime();
            Kubectl.Result r = kubectl.run("get", "ns", "--request-timeout=1s");
            assertThat(r.exitCode()).as("%s", r).isNotZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(admin.faults().state().path("unreachable").asText()).as("the endpoint still answers").isEqualTo("hang");
        admin.faults().clear();
        assertThat(get(admin, "/version").status()).isEqualTo(200);

        admin.faults().inject("{\"unreachable\": \"hang\", \"for\": \"1s\"}");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(admin, "/version").status() == 200);
    }

    @Test
    void refuseClosesThePortForAWhile() {
        JsonNode state = admin.faults().inject("{\"unreachable\": \"refuse\", \"for\": \"2s\"}");
        assertThat(state.path("unreachable").asText()).isEqualTo("refuse");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try {
                admin.sendOrThrow("GET", "/version", null, null, Map.of(), Duration.ofSeconds(2));
                return false;
            } catch (ConnectException refused) {
                return true;
            } catch (IOException other) {
                return false;
            }
        });
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(admin, "/version").status() == 200);
    }

    @Test
    void dropClosesConnectionsWithoutAnAnswer() throws IOException {
        admin.faults().inject("{\"unreachable\": \"drop\"}");

        assertThatThrownBy(() -> admin.sendOrThrow("GET", "/version", null, null, Map.of(), Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class).isNotInstanceOf(ConnectException.class);

        admin.faults().clear();
        assertThat(get(admin, "/version").status()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsUnauthorizedUntilRenewedAndTheAdminCanStillClear() throws IOException {
        admin.faults().inject("{\"expireToken\": \"viewer\"}");
        assertThat(get(viewer, CONFIGMAPS).status()).isEqualTo(401);
        assertThat(get(admin, CONFIGMAPS).status()).isEqualTo(200);
        if (Kubectl.available()) {
            Kubectl.Result r = kubectl.run("--user=sim-viewer", "get", "configmaps");
            assertThat(r.err()).as("%s", r).contains("error: You must be logged in to the server (Unauthorized)");
        }
        admin.faults().inject("{\"renewToken\": \"viewer\"}");
        assertThat(get(viewer, CONFIGMAPS).status()).isEqualTo(200);

        admin.faults().inject("{\"expireToken\": [\"admin\"]}");
        assertThat(get(admin, CONFIGMAPS).status()).isEqualTo(401);
        assertThat(admin.faults().clear().path("expiredTokens")).isEmpty();
        assertThat(get(admin, CONFIGMAPS).status()).isEqualTo(200);
    }

    @Test
    void onlyTheAdministratorMayUseTheEndpointAndMistakesAreNamed() throws IOException {
        SimHttp.Response asViewer = viewer.send("POST", "/_sim/faults", "application/json",
                "{\"latency\": \"1s\"}".getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ofSeconds(10));
        assertThat(asViewer.status()).isEqualTo(403);
        assertThat(asViewer.json().path("message").asText()).contains("only an administrator");
        assertThat(get(admin.withToken(""), "/_sim/faults").status()).isEqualTo(401);

        SimHttp.Response unknownKey = post("{\"latenzy\": \"1s\"}");
        assertThat(unknownKey.status()).isEqualTo(400);
        assertThat(unknownKey.json().path("message").asText()).contains("unknown key 'latenzy'").contains("latency");
        SimHttp.Response badStatus = post("{\"rules\": [{\"path\": \"/x\", \"status\": 700}]}");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().path("message").asText()).startsWith("rules[0]: status must be an HTTP error status");
        SimHttp.Response badDuration = post("{\"latency\": \"soon\"}");
        assertThat(badDuration.json().path("message").asText()).isEqualTo("latency: 'soon' is not a duration (like 500ms, 5s, 1m30s)");
        SimHttp.Response badUser = post("{\"latency\": \"1s\", \"expireToken\": \"nobody\"}");
        assertThat(badUser.json().path("message").asText()).contains("no simulated user named 'nobody'");
        assertThat(admin.faults().state().path("latency").asText()).as("a refused body changes nothing").isEqualTo("0s");
    }

    private static SimHttp.Response post(String body) {
        return admin.send("POST", "/_sim/faults", "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ofSeconds(10));
    }

    private static InputStream openWatch() throws IOException {
        HttpResponse<InputStream> r = admin.stream(CONFIGMAPS + "?watch=true", Duration.ofSeconds(10));
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Completes with true when the stream ends (the server closed it). */
    private static CompletableFuture<Boolean> endOf(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                while (in.read() >= 0) {
                    // drain events until the end
                }
                return true;
            } catch (IOException e) {
                return true;
            }
        });
    }

    /** The first event of a watch resumed from {@code rv} (the stream is closed after it). */
    private static JsonNode firstWatchEvent(String rv) throws IOException {
        HttpResponse<InputStream> r = admin.stream(CONFIGMAPS + "?watch=true&timeoutSeconds=5&resourceVersion=" + rv, Duration.ofSeconds(10));
        assertThat(r.statusCode()).isEqualTo(200);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line = in.readLine();
            assertThat(line).as("an event before the watch ended").isNotNull();
            return Json.parse(line.getBytes(StandardCharsets.UTF_8));
        }
    }
}

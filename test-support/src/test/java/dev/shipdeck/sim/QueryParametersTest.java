package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.testing.SimHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boolean and number query parameters read the way the API server decodes them into ListOptions
 * (apimachinery's {@code Convert_Slice_string_To_bool}: only {@code 0} and {@code false} in any case are false, any
 * other value — {@code True} as the official Python client sends it, {@code t}, even an empty one — is true), through
 * a plain HTTPS client as a third-party client talks to the server.
 */
class QueryParametersTest {
    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").start();
        sim.cluster("sim").apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: default}
                data: {color: blue}
                """);
        http = SimHttp.fromKubeconfig(sim.writeKubeconfig(dir.resolve("kubeconfig")));
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    /** A GET that gives up after 10 s (a list that became a watch by mistake would otherwise stream for 30 minutes). */
    private static SimHttp.Response list(String query) {
        return http.send("GET", CONFIGMAPS + "?" + query, null, null, Map.of(), Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"True", "true", "TRUE", "1", "t", "T", "yes", ""})
    void watchValuesThatAreNotFalseOpenAWatch(String value) {
        SimHttp.Response r = list("watch=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&timeoutSeconds=1");

        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode first = Json.parse(r.body().lines().findFirst().orElse("{}").getBytes(StandardCharsets.UTF_8));
        assertThat(first.path("type").asText()).as("first line of watch=%s: %s", value, r.body()).isEqualTo("ADDED");
        assertThat(first.path("object").path("metadata").path("name").asText()).isEqualTo("settings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "FALSE", "0"})
    void watchFalseIsAList(String value) {
        SimHttp.Response r = list("watch=" + value);

        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("kind").asText()).as("%s", r).isEqualTo("ConfigMapList");
        assertThat(r.json().path("items").get(0).path("metadata").path("name").asText()).isEqualTo("settings");
    }

    @Test
    void theFirstOfRepeatedValuesCounts() {
        assertThat(list("watch=false&watch=true").json().path("kind").asText()).isEqualTo("ConfigMapList");
    }

    @Test
    void allowWatchBookmarksTrueInPythonsSpellingSendsABookmark() {
        String rv = list("watch=0").json().path("metadata").path("resourceVersion").asText();

        SimHttp.Response r = list("watch=True&allowWatchBookmarks=True&timeoutSeconds=1&resourceVersion=" + rv);

        assertThat(r.body().lines().map(l -> Json.parse(l.getBytes(StandardCharsets.UTF_8)).path("type").asText()))
                .as("%s", r).contains("BOOKMARK");
    }

    @Test
    void aTimeoutThatIsNotANumberIsABadRequest() {
        SimHttp.Response r = list("watch=true&timeoutSeconds=soon");

        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json().path("reason").asText()).isEqualTo("BadRequest");
        assertThat(r.json().path("message").asText()).contains("timeoutSeconds").contains("soon");
    }

    @Test
    void aDryRunValueOtherThanAllIsInvalid() {
        SimHttp.Response r = http.post(CONFIGMAPS + "?dryRun=yes", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}");

        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.json().path("message").asText()).contains("dryRun: Unsupported value").contains("\"All\"");
        assertThat(http.get(CONFIGMAPS + "/dry").status()).isEqualTo(404);
    }

    @Test
    void dryRunAllCreatesNothing() {
        SimHttp.Response r = http.post(CONFIGMAPS + "?dryRun=All", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}");

        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(http.get(CONFIGMAPS + "/dry").status()).isEqualTo(404);
    }
}

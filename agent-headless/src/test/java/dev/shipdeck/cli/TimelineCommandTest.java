package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shipdeck timeline} against the demo clusters: order, statuses, previous versions and filters. */
class TimelineCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("demo").start();
        env = Map.of("KUBECONFIG", sim.writeKubeconfig(dir.resolve("kubeconfig")).toString(), "HOME", dir.toString());
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    private static List<JsonNode> timeline(String... filters) {
        List<String> args = new ArrayList<>(List.of("timeline", "-o", "json"));
        args.addAll(List.of(filters));
        Cli.Result r = Cli.run(env, args.toArray(String[]::new));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).as("%s", r).isEmpty();
        return Cli.items(r.json());
    }

    private static String key(JsonNode r) {
        return r.path("environment").asText() + "/" + r.path("component").asText() + " " + r.path("version").asText()
                + " " + r.path("status").asText();
    }

    @Test
    void releasesComeNewestFirstWithTheirFields() {
        List<JsonNode> all = timeline();

        assertThat(all).hasSizeGreaterThan(36);
        assertThat(JSON.convertValue(all.get(0), Map.class)).containsOnlyKeys("component", "environment", "version",
                "previousVersion", "status", "type", "startedAt", "endedAt", "source", "partial");
        assertThat(all).allSatisfy(r -> assertThat(r.path("partial").asBoolean()).isFalse());
        for (int i = 1; i < all.size(); i++) {
            Instant before = Instant.parse(all.get(i - 1).path("startedAt").asText());
            Instant now = Instant.parse(all.get(i).path("startedAt").asText());
            assertThat(now).as("release %d (%s) after %s", i, key(all.get(i)), key(all.get(i - 1))).isBeforeOrEqualTo(before);
        }
        assertThat(all).allSatisfy(r -> {
            assertThat(r.path("startedAt").asText()).endsWith("Z");
            assertThat(r.path("source").asText()).isEqualTo("derived");
            assertThat(r.path("type").asText()).isIn("DEPLOYMENT", "PROGRESSIVE");
        });
    }

    @Test
    void eachReleaseNamesTheVersionBeforeIt() {
        Map<String, List<JsonNode>> byComponent = new LinkedHashMap<>();
        for (JsonNode r : timeline()) {
            byComponent.computeIfAbsent(r.path("environment").asText() + "/" + r.path("component").asText(), k -> new ArrayList<>()).add(r);
        }

        assertThat(byComponent).hasSize(36);
        byComponent.forEach((component, newestFirst) -> {
            JsonNode oldest = newestFirst.get(newestFirst.size() - 1);
            assertThat(oldest.path("previousVersion").isNull()).as("%s: %s", component, oldest).isTrue();
            for (int i = 0; i < newestFirst.size() - 1; i++) {
                assertThat(newestFirst.get(i).path("previousVersion").asText()).as(component)
                        .isEqualTo(newestFirst.get(i + 1).path("version").asText());
            }
        });
    }

    @Test
    void theFailedReleaseAndThePausedCanariesHaveTheirStatus() {
        List<JsonNode> checkout = timeline("--component", "checkout", "--environment", "prod-eu");

        assertThat(checkout).extracting(r -> r.path("version").asText()).containsExactly("4.1.2", "4.1.0", "4.0.3");
        assertThat(checkout).extracting(r -> r.path("status").asText()).containsExactly("RUNNING", "SUCCESS", "SUCCESS");
        assertThat(checkout).allSatisfy(r -> assertThat(r.path("type").asText()).isEqualTo("PROGRESSIVE"));
        assertThat(checkout.get(0).path("endedAt").isNull()).isTrue();

        JsonNode failed = timeline("--component", "search-api", "--environment", "prod-eu").get(0);
        assertThat(key(failed)).isEqualTo("prod-eu/search-api 1.7.2 FAILED");
        assertThat(failed.path("previousVersion").asText()).isEqualTo("1.7.1");
        assertThat(failed.path("type").asText()).isEqualTo("DEPLOYMENT");
        assertThat(failed.path("endedAt").isNull()).isFalse();
    }

    @Test
    void statusFilterKeepsOnlyThatStatus() {
        assertThat(timeline("--status", "failed")).extracting(TimelineCommandTest::key).containsExactly("prod-eu/search-api 1.7.2 FAILED");
        assertThat(timeline("--status", "RUNNING")).extracting(TimelineCommandTest::key)
                .containsExactlyInAnyOrder("prod-eu/checkout 4.1.2 RUNNING", "staging/cart 8.1.0 RUNNING");
        assertThat(timeline("--status", "cancelled")).isEmpty();
    }

    @Test
    void limitKeepsTheNewest() {
        List<JsonNode> all = timeline();
        List<JsonNode> five = timeline("--limit", "5");

        assertThat(five).extracting(TimelineCommandTest::key).containsExactlyElementsOf(all.subList(0, 5).stream().map(TimelineCommandTest::key).toList());
        assertThat(timeline("--limit", "1000")).hasSize(all.size());
    }

    @Test
    void labelAndEnvironmentFiltersNarrowTheTimeline() {
        List<JsonNode> search = timeline("--label", "team:search", "--environment", "staging");

        assertThat(search).isNotEmpty().allSatisfy(r -> {
            assertThat(r.path("component").asText()).isIn("search-api", "indexer", "query-suggest");
            assertThat(r.path("environment").asText()).isEqualTo("staging");
        });
        assertThat(search).extracting(r -> r.path("component").asText()).contains("search-api", "indexer", "query-suggest");
    }

    @Test
    void tableShowsOneReleasePerLine() {
        Cli.Result r = Cli.run(env, "timeline", "--component", "search-api", "--environment", "prod-eu");

        assertThat(r.exitCode()).as("%s", r).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("COMPONENT\\s+ENVIRONMENT\\s+VERSION\\s+PREVIOUS\\s+STATUS\\s+TYPE\\s+STARTED\\s+ENDED\\s+SOURCE");
        assertThat(lines.get(1)).matches("search-api\\s+prod-eu\\s+1\\.7\\.2\\s+1\\.7\\.1\\s+FAILED\\s+DEPLOYMENT\\s+\\S+Z\\s+\\S+Z\\s+derived");
        assertThat(lines.get(lines.size() - 1)).matches("search-api\\s+prod-eu\\s+1\\.7\\.1\\s+<none>\\s+SUCCESS\\s+.*");
    }

    @Test
    void anUnknownComponentIsNotFound() {
        Cli.Result r = Cli.run(env, "timeline", "--component", "nope");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.errLines()).containsExactly(
                "error: component \"nope\" not found in prod-eu, staging, dev (run 'shipdeck components' to list them)");
        assertThat(r.out()).isEmpty();
    }
}

package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shipdeck environments}: connection states, counts, the environments file, and clusters that do not answer. */
class EnvironmentsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Path kubeconfig;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("demo").start();
        kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
        env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString());
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    @Test
    void everyContextIsAConnectedEnvironment() {
        Cli.Result r = Cli.run(env, "environments", "-o", "json");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.err()).isEmpty();
        List<JsonNode> envs = Cli.items(r.json());
        assertThat(envs).extracting(e -> e.path("name").asText()).containsExactly("prod-eu", "staging", "dev");
        assertThat(envs).allSatisfy(e -> {
            assertThat(JSON.convertValue(e, Map.class)).containsOnlyKeys("name", "context", "namespaces", "labels", "connection", "components", "partial");
            assertThat(e.path("partial").asBoolean()).as("every kind could be read").isFalse();
            assertThat(e.path("context").asText()).isEqualTo(e.path("name").asText());
            assertThat(e.path("namespaces").isArray()).isTrue();
            assertThat(e.path("namespaces")).isEmpty();
            assertThat(e.path("labels")).isEmpty();
            assertThat(e.path("connection").asText()).isEqualTo("connected");
            assertThat(e.path("components").asInt()).isEqualTo(12);
        });
    }

    @Test
    void tableListsOneEnvironmentPerLine() {
        Cli.Result r = Cli.run(env, "environments");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out().lines()).containsExactly(
                "NAME      CONTEXT   NAMESPACES   LABELS   CONNECTION   COMPONENTS",
                "prod-eu   prod-eu   *            <none>   connected    12",
                "staging   staging   *            <none>   connected    12",
                "dev       dev       *            <none>   connected    12");
    }

    @Test
    void theEnvironmentsFileNamesOrdersAndNarrowsEnvironments() throws Exception {
        Path file = Files.writeString(dir.resolve("environments.yaml"), """
                environments:
                  - context: dev
                    name: development
                    order: 1
                  - context: prod-eu
                    name: production
                    namespaces: [payments, "search*"]
                    labels: ["tier:prod"]
                    order: 2
                """);

        Cli.Result r = Cli.run(env, "environments", "-o", "json", "--environments-file", file.toString());

        assertThat(r.exitCode()).as("%s", r).isZero();
        List<JsonNode> envs = Cli.items(r.json());
        assertThat(envs).extracting(e -> e.path("name").asText()).containsExactly("development", "production", "staging");
        JsonNode prod = envs.get(1);
        assertThat(prod.path("context").asText()).isEqualTo("prod-eu");
        assertThat(Cli.items(prod.path("namespaces"))).extracting(JsonNode::asText).containsExactly("payments", "search*");
        assertThat(Cli.items(prod.path("labels"))).extracting(JsonNode::asText).containsExactly("tier:prod");
        assertThat(prod.path("components").asInt()).isEqualTo(7);

        Cli.Result components = Cli.run(env, "components", "-o", "json", "--environments-file", file.toString(), "--environment", "production");
        assertThat(Cli.items(components.json())).hasSize(7).allSatisfy(c -> {
            assertThat(c.path("environment").asText()).isEqualTo("production");
            assertThat(c.path("namespace").asText()).isIn("payments", "search");
        });
    }

    @Test
    void aClusterThatDoesNotAnswerIsUnreachableAndExitsFive() {
        Path dead = Kubeconfigs.unreachable(dir.resolve("dead.kubeconfig"), "dead");

        Cli.Result r = Cli.run(env, "environments", "--kubeconfig", dead.toString());

        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out().lines().toList().get(1)).matches("dead\\s+dead\\s+\\*\\s+<none>\\s+unreachable \\(connection refused\\)\\s+<unknown>");
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("error: environment dead: unreachable (connection refused) (check that the cluster is up");

        Cli.Result json = Cli.run(env, "environments", "--kubeconfig", dead.toString(), "-o", "json");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(json.json().get(0).path("connection").asText()).startsWith("unreachable");
        assertThat(json.json().get(0).path("components").isNull()).isTrue();

        Cli.Result components = Cli.run(env, "components", "--kubeconfig", dead.toString());
        assertThat(components.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(components.out()).isEmpty();
        assertThat(components.errLines()).singleElement().asString().startsWith("error: environment dead: unreachable");
    }

    @Test
    void theOthersArePrintedWhenOneEnvironmentIsUnreachable() {
        Path dead = Kubeconfigs.unreachable(dir.resolve("dead-too.kubeconfig"), "dead");
        Path both = Kubeconfigs.merged(dir.resolve("both.kubeconfig"), List.of(kubeconfig, dead));

        Cli.Result r = Cli.run(env, "components", "-o", "json", "--kubeconfig", both.toString());

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.errLines()).containsExactly("warning: environment dead: unreachable (connection refused)");
        assertThat(Cli.items(r.json())).hasSize(36);

        Cli.Result envs = Cli.run(env, "environments", "--kubeconfig", both.toString(), "-o", "json");
        assertThat(envs.exitCode()).isZero();
        assertThat(Cli.items(envs.json())).extracting(e -> e.path("name").asText() + " " + e.path("connection").asText())
                .containsExactly("prod-eu connected", "staging connected", "dev connected", "dead unreachable (connection refused)");
    }
}

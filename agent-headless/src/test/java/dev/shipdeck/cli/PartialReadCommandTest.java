package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Faults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo clusters with prod-eu's Rollouts list failing: {@code components}, {@code timeline} and
 * {@code environments} print what could be read, say on stderr what could not and why, mark the rows of prod-eu
 * {@code "partial": true} with the missing kind in JSON, and exit 7 when the missing kind was asked for. Before, the
 * Rollout components and every PROGRESSIVE release of prod-eu vanished with exit 0 and nothing on stderr.
 */
class PartialReadCommandTest {
    static final String WARNING = "warning: Rollouts could not be read in prod-eu (%s): components and releases from Rollouts are "
            + "missing; retry, or check the API server";

    @TempDir
    static Path dir;
    static ClusterSim sim;
    static Map<String, String> env;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("demo").start();
        env = Map.of("KUBECONFIG", sim.writeKubeconfig(dir.resolve("kubeconfig")).toString(), "HOME", dir.toString());
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    @AfterEach
    void clear() {
        faults().clear();
    }

    static Faults faults() {
        return sim.cluster("prod-eu").faults();
    }

    static void failRollouts(int status) {
        faults().fail(call -> call.path().contains("/rollouts"), status, Integer.MAX_VALUE);
    }

    static List<JsonNode> rows(Cli.Result r) {
        return Cli.items(r.json());
    }

    @ParameterizedTest(name = "Rollouts answer {0}")
    @CsvSource({"503, 503 Service Unavailable", "500, 500 Internal Server Error", "429, 429 Too Many Requests", "403, 403 Forbidden"})
    void componentsSayWhatIsMissingAndWhy(int status, String reason) {
        List<JsonNode> complete = rows(Cli.run(env, "components", "-o", "json"));
        failRollouts(status);

        Cli.Result r = Cli.run(env, "components", "-o", "json");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.errLines()).as("%s", r).containsExactly(String.format(WARNING, reason)
                .replace("retry, or check the API server", status == 403 ? "ask for permission to list rollouts.argoproj.io, or use another context"
                        : "retry, or check the API server"));
        List<JsonNode> partial = rows(r);
        List<String> expected = complete.stream()
                .filter(c -> !(c.path("environment").asText().equals("prod-eu") && c.path("kind").asText().equals("Rollout")))
                .map(c -> c.path("environment").asText() + "/" + c.path("name").asText()).toList();
        assertThat(partial).extracting(c -> c.path("environment").asText() + "/" + c.path("name").asText()).containsExactlyElementsOf(expected);
        assertThat(complete.size() - partial.size()).as("prod-eu's Rollouts are missing").isPositive();
        for (JsonNode c : partial) {
            boolean prod = c.path("environment").asText().equals("prod-eu");
            assertThat(c.path("partial").asBoolean()).as("%s", c).isEqualTo(prod);
            if (prod) {
                assertThat(c.path("missing")).hasSize(1);
                JsonNode m = c.path("missing").get(0);
                assertThat(m.path("kind").asText()).isEqualTo("Rollouts");
                assertThat(m.path("resource").asText()).isEqualTo("rollouts.argoproj.io");
                assertThat(m.path("code").asInt()).isEqualTo(status);
                assertThat(m.path("reason").asText()).isEqualTo(reason.substring(4));
            } else {
                assertThat(c.has("missing")).isFalse();
            }
        }
    }

    @Test
    void theTableHasTheDeploymentsAndTheWarningNamesTheEnvironment() {
        failRollouts(503);
        Cli.Result r = Cli.run(env, "components", "--environment", "prod-eu");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.errLines()).containsExactly(String.format(WARNING, "503 Service Unavailable"));
        assertThat(r.out()).contains("payments-api").doesNotContain("Rollout ");
    }

    @Test
    void askingForRolloutsWhileTheyCannotBeReadIsAnError() {
        failRollouts(503);
        Cli.Result r = Cli.run(env, "components", "--kind", "rollout", "-o", "json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.PARTIAL);
        assertThat(r.errLines()).containsExactly("error: the list of Rollout components may be incomplete: Rollouts could not be read in "
                + "prod-eu (503 Service Unavailable) (retry, or check the API server)");
        assertThat(rows(r)).as("the other environments' Rollouts are still listed").isNotEmpty()
                .allSatisfy(c -> {
                    assertThat(c.path("kind").asText()).isEqualTo("Rollout");
                    assertThat(c.path("environment").asText()).isNotEqualTo("prod-eu");
                });

        Cli.Result deployments = Cli.run(env, "components", "--kind", "deployment");
        assertThat(deployments.exitCode()).as("Deployments were not missing: %s", deployments).isEqualTo(ExitCodes.OK);
        assertThat(deployments.errLines()).singleElement().asString().startsWith("warning: Rollouts could not be read in prod-eu");
    }

    @Test
    void theTimelineKeepsTheDeploymentReleasesAndSaysTheProgressiveOnesAreMissing() {
        List<JsonNode> complete = rows(Cli.run(env, "timeline", "--environment", "prod-eu", "-o", "json"));
        assertThat(complete).anySatisfy(r -> assertThat(r.path("type").asText()).isEqualTo("PROGRESSIVE"));
        failRollouts(503);

        Cli.Result r = Cli.run(env, "timeline", "--environment", "prod-eu", "-o", "json");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.errLines()).containsExactly(String.format(WARNING, "503 Service Unavailable"));
        assertThat(rows(r)).isNotEmpty().allSatisfy(row -> {
            assertThat(row.path("type").asText()).isEqualTo("DEPLOYMENT");
            assertThat(row.path("partial").asBoolean()).isTrue();
        });
        assertThat(rows(r)).hasSize((int) complete.stream().filter(x -> x.path("type").asText().equals("DEPLOYMENT")).count());
    }

    @Test
    void theReleasesOfAComponentThatMayBeAMissingRolloutAreNotNotFound() {
        failRollouts(503);
        Cli.Result r = Cli.run(env, "timeline", "--component", "checkout", "--environment", "prod-eu");
        assertThat(r.exitCode()).as("not 'component not found' (3): %s", r).isEqualTo(ExitCodes.PARTIAL);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("error: the releases asked for may be incomplete: Rollouts could not be read in prod-eu (503 Service Unavailable)");
        assertThat(r.out()).isEmpty();

        Cli.Result kind = Cli.run(env, "timeline", "--kind", "rollout");
        assertThat(kind.exitCode()).as("%s", kind).isEqualTo(ExitCodes.PARTIAL);
        assertThat(kind.out()).contains("staging").doesNotContain("prod-eu");
    }

    @Test
    void environmentsShowWhichKindIsMissing() {
        failRollouts(503);
        Cli.Result r = Cli.run(env, "environments", "-o", "json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.errLines()).containsExactly(String.format(WARNING, "503 Service Unavailable"));
        JsonNode prod = rows(r).get(0);
        assertThat(prod.path("name").asText()).isEqualTo("prod-eu");
        assertThat(prod.path("connection").asText()).isEqualTo("connected, partial: Rollouts 503");
        assertThat(prod.path("partial").asBoolean()).isTrue();
        assertThat(prod.path("missing").get(0).path("kind").asText()).isEqualTo("Rollouts");
        assertThat(rows(r).subList(1, 3)).allSatisfy(e -> assertThat(e.path("partial").asBoolean()).isFalse());

        Cli.Result table = Cli.run(env, "environments");
        assertThat(table.out().lines().filter(l -> l.startsWith("prod-eu"))).singleElement().asString()
                .contains("connected, partial: Rollouts 503");
    }

    @Test
    void failingReplicaSetsKeepTheComponentsAndWarn() {
        faults().fail(call -> call.path().endsWith("/replicasets"), 500, Integer.MAX_VALUE);
        Cli.Result r = Cli.run(env, "components", "--environment", "prod-eu", "-o", "yaml");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.errLines()).containsExactly("warning: ReplicaSets could not be read in prod-eu (500 Internal Server Error): versions and "
                + "the release history derived from ReplicaSets are missing; retry, or check the API server");
        assertThat(r.out()).contains("name: payments-api").contains("partial: true").contains("kind: ReplicaSets");
    }

    @Test
    void aMissingCrdIsNotAPartialRead() {
        try (ClusterSim plain = ClusterSim.builder().clusters("plain").scenario("empty").start()) {
            Map<String, String> plainEnv = Map.of("KUBECONFIG", plain.writeKubeconfig(dir.resolve("plain.kubeconfig")).toString(),
                    "HOME", dir.toString());
            plain.cluster("plain").apply("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: catalog, namespace: shop, labels: {shipdeck.dev/component-name: catalog}}
                    spec:
                      selector: {matchLabels: {app: catalog}}
                      template:
                        metadata: {labels: {app: catalog}}
                        spec: {containers: [{name: app, image: "example/catalog:3.4.1"}]}
                    """);
            Cli.Result r = Cli.run(plainEnv, "components", "--kind", "rollout");
            assertThat(r.exitCode()).as("no Argo Rollouts here: none to list, %s", r).isEqualTo(ExitCodes.OK);
            assertThat(r.errLines()).containsExactly("No components found.");
        }
    }
}

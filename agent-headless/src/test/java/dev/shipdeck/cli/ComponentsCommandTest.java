package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.testing.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shipdeck components} against the demo clusters, with kubectl as the referee. */
class ComponentsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(60);

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

    private static List<JsonNode> components(String... filters) {
        String[] args = new String[filters.length + 3];
        args[0] = "components";
        args[1] = "-o";
        args[2] = "json";
        System.arraycopy(filters, 0, args, 3, filters.length);
        Cli.Result r = Cli.run(env, args);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).as("%s", r).isEmpty();
        return Cli.items(r.json());
    }

    private static JsonNode component(List<JsonNode> all, String environment, String name) {
        return all.stream().filter(c -> c.path("environment").asText().equals(environment) && c.path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no component " + environment + "/" + name + " in " + all));
    }

    @Test
    void jsonHasEveryComponentOfEveryEnvironmentWithItsFields() {
        List<JsonNode> all = components();

        assertThat(all).hasSize(36);
        assertThat(all.stream().map(c -> c.path("environment").asText()).distinct()).containsExactly("prod-eu", "staging", "dev");
        JsonNode api = component(all, "staging", "payments-api");
        assertThat(JSON.convertValue(api, Map.class)).containsOnlyKeys("name", "environment", "namespace", "kind", "version",
                "status", "labels", "readyReplicas", "desiredReplicas", "noWorkloadYet", "partial");
        assertThat(api.path("partial").asBoolean()).isFalse();
        assertThat(api.path("noWorkloadYet").asBoolean()).isFalse();
        assertThat(api.path("namespace").asText()).isEqualTo("payments");
        assertThat(api.path("kind").asText()).isEqualTo("Deployment");
        assertThat(api.path("version").asText()).isEqualTo("2.9.0");
        assertThat(api.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(Cli.items(api.path("labels")).stream().map(JsonNode::asText)).containsExactly("role:web", "team:payments", "tier:nonprod");
        assertThat(api.path("readyReplicas").asInt()).isEqualTo(3);
        assertThat(api.path("desiredReplicas").asInt()).isEqualTo(3);
        assertThat(component(all, "dev", "checkout").path("kind").asText()).isEqualTo("Rollout");
    }

    @Test
    void theDemoShowsItsFailedReleaseAndPausedCanaries() {
        List<JsonNode> all = components();

        assertThat(component(all, "prod-eu", "search-api").path("status").asText()).isEqualTo("FAILED");
        assertThat(component(all, "prod-eu", "checkout").path("status").asText()).isEqualTo("RUNNING");
        assertThat(component(all, "staging", "cart").path("status").asText()).isEqualTo("RUNNING");
        assertThat(all.stream().filter(c -> !c.path("status").asText().equals("SUCCESS"))
                .map(c -> c.path("environment").asText() + "/" + c.path("name").asText()))
                .containsExactlyInAnyOrder("prod-eu/search-api", "prod-eu/checkout", "staging/cart");
    }

    @Test
    void versionsAndReplicasAgreeWithKubectl() throws Exception {
        Kubectl.assumeAvailable();
        Kubectl kubectl = new Kubectl(kubeconfig, dir.resolve("kube-cache"));
        Map<String, String> expected = new TreeMap<>();
        for (String context : sim.contexts()) {
            Kubectl.Result r = kubectl.run(KUBECTL_TIMEOUT, "get", "deploy,rollouts", "-A", "-o", "json", "--context", context);
            assertThat(r.exitCode()).as("%s", r).isZero();
            for (JsonNode w : JSON.readTree(r.out()).path("items")) {
                JsonNode template = w.path("spec").path("template");
                String version = label(template, "version");
                if (version.isEmpty()) {
                    String image = template.path("spec").path("containers").path(0).path("image").asText();
                    version = image.substring(image.lastIndexOf(':') + 1);
                }
                String name = label(w, "component-name").isEmpty() ? label(template, "component-name") : label(w, "component-name");
                expected.put(context + "/" + name, version + " " + w.path("status").path("readyReplicas").asInt(0) + "/"
                        + w.path("spec").path("replicas").asInt(1));
            }
        }

        Map<String, String> actual = components().stream().collect(Collectors.toMap(
                c -> c.path("environment").asText() + "/" + c.path("name").asText(),
                c -> c.path("version").asText() + " " + c.path("readyReplicas").asInt() + "/" + c.path("desiredReplicas").asInt(),
                (a, b) -> a, TreeMap::new));

        assertThat(expected).hasSize(36);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void everyDeploymentStatusAgreesWithKubectlRolloutStatus() {
        Kubectl.assumeAvailable();
        Kubectl kubectl = new Kubectl(kubeconfig, dir.resolve("kube-cache"));
        List<JsonNode> deployments = components().stream().filter(c -> c.path("kind").asText().equals("Deployment")).toList();

        assertThat(deployments).hasSize(27);
        for (JsonNode c : deployments) {
            Kubectl.Result r = kubectl.run(KUBECTL_TIMEOUT, "rollout", "status", "deploy/" + c.path("name").asText(), "-n",
                    c.path("namespace").asText(), "--context", c.path("environment").asText(), "--timeout=1s");
            String kubectlSays;
            if (r.exitCode() == 0 && r.out().contains("successfully rolled out")) {
                kubectlSays = "SUCCESS";
            } else if ((r.out() + r.err()).contains("exceeded its progress deadline")) {
                kubectlSays = "FAILED";
            } else {
                kubectlSays = "RUNNING";
            }
            assertThat(c.path("status").asText()).as("%s/%s vs %s", c.path("environment").asText(), c.path("name").asText(), r)
                    .isEqualTo(kubectlSays);
        }
    }

    @Test
    void oneLabelKeepsOnlyThatTeam() {
        List<JsonNode> payments = components("--label", "team:payments");

        assertThat(payments).hasSize(12).allSatisfy(c -> assertThat(labels(c)).contains("team:payments"));
        assertThat(payments.stream().map(c -> c.path("name").asText()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("checkout", "payments-api", "ledger-worker", "fraud-scorer");
    }

    @Test
    void labelsWithTheSameKeyMatchEitherValue() {
        List<JsonNode> both = components("--label", "team:payments", "--label", "team:search");

        assertThat(both).hasSize(21).allSatisfy(c -> assertThat(labels(c)).containsAnyOf("team:payments", "team:search"));
        assertThat(both.stream().map(c -> c.path("name").asText()).collect(Collectors.toSet())).containsExactlyInAnyOrder(
                "checkout", "payments-api", "ledger-worker", "fraud-scorer", "search-api", "indexer", "query-suggest");
    }

    @Test
    void labelsWithDifferentKeysMustAllMatch() {
        List<JsonNode> workers = components("--label", "team:payments", "-l", "role:worker");

        assertThat(workers).hasSize(6).allSatisfy(c -> assertThat(labels(c)).contains("team:payments", "role:worker"));
        assertThat(workers.stream().map(c -> c.path("name").asText()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("ledger-worker", "fraud-scorer");
    }

    @Test
    void environmentOptionsSelectEnvironments() {
        List<JsonNode> some = components("--environment", "dev", "--environment", "staging");

        assertThat(some).hasSize(24);
        assertThat(some.stream().map(c -> c.path("environment").asText()).distinct()).containsExactly("staging", "dev");
        assertThat(components("--context", "prod-eu")).hasSize(12).allSatisfy(c -> assertThat(c.path("environment").asText()).isEqualTo("prod-eu"));
    }

    @Test
    void tableHasAnUpperCaseHeaderAndAlignedColumns() {
        Cli.Result r = Cli.run(env, "components", "--environment", "prod-eu", "--label", "team:search");

        assertThat(r.exitCode()).as("%s", r).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("NAME\\s+ENVIRONMENT\\s+NAMESPACE\\s+KIND\\s+VERSION\\s+STATUS\\s+READY\\s+LABELS");
        assertThat(lines.get(3)).matches("search-api\\s+prod-eu\\s+search\\s+Deployment\\s+1\\.7\\.2\\s+FAILED\\s+3/3\\s+role:web,team:search,tier:prod");
        int statusColumn = lines.get(0).indexOf("STATUS");
        assertThat(lines).allSatisfy(l -> assertThat(l.charAt(statusColumn - 1)).isEqualTo(' '));
        assertThat(lines.subList(1, 4)).allSatisfy(l -> assertThat(l.substring(statusColumn)).matches("(SUCCESS|FAILED|RUNNING) .*"));
    }

    @Test
    void aFilterThatMatchesNothingSaysSo() {
        Cli.Result r = Cli.run(env, "components", "--label", "team:nobody");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("No components found.");
        assertThat(Cli.run(env, "components", "--label", "team:nobody", "-o", "json").out().strip()).isEqualTo("[]");
    }

    /** A Shipdeck label of a workload or pod template, under either prefix Shipdeck reads. */
    private static String label(JsonNode obj, String name) {
        JsonNode labels = obj.path("metadata").path("labels");
        String v = labels.path("shipdeck.dev/" + name).asText("");
        return v.isEmpty() ? labels.path("circleci.com/" + name).asText("") : v;
    }

    private static Set<String> labels(JsonNode c) {
        return Cli.items(c.path("labels")).stream().map(JsonNode::asText).collect(Collectors.toSet());
    }
}

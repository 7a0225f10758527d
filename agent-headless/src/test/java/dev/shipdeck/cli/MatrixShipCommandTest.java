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
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code shipdeck matrix} and {@code shipdeck ship} against the demo clusters, with kubectl as the referee. */
class MatrixShipCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CONTEXTS = List.of("prod-eu", "staging", "dev");

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Map<String, String> env;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().scenario("demo").speed(20).start();
        // the audit records of prod-eu are kept in the cluster
        sim.cluster("prod-eu").apply(String.join("---\n", dev.shipdeck.core.records.Crds.yaml()));
        Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
        env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString());
        kubectl = new Kubectl(kubeconfig, dir.resolve("kube-cache"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    private static JsonNode kubectlJson(String... args) {
        Kubectl.Result r = kubectl.run(Duration.ofSeconds(60), args);
        assertThat(r.ok()).as("%s", r).isTrue();
        try {
            return JSON.readTree(r.out());
        } catch (java.io.IOException e) {
            throw new AssertionError(r.out(), e);
        }
    }

    /** environment/component → version, as kubectl reports the pod templates of the components' Deployments and Rollouts. */
    private static Map<String, String> kubectlVersions(String... only) {
        Map<String, String> out = new TreeMap<>();
        for (String ctx : CONTEXTS) {
            for (JsonNode w : kubectlJson("--context", ctx, "get", "deployments,rollouts", "-A", "-o", "json").path("items")) {
                // the component label on the workload, else on its pod template
                String comp = label(w.path("metadata").path("labels"), "component-name");
                if (comp.isEmpty() || only.length > 0 && !List.of(only).contains(comp)) continue;
                out.put(ctx + "/" + comp, label(w.path("spec").path("template").path("metadata").path("labels"), "version"));
            }
        }
        return out;
    }

    /** {@code shipdeck.dev/<key>}, else {@code circleci.com/<key>}. */
    private static String label(JsonNode labels, String key) {
        String v = labels.path("shipdeck.dev/" + key).asText();
        return v.isEmpty() ? labels.path("circleci.com/" + key).asText() : v;
    }

    private static JsonNode kubectlWorkload(String ctx, String kind, String ns, String name) {
        return kubectlJson("--context", ctx, "-n", ns, "get", kind, name, "-o", "json");
    }

    @Test
    void matrixJsonAgreesWithKubectlOnEveryCellInPromotionOrder() {
        Cli.Result r = Cli.run(env, "matrix", "-o", "json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).isEmpty();
        Map<String, String> fromMatrix = new TreeMap<>();
        for (JsonNode row : r.json()) {
            assertThat(Cli.items(row.path("cells")).stream().map(c -> c.path("environment").asText())).containsExactly("dev", "staging", "prod-eu");
            for (JsonNode c : row.path("cells")) {
                if (c.path("present").asBoolean()) fromMatrix.put(c.path("environment").asText() + "/" + row.path("component").asText(),
                        c.path("version").asText());
            }
        }
        assertThat(fromMatrix).hasSize(36).isEqualTo(kubectlVersions());
        // notifications carries the circleci.com/ labels: the matrix reads both domains as kubectl shows them
        // prod-eu runs the release before staging's: one behind, counted in staging's history
        JsonNode api = Cli.items(r.json()).stream().filter(x -> x.path("component").asText().equals("payments-api")).findFirst().orElseThrow();
        JsonNode prod = api.path("cells").get(2);
        assertThat(prod.path("previousEnvironment").asText()).isEqualTo("staging");
        assertThat(Cli.items(prod.path("highlights")).stream().map(JsonNode::asText)).containsExactly("BEHIND");
        assertThat(prod.path("releasesApart").asInt()).isEqualTo(1);
    }

    @Test
    void theTableMarksHighlightsInText() {
        Cli.Result r = Cli.run(env, "matrix", "-l", "team:search", "--environment", "prod-eu");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("COMPONENT\\s+PROD-EU");
        assertThat(lines).hasSize(4); // indexer, query-suggest, search-api
        assertThat(r.out()).contains("[BEHIND 1]").doesNotContain("payments-api");
        assertThat(lines.stream().filter(l -> l.startsWith("search-api")).findFirst().orElseThrow()).contains("FAILED");
    }

    @Test
    void shipDryRunPrintsTheExactPatchAndWritesNothing() {
        JsonNode before = kubectlWorkload("prod-eu", "deployment", "payments", "fraud-scorer");
        String rv = before.path("metadata").path("resourceVersion").asText();
        Cli.Result r = Cli.run(env, "ship", "fraud-scorer", "--from", "staging", "--to", "prod-eu", "--dry-run");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("ship fraud-scorer (prod-eu): PLANNED — ship 0.9.5 from staging to prod-eu",
                "PATCH /apis/apps/v1/namespaces/payments/deployments/fraud-scorer\nContent-Type: application/strategic-merge-patch+json\n"
                        + "{\"metadata\":{\"resourceVersion\":\"" + rv + "\"},\"spec\":{\"template\":{\"metadata\":{\"labels\":"
                        + "{\"shipdeck.dev/version\":\"0.9.5\"}},\"spec\":{\"containers\":[{\"name\":\"fraud-scorer\",\"image\":");
        assertThat(kubectlWorkload("prod-eu", "deployment", "payments", "fraud-scorer").path("metadata").path("resourceVersion").asText())
                .isEqualTo(rv);
    }

    @Test
    void shipOnARolloutStartsItsCanary() {
        JsonNode before = kubectlWorkload("prod-eu", "rollout", "search", "query-suggest");
        Cli.Result r = Cli.run(env, "ship", "query-suggest", "--from", "staging", "--to", "prod-eu", "--yes", "--reason", "train 7");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("SUCCEEDED");
        JsonNode prod = kubectlWorkload("prod-eu", "rollout", "search", "query-suggest");
        JsonNode staging = kubectlWorkload("staging", "rollout", "search", "query-suggest");
        JsonNode prodApp = prod.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(prodApp.path("image")).isEqualTo(staging.path("spec").path("template").path("spec").path("containers").get(0).path("image"));
        // replicas and env stay prod-eu's
        assertThat(prod.path("spec").path("replicas")).isEqualTo(before.path("spec").path("replicas"));
        assertThat(prodApp.path("env")).isEqualTo(before.path("spec").path("template").path("spec").path("containers").get(0).path("env"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Cli.Result t = Cli.run(env, "timeline", "--component", "query-suggest", "--environment", "prod-eu", "--limit", "1", "-o", "json");
            JsonNode newest = t.json().get(0);
            assertThat(newest.path("version").asText()).isEqualTo("0.5.0");
            assertThat(newest.path("status").asText()).isEqualTo("RUNNING");
            assertThat(newest.path("type").asText()).isEqualTo("PROGRESSIVE");
        });
        Cli.Result audit = Cli.run(env, "commands", "--environment", "prod-eu", "-o", "json");
        assertThat(audit.out()).contains("SHIP", "train 7");
    }

    @Test
    void badFlagsAndUnknownEnvironmentsAreOneErrorLine() {
        assertError(Cli.run(env, "ship", "cart", "--from", "staging"), ExitCodes.USAGE, "Missing required option: '--to=ENV'");
        assertError(Cli.run(env, "ship", "cart", "--from", "nowhere", "--to", "prod-eu", "--yes"), ExitCodes.NOT_FOUND, "unknown environment \"nowhere\"");
        assertError(Cli.run(env, "ship", "cart", "--from", "dev", "--to", "dev", "--yes"), ExitCodes.USAGE, "--from and --to are both dev");
        assertError(Cli.run(env, "ship", "nothing-here", "--from", "dev", "--to", "staging", "--yes"), ExitCodes.NOT_FOUND, "component \"nothing-here\" not found");
        assertError(Cli.run(env, "matrix", "--environment", "nowhere"), ExitCodes.NOT_FOUND, "unknown environment \"nowhere\"");
        assertError(Cli.run(env, "ship", "cart", "--from", "dev", "--to", "prod-eu"), ExitCodes.USAGE, "without confirmation");
    }

    private static void assertError(Cli.Result r, int code, String message) {
        assertThat(r.exitCode()).as("%s", r).isEqualTo(code);
        assertThat(r.errLines()).as("%s", r).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("error: ").contains(message).doesNotContain("Exception");
    }
}

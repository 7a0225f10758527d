package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Json;
import dev.shipdeck.sim.Resources;
import dev.shipdeck.sim.SimCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code shipdeck restore|scale|restart|promote|retry|cancel} against the demo clusters, as a person or CI runs them. */
class ActionCommandsTest {
    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Map<String, String> admin;
    private static Map<String, String> viewer;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("demo").speed(20).start();
        admin = Map.of("KUBECONFIG", sim.writeKubeconfig(dir.resolve("admin")).toString(), "HOME", dir.toString());
        viewer = Map.of("KUBECONFIG", sim.writeKubeconfig(dir.resolve("viewer"), ClusterSim.VIEWER).toString(), "HOME", dir.toString());
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    private static String resourceVersion(String cluster, String ns, String name) {
        return Json.str(sim.cluster(cluster).store().get(Resources.DEPLOYMENTS, ns, name), "", "metadata", "resourceVersion");
    }

    private static String version(String cluster, String ns, String name) {
        return Json.str(sim.cluster(cluster).store().get(Resources.DEPLOYMENTS, ns, name), "",
                "spec", "template", "metadata", "labels", "shipdeck.dev/version");
    }

    @Test
    void dryRunPrintsTheExactPatchAndWritesNothing() {
        String before = resourceVersion("staging", "search", "indexer");
        Cli.Result r = Cli.run(admin, "restore", "indexer", "--environment", "staging", "--dry-run");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("PLANNED", "PATCH /apis/apps/v1/namespaces/search/deployments/indexer",
                "Content-Type: application/json-patch+json", "\"path\":\"/spec/template\"", "\"path\":\"/metadata/annotations\"");
        assertThat(resourceVersion("staging", "search", "indexer")).isEqualTo(before);
    }

    @Test
    void withoutATerminalAndWithoutYesNothingHappens() {
        String before = resourceVersion("staging", "search", "indexer");
        Cli.Result r = Cli.run(admin, "restore", "indexer", "-e", "staging");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).singleElement().asString().startsWith("error: refusing to restore without confirmation").contains("--yes");
        assertThat(resourceVersion("staging", "search", "indexer")).isEqualTo(before);
    }

    @Test
    void restoreToAVersionChangesTheClusterAndSaysWhoDidIt() {
        Cli.Result r = Cli.run(admin, "restore", "fraud-scorer", "-e", "dev", "--to-version", "0.9.4", "--yes", "-o", "json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        JsonNode row = r.json().get(0);
        assertThat(row.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(row.path("who").asText()).isEqualTo("admin");
        assertThat(version("dev", "payments", "fraud-scorer")).isEqualTo("0.9.4");
    }

    @Test
    void aPrunedOrUnknownVersionIsRefusedWithExitFour() {
        Cli.Result r = Cli.run(admin, "restore", "catalog", "-e", "dev", "--to-version", "0.0.1", "--yes");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("version 0.0.1").doesNotContain("Exception");
    }

    @Test
    void theReadOnlyUserIsRefusedBeforeAnyWrite() {
        String before = resourceVersion("dev", "storefront", "catalog");
        Cli.Result r = Cli.run(viewer, "restart", "catalog", "-e", "dev", "--yes");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("RBAC", "viewer", "may not patch deployments");
        assertThat(resourceVersion("dev", "storefront", "catalog")).isEqualTo(before);
    }

    @Test
    void scaleIsRefusedWhileTheAutoscalerManagesItAndForcedWithAWarning() {
        Cli.Result refused = Cli.run(admin, "scale", "payments-api", "-e", "prod-eu", "--replicas", "4", "--yes");
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).contains("error: scaled by HorizontalPodAutoscaler payments-api (min ");
        Cli.Result r = Cli.run(admin, "scale", "payments-api", "-e", "prod-eu", "--replicas", "4", "--force", "--yes");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).contains("warning: HorizontalPodAutoscaler payments-api (min ");
        assertThat(sim.cluster("prod-eu").store().get(Resources.DEPLOYMENTS, "payments", "payments-api").at("/spec/replicas").asInt()).isEqualTo(4);
    }

    @Test
    void promoteCancelAndRetryMoveTheCanary() {
        SimCluster staging = sim.cluster("staging");
        Cli.Result promote = Cli.run(admin, "promote", "cart", "-e", "staging", "--yes");
        assertThat(promote.exitCode()).as("%s", promote).isEqualTo(ExitCodes.OK);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                staging.store().get(staging.rollouts(), "storefront", "cart").at("/status/currentStepIndex").asInt() >= 2);

        Cli.Result retryTooEarly = Cli.run(admin, "retry", "cart", "-e", "staging", "--yes");
        assertThat(retryTooEarly.exitCode()).as("%s", retryTooEarly).isEqualTo(ExitCodes.REFUSED);
        assertThat(retryTooEarly.err()).contains("only an aborted rollout can be retried");
    }

    @Test
    void unknownComponentAndEnvironmentExitWithThree() {
        assertThat(Cli.run(admin, "scale", "nope", "-e", "dev", "--replicas", "1", "--yes").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        Cli.Result r = Cli.run(admin, "scale", "catalog", "-e", "nowhere", "--replicas", "1", "--yes");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("unknown environment \"nowhere\"");
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Cli.Result neg = Cli.run(admin, "scale", "catalog", "-e", "dev", "--replicas", "-1", "--yes");
        assertThat(neg.exitCode()).isEqualTo(ExitCodes.USAGE);
        Cli.Result both = Cli.run(admin, "restore", "catalog", "-e", "dev", "--to-version", "1", "--to-revision", "2");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.errLines()).first().asString().startsWith("error:");
    }
}

package dev.shipdeck.sim;

import dev.shipdeck.sim.testing.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Mistakes come back as the API server's errors, promptly: 404, 422, 415. */
class KubectlErrorsTest {
    /** Far below the time a hung request would take: an error must come back at once. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().scenario("empty").speed(10).start();
        sim.cluster("sim").installRolloutsCrd();
        kubectl = new Kubectl(sim.writeKubeconfig(dir.resolve("kubeconfig")), dir.resolve("kube-cache"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void getOfAMissingDeploymentIsNotFound() {
        Kubectl.Result r = kubectl.run(PROMPTLY, "get", "deploy", "nope", "--request-timeout=10s");

        assertThat(r.timedOut()).as("%s", r).isFalse();
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("Error from server (NotFound): deployments.apps \"nope\" not found");
    }

    @Test
    void aDeploymentWhoseSelectorDoesNotMatchItsLabelsIsInvalid() {
        String yaml = TestManifests.deployment("mismatched", "registry.example.com/mismatched:1.0.0", 1)
                .replace("      labels:\n        app: mismatched", "      labels:\n        app: other");
        Path file = TestManifests.write(dir, "mismatched.yaml", yaml);

        Kubectl.Result r = kubectl.run(PROMPTLY, "create", "-f", file.toString(), "--request-timeout=10s", "-v=6");

        assertThat(r.timedOut()).as("%s", r).isFalse();
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).containsPattern("POST https://127\\.0\\.0\\.1:\\d+/apis/apps/v1/namespaces/default/deployments\\S* 422 ")
                .contains("Deployment.apps \"mismatched\" is invalid: spec.template.metadata.labels: Invalid value: ")
                .contains("`selector` does not match template `labels`");
        Kubectl.Result get = kubectl.run(PROMPTLY, "get", "deploy", "mismatched", "--request-timeout=10s");
        assertThat(get.err()).as("%s", get).contains("NotFound");
    }

    /** Found by the real tier: a real API server refuses maxSurge "1" (a string that is not a percentage). */
    @Test
    void aRollingUpdateWithANumberAsTextIsInvalid() {
        String yaml = TestManifests.deployment("surge", "registry.example.com/surge:1.0.0", 1, Map.of(),
                "strategy: {rollingUpdate: {maxSurge: \"1\", maxUnavailable: 0}}");
        Path file = TestManifests.write(dir, "surge.yaml", yaml);

        Kubectl.Result r = kubectl.run(PROMPTLY, "create", "-f", file.toString(), "--request-timeout=10s");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).contains("Deployment.apps \"surge\" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: \"1\": "
                + "a valid percent string must be a numeric string followed by an ending '%'");
    }

    @Test
    void aStrategicMergePatchOnARolloutIsUnsupportedMediaType() {
        Path file = TestManifests.write(dir, "smp.yaml", TestManifests.canaryRollout("smp", "registry.example.com/smp:1.0.0", false));
        assertThat(kubectl.out("apply", "-f", file.toString()).strip()).isEqualTo("rollout.argoproj.io/smp created");

        Kubectl.Result r = kubectl.run(PROMPTLY, "patch", "rollout", "smp", "--type=strategic", "-p", "{\"spec\":{\"paused\":true}}",
                "--request-timeout=10s", "-v=6");

        assertThat(r.timedOut()).as("%s", r).isFalse();
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).containsPattern("PATCH https://127\\.0\\.0\\.1:\\d+/apis/argoproj\\.io/v1alpha1/namespaces/default/rollouts/smp\\S* 415 Unsupported Media Type")
                .contains("error: application/strategic-merge-patch+json is not supported by argoproj.io/v1alpha1, Kind=Rollout");
        assertThat(kubectl.out("get", "rollout", "smp", "-o", "jsonpath={.spec.paused}")).isEqualTo("false");
    }

    @Test
    void rawGetOfAnUnknownGroupIsNotFound() {
        Kubectl.Result r = kubectl.run(PROMPTLY, "get", "--raw", "/apis/nope", "--request-timeout=10s");

        assertThat(r.timedOut()).as("%s", r).isFalse();
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("Error from server (NotFound): the server could not find the requested resource");
    }
}

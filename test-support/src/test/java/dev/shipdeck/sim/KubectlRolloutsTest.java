package dev.shipdeck.sim;

import dev.shipdeck.sim.testing.Kubectl;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Rollout CRD through kubectl: runtime discovery, and the exact merge patches the Argo Rollouts kubectl plugin
 * sends for promote, promote --full, abort and retry, each followed through {@code kubectl get -o jsonpath}.
 */
class KubectlRolloutsTest {
    private static final String VIEW = "jsonpath={.status.phase}|{.status.currentStepIndex}|{.status.stableRS}"
            + "|{.status.currentPodHash}|{.status.abort}|{.status.pauseConditions[*].reason}|{.spec.paused}|{.status.message}";

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().clusters("sim", "crd").scenario("empty").speed(10).start();
        sim.cluster("sim").installRolloutsCrd();
        kubectl = new Kubectl(sim.writeKubeconfig(dir.resolve("kubeconfig")), dir.resolve("kube-cache"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** What the tests read back from a Rollout. */
    private record View(String phase, String step, String stableRS, String currentPodHash, String abort,
                        String pauseReasons, String paused, String message) {}

    private static View view(String name) {
        String[] f = kubectl.out("get", "rollout", name, "-o", VIEW).split("\\|", -1);
        assertThat(f).as("fields of %s", String.join("|", f)).hasSize(8);
        return new View(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250));
    }

    private static void apply(String name, String image, boolean paused, String expected) {
        Path file = TestManifests.write(dir, name + ".yaml", TestManifests.canaryRollout(name, image, paused));
        assertThat(kubectl.out("apply", "-f", file.toString()).strip()).isEqualTo("rollout.argoproj.io/" + name + " " + expected);
    }

    /** Creates the Rollout at version 1 and waits until it is Healthy; returns its stable hash. */
    private static String healthy(String name) {
        apply(name, "registry.example.com/" + name + ":1.0.0", false, "created");
        eventually().untilAsserted(() -> {
            View v = view(name);
            assertThat(v.phase()).as("%s", v).isEqualTo("Healthy");
            assertThat(v.step()).as("%s", v).isEqualTo("3");
            assertThat(v.stableRS()).as("%s", v).isNotEmpty().isEqualTo(v.currentPodHash());
        });
        return view(name).stableRS();
    }

    /** Ships version 2 and waits until the canary pauses at step 1 ({@code pause: {}}); returns the canary hash. */
    private static String pausedOnVersion2(String name, String stable) {
        apply(name, "registry.example.com/" + name + ":2.0.0", false, "configured");
        eventually().untilAsserted(() -> {
            View v = view(name);
            assertThat(v.phase()).as("%s", v).isEqualTo("Paused");
            assertThat(v.step()).as("%s", v).isEqualTo("1");
            assertThat(v.pauseReasons()).as("%s", v).isEqualTo("CanaryPauseStep");
            assertThat(v.currentPodHash()).as("%s", v).isNotEqualTo(stable);
        });
        String canary = view(name).currentPodHash();
        assertThat(replicas(name, canary)).isEqualTo("1");
        assertThat(replicas(name, stable)).isEqualTo("4");
        return canary;
    }

    private static String replicas(String rollout, String hash) {
        return kubectl.out("get", "rs", rollout + "-" + hash, "-o", "jsonpath={.spec.replicas}");
    }

    private static void patch(String name, boolean status, String body) {
        String out = status
                ? kubectl.out("patch", "rollout", name, "--subresource=status", "--type=merge", "-p", body)
                : kubectl.out("patch", "rollout", name, "--type=merge", "-p", body);
        assertThat(out.strip()).isEqualTo("rollout.argoproj.io/" + name + " patched");
    }

    private static void assertFullyPromoted(String name, String canary, String oldStable) {
        eventually().untilAsserted(() -> {
            View v = view(name);
            assertThat(v.phase()).as("%s", v).isEqualTo("Healthy");
            assertThat(v.step()).as("%s", v).isEqualTo("3");
            assertThat(v.stableRS()).as("%s", v).isEqualTo(canary).isEqualTo(v.currentPodHash());
            assertThat(replicas(name, canary)).isEqualTo("5");
            assertThat(replicas(name, oldStable)).isEqualTo("0");
        });
    }

    @Test
    void aCrdAppliedAtRuntimeIsPickedUpByDiscovery() throws IOException {
        Kubectl.Result before = kubectl.run("--context", "crd", "get", "rollouts");
        assertThat(before.exitCode()).as("%s", before).isEqualTo(1);
        assertThat(before.err()).contains("the server doesn't have a resource type \"rollouts\"");

        String crd;
        try (InputStream in = SimCluster.class.getResourceAsStream("crds/rollouts.argoproj.io.yaml")) {
            assertThat(in).as("the CRD resource").isNotNull();
            crd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = TestManifests.write(dir, "rollouts-crd.yaml", crd);
        assertThat(kubectl.out("--context", "crd", "apply", "-f", file.toString()).strip())
                .isEqualTo("customresourcedefinition.apiextensions.k8s.io/rollouts.argoproj.io created");

        Kubectl.Result after = kubectl.run("--context", "crd", "get", "rollouts");
        assertThat(after.ok()).as("%s", after).isTrue();
        assertThat(after.err().strip()).isEqualTo("No resources found in default namespace.");
        assertThat(kubectl.out("--context", "crd", "api-resources", "--api-group=argoproj.io").lines())
                .anyMatch(l -> l.matches("rollouts\\s+ro\\s+argoproj\\.io/v1alpha1\\s+true\\s+Rollout"));
        assertThat(kubectl.out("--context", "crd", "get", "crd", "rollouts.argoproj.io",
                "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}")).isEqualTo("True");
    }

    @Test
    void getRolloutsListsThemWithTheCrdColumns() {
        healthy("listed");

        String table = kubectl.out("get", "rollouts");
        assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("NAME", "DESIRED", "CURRENT", "UP-TO-DATE", "AVAILABLE", "AGE");
        assertThat(table.lines()).anyMatch(l -> l.matches("listed\\s+5\\s+5\\s+5\\s+5\\s+\\S+"));
    }

    @Test
    void promoteClearsThePauseConditionAndTheCanaryMovesOnToCompletion() {
        String stable = healthy("promoted");
        String canary = pausedOnVersion2("promoted", stable);

        // kubectl argo rollouts promote, paused at a pause step: clear the pause conditions on the status
        patch("promoted", true, "{\"status\":{\"pauseConditions\":null}}");

        assertFullyPromoted("promoted", canary, stable);
    }

    @Test
    void promoteOfAManuallyPausedRolloutUnpausesItAndMovesToTheNextStep() {
        String stable = healthy("manual");
        apply("manual", "registry.example.com/manual:2.0.0", true, "configured");
        eventually().untilAsserted(() -> {
            View v = view("manual");
            assertThat(v.phase()).as("%s", v).isEqualTo("Paused");
            assertThat(v.paused()).as("%s", v).isEqualTo("true");
            assertThat(v.step()).as("%s", v).isEqualTo("0");
            assertThat(v.pauseReasons()).as("%s", v).isEmpty();
            assertThat(v.currentPodHash()).as("%s", v).isNotEqualTo(stable);
        });

        // kubectl argo rollouts promote, spec.paused and no pause condition: the next step index on the status,
        // then the unpause on the spec
        patch("manual", true, "{\"status\":{\"pauseConditions\":null, \"currentStepIndex\":1}}");
        patch("manual", false, "{\"spec\":{\"paused\":false}}");

        eventually().untilAsserted(() -> {
            View v = view("manual");
            assertThat(v.paused()).as("%s", v).isEqualTo("false");
            assertThat(v.step()).as("%s", v).isEqualTo("1");
            assertThat(v.phase()).as("%s", v).isEqualTo("Paused");
            assertThat(v.pauseReasons()).as("%s", v).isEqualTo("CanaryPauseStep");
        });
        String canary = view("manual").currentPodHash();
        patch("manual", true, "{\"status\":{\"pauseConditions\":null}}");
        assertFullyPromoted("manual", canary, stable);
    }

    @Test
    void promoteFullSkipsTheRemainingSteps() {
        String stable = healthy("full");
        String canary = pausedOnVersion2("full", stable);

        // kubectl argo rollouts promote --full
        patch("full", true, "{\"status\":{\"promoteFull\":true}}");

        assertFullyPromoted("full", canary, stable);
        assertThat(kubectl.out("get", "rollout", "full", "-o", "jsonpath={.status.promoteFull}")).isEmpty();
    }

    @Test
    void abortRevertsToTheStableVersionAndRetryResumesTheCanary() {
        String stable = healthy("aborted");
        String canary = pausedOnVersion2("aborted", stable);

        // kubectl argo rollouts abort
        patch("aborted", true, "{\"status\":{\"abort\":true}}");

        eventually().untilAsserted(() -> {
            View v = view("aborted");
            assertThat(v.phase()).as("%s", v).isEqualTo("Degraded");
            assertThat(v.abort()).as("%s", v).isEqualTo("true");
            assertThat(v.message()).as("%s", v).startsWith("RolloutAborted");
            assertThat(v.step()).as("%s", v).isEqualTo("0");
            assertThat(v.stableRS()).as("%s", v).isEqualTo(stable);
            assertThat(replicas("aborted", canary)).isEqualTo("0");
            assertThat(replicas("aborted", stable)).isEqualTo("5");
        });

        // kubectl argo rollouts retry
        patch("aborted", true, "{\"status\":{\"abort\":false}}");

        eventually().untilAsserted(() -> {
            View v = view("aborted");
            assertThat(v.abort()).as("%s", v).isNotEqualTo("true");
            assertThat(v.phase()).as("%s", v).isEqualTo("Paused");
            assertThat(v.step()).as("%s", v).isEqualTo("1");
            assertThat(v.pauseReasons()).as("%s", v).isEqualTo("CanaryPauseStep");
            assertThat(v.currentPodHash()).as("%s", v).isEqualTo(canary);
            assertThat(replicas("aborted", canary)).isEqualTo("1");
            assertThat(replicas("aborted", stable)).isEqualTo("4");
        });
    }
}

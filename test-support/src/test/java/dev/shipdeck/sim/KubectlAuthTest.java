package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.testing.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication and authorization as kubectl sees them: can-i, whoami, 401 for a bad token, 403 for the viewer. */
class KubectlAuthTest {
    private static final String VIEWER = "--user=sim-" + ClusterSim.VIEWER;

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().scenario("empty").speed(10).start();
        sim.cluster("sim").apply(TestManifests.deployment("guarded", "registry.example.com/guarded:1.0.0", 2));
        kubectl = new Kubectl(sim.writeKubeconfig(dir.resolve("kubeconfig")), dir.resolve("kube-cache"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void canIAnswersPerUser() {
        Kubectl.Result adminPatch = kubectl.run("auth", "can-i", "patch", "deployments");
        assertThat(adminPatch.exitCode()).as("%s", adminPatch).isZero();
        assertThat(adminPatch.out().strip()).isEqualTo("yes");

        Kubectl.Result viewerPatch = kubectl.run(VIEWER, "auth", "can-i", "patch", "deployments");
        assertThat(viewerPatch.exitCode()).as("%s", viewerPatch).isEqualTo(1);
        assertThat(viewerPatch.out().strip()).startsWith("no");

        Kubectl.Result viewerScale = kubectl.run(VIEWER, "auth", "can-i", "update", "deployments", "--subresource=scale");
        assertThat(viewerScale.exitCode()).as("%s", viewerScale).isEqualTo(1);
        assertThat(viewerScale.out().strip()).startsWith("no");

        Kubectl.Result viewerList = kubectl.run(VIEWER, "auth", "can-i", "list", "deployments");
        assertThat(viewerList.exitCode()).as("%s", viewerList).isZero();
        assertThat(viewerList.out().strip()).isEqualTo("yes");
    }

    @Test
    void whoamiNamesTheUserAndGroups() throws Exception {
        String admin = kubectl.out("auth", "whoami");
        assertThat(admin.lines().map(String::strip)).anyMatch(l -> l.matches("ATTRIBUTE\\s+VALUE"))
                .anyMatch(l -> l.matches("Username\\s+admin"))
                .anyMatch(l -> l.matches("Groups\\s+\\[system:masters system:authenticated]"));

        JsonNode viewer = Json.MAPPER.readTree(kubectl.out(VIEWER, "auth", "whoami", "-o", "json"));
        assertThat(viewer.path("kind").asText()).isEqualTo("SelfSubjectReview");
        assertThat(viewer.path("status").path("userInfo").path("username").asText()).isEqualTo(ClusterSim.VIEWER);
    }

    @Test
    void aWrongTokenIsUnauthorized() {
        Kubectl.Result r = kubectl.run("--token", "bad", "get", "deploy");

        assertThat(r.timedOut()).as("%s", r).isFalse();
        assertThat(r.exitCode()).as("%s", r).isNotZero();
        assertThat(r.err()).contains("error: You must be logged in to the server (Unauthorized)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void theViewerMayReadButPatchAndScaleAreForbidden() {
        assertThat(kubectl.out(VIEWER, "get", "deploy", "guarded", "-o", "jsonpath={.spec.replicas}")).isEqualTo("2");

        Kubectl.Result patch = kubectl.run(VIEWER, "patch", "deploy", "guarded", "-p", "{\"spec\":{\"replicas\":5}}");
        assertThat(patch.exitCode()).as("%s", patch).isEqualTo(1);
        assertThat(patch.err().strip()).isEqualTo("Error from server (Forbidden): deployments.apps \"guarded\" is forbidden: "
                + "User \"viewer\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"default\"");

        Kubectl.Result scale = kubectl.run(VIEWER, "scale", "deploy/guarded", "--replicas=5");
        assertThat(scale.exitCode()).as("%s", scale).isEqualTo(1);
        assertThat(scale.err()).contains("Error from server (Forbidden)")
                .contains("User \"viewer\" cannot patch resource \"deployments/scale\" in API group \"apps\"");

        assertThat(kubectl.out("get", "deploy", "guarded", "-o", "jsonpath={.spec.replicas}")).isEqualTo("2");
    }
}

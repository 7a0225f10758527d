package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.SimHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl --as/--as-group} (the Impersonate-User and Impersonate-Group headers): allowed only with the RBAC verb
 * {@code impersonate} on users/groups (the admin has it, the viewer does not), and the request is then authorised as the
 * impersonated identity, with the API server's messages.
 */
class KubectlImpersonationTest {
    private static final String VIEWER = "--user=sim-" + ClusterSim.VIEWER;

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;
    private static Path kubeconfig;

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().scenario("empty").speed(10).start();
        sim.cluster("sim").apply(TestManifests.deployment("guarded", "registry.example.com/guarded:1.0.0", 1));
        sim.cluster("sim").apply("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: deployment-reader}
                rules:
                  - {apiGroups: [apps], resources: [deployments], verbs: [get, list]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: ops-read-deployments}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deployment-reader}
                subjects:
                  - {kind: Group, name: ops}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: impersonate-jane}
                rules:
                  - {apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: [jane]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: viewer-may-be-jane}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonate-jane}
                subjects:
                  - {kind: User, name: viewer}
                """);
        kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
        kubectl = new Kubectl(kubeconfig, dir.resolve("kube-cache"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void theAdminActingAsTheViewerMayNotAnnotate() {
        Kubectl.Result r = kubectl.run("--as=viewer", "annotate", "deploy", "guarded", "team=payments");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("Error from server (Forbidden): deployments.apps \"guarded\" is forbidden: "
                + "User \"viewer\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"default\"");
        assertThat(kubectl.out("get", "deploy", "guarded", "-o", "jsonpath={.metadata.annotations.team}")).isEmpty();

        assertThat(kubectl.out("--as=viewer", "get", "deploy", "guarded", "-o", "name").strip()).isEqualTo("deployment.apps/guarded");
        Kubectl.Result canI = kubectl.run("--as=viewer", "auth", "can-i", "patch", "deployments");
        assertThat(canI.out().strip()).as("%s", canI).startsWith("no");
    }

    @Test
    void theViewerMayNotImpersonate() {
        Kubectl.Result r = kubectl.run(VIEWER, "--as=admin", "get", "deploy");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("Error from server (Forbidden): users \"admin\" is forbidden: "
                + "User \"viewer\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void impersonatingAGroupNeedsImpersonateOnGroups() {
        Kubectl.Result r = kubectl.run(VIEWER, "--as=jane", "--as-group=system:masters", "get", "deploy");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("Error from server (Forbidden): groups \"system:masters\" is forbidden: "
                + "User \"viewer\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope");
    }

    @Test
    void anImpersonateRuleWithResourceNamesAllowsOnlyThoseUsers() {
        Kubectl.Result asJane = kubectl.run(VIEWER, "--as=jane", "get", "deploy");
        assertThat(asJane.exitCode()).as("jane has no rights of her own: %s", asJane).isEqualTo(1);
        assertThat(asJane.err().strip()).isEqualTo("Error from server (Forbidden): deployments.apps is forbidden: "
                + "User \"jane\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"default\"");

        Kubectl.Result asBob = kubectl.run(VIEWER, "--as=bob", "get", "deploy");
        assertThat(asBob.err().strip()).as("%s", asBob).isEqualTo("Error from server (Forbidden): users \"bob\" is forbidden: "
                + "User \"viewer\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
    }

    @Test
    void theImpersonatedIdentityIsAuthorisedByRbacWithTheGroupsGiven() {
        assertThat(kubectl.out("--as=jane", "--as-group=ops", "get", "deploy", "-o", "name").strip()).isEqualTo("deployment.apps/guarded");

        Kubectl.Result patch = kubectl.run("--as=jane", "--as-group=ops", "scale", "deploy/guarded", "--replicas=3");
        assertThat(patch.err()).as("%s", patch).contains("User \"jane\" cannot patch resource \"deployments/scale\"");
    }

    @Test
    void whoamiShowsTheImpersonatedUserAndTheGroupsTheServerAdds() throws Exception {
        JsonNode jane = Json.MAPPER.readTree(kubectl.out("--as=jane", "--as-group=ops", "auth", "whoami", "-o", "json"));
        assertThat(jane.path("status").path("userInfo").path("username").asText()).isEqualTo("jane");
        assertThat(texts(jane.path("status").path("userInfo").path("groups"))).containsExactly("ops", "system:authenticated");

        JsonNode sa = Json.MAPPER.readTree(kubectl.out("--as=system:serviceaccount:default:deployer", "auth", "whoami", "-o", "json"));
        assertThat(sa.path("status").path("userInfo").path("username").asText()).isEqualTo("system:serviceaccount:default:deployer");
        assertThat(texts(sa.path("status").path("userInfo").path("groups")))
                .containsExactly("system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated");

        JsonNode admin = Json.MAPPER.readTree(kubectl.out("auth", "whoami", "-o", "json"));
        assertThat(texts(admin.path("status").path("userInfo").path("groups"))).containsExactly("system:masters", "system:authenticated");
    }

    /** As in kube-apiserver's impersonation filter: a plain-text 500, before any authorisation. */
    @Test
    void groupsWithoutAUserAreRefused() {
        SimHttp http = SimHttp.fromKubeconfig(kubeconfig);
        SimHttp.Response r = http.send("GET", "/api/v1/namespaces", null, null, Map.of("Impersonate-Group", "ops"), Duration.ofSeconds(10));

        assertThat(r.status()).as("%s", r).isEqualTo(500);
        assertThat(r.body()).startsWith("Internal Server Error: \"/api/v1/namespaces\": ").contains("without impersonating a user");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.SimHttp;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deletion and garbage collection as on a real cluster: {@code kubectl delete --cascade=orphan|background|foreground},
 * DeleteOptions in the body or the query (and the legacy {@code orphanDependents}), preconditions, the Status a delete
 * answers with, and dependents with more than one owner.
 */
class KubectlDeleteTest {
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments/";

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
        kubectl = new Kubectl(kubeconfig, dir.resolve("kube-cache"));
        http = SimHttp.fromKubeconfig(kubeconfig);
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200));
    }

    /** Applies a 2-replica Deployment and waits for its ReplicaSet and pods. */
    private static void running(String name) {
        Path file = TestManifests.write(dir, name + ".yaml", TestManifests.deployment(name, "registry.example.com/" + name + ":1.0.0", 2));
        kubectl.out("apply", "-f", file.toString());
        eventually().untilAsserted(() -> {
            assertThat(kubectl.out("get", "rs", "-l", "app=" + name, "-o", "name").lines()).hasSize(1);
            assertThat(kubectl.out("get", "pods", "-l", "app=" + name, "-o", "name").lines()).hasSize(2);
        });
    }

    private static JsonNode json(String... args) {
        return Json.parse(kubectl.out(args).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void cascadeOrphanKeepsTheReplicaSetAndItsPodsWithoutTheOwnerReference() {
        running("orphaned");
        String uid = kubectl.out("get", "deploy", "orphaned", "-o", "jsonpath={.metadata.uid}");

        assertThat(kubectl.out("delete", "deploy", "orphaned", "--cascade=orphan").strip()).isEqualTo("deployment.apps \"orphaned\" deleted");

        assertThat(kubectl.run("get", "deploy", "orphaned").err()).contains("NotFound");
        JsonNode rs = json("get", "rs", "-l", "app=orphaned", "-o", "json").path("items");
        assertThat(rs).hasSize(1);
        assertThat(rs.get(0).path("metadata").path("ownerReferences").findValuesAsText("uid")).doesNotContain(uid);
        assertThat(rs.get(0).path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode pods = json("get", "pods", "-l", "app=orphaned", "-o", "json").path("items");
        assertThat(pods).hasSize(2);
        assertThat(pods.get(0).path("metadata").path("ownerReferences").get(0).path("name").asText())
                .isEqualTo(rs.get(0).path("metadata").path("name").asText());
    }

    @Test
    void cascadeBackgroundAndForegroundDeleteTheDependents() {
        running("background");
        running("foreground");

        assertThat(kubectl.out("delete", "deploy", "background", "--cascade=background").strip()).isEqualTo("deployment.apps \"background\" deleted");
        assertThat(kubectl.out("delete", "deploy", "foreground", "--cascade=foreground").strip()).isEqualTo("deployment.apps \"foreground\" deleted");

        eventually().untilAsserted(() -> {
            assertThat(kubectl.out("get", "rs,pods", "-l", "app in (background,foreground)", "-o", "name")).isEmpty();
            assertThat(kubectl.run("get", "deploy", "foreground").err()).contains("NotFound");
        });
    }

    @Test
    void propagationPolicyOrphanInTheQueryAndLegacyOrphanDependentsInBodyOrQueryOrphan() {
        running("query-orphan");
        running("legacy-body");
        running("legacy-query");

        assertThat(http.delete(DEPLOYMENTS + "query-orphan?propagationPolicy=Orphan").status()).isEqualTo(200);
        assertThat(http.send("DELETE", DEPLOYMENTS + "legacy-body", "application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"orphanDependents\":true}".getBytes(StandardCharsets.UTF_8),
                Map.of(), Duration.ofSeconds(10)).status()).isEqualTo(200);
        assertThat(http.delete(DEPLOYMENTS + "legacy-query?orphanDependents=true").status()).isEqualTo(200);

        for (String name : new String[] {"query-orphan", "legacy-body", "legacy-query"}) {
            JsonNode rs = json("get", "rs", "-l", "app=" + name, "-o", "json").path("items");
            assertThat(rs).as(name).hasSize(1);
            assertThat(rs.get(0).path("metadata").path("ownerReferences").isEmpty()).as(name).isTrue();
        }
    }

    @Test
    void aDeleteAnswersWithAStatusNamingTheResource() {
        running("answered");
        String uid = kubectl.out("get", "deploy", "answered", "-o", "jsonpath={.metadata.uid}");

        SimHttp.Response r = http.delete(DEPLOYMENTS + "answered");

        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("kind").asText()).isEqualTo("Status");
        assertThat(r.json().path("status").asText()).isEqualTo("Success");
        assertThat(r.json().path("details").path("name").asText()).isEqualTo("answered");
        assertThat(r.json().path("details").path("group").asText()).isEqualTo("apps");
        assertThat(r.json().path("details").path("kind").asText()).as("the resource, as Kubernetes puts it").isEqualTo("deployments");
        assertThat(r.json().path("details").path("uid").asText()).isEqualTo(uid);
    }

    @Test
    void badDeleteOptionsAndFailedPreconditionsAreRefused() {
        running("guarded-delete");

        SimHttp.Response both = http.send("DELETE", DEPLOYMENTS + "guarded-delete", "application/json",
                "{\"orphanDependents\":true,\"propagationPolicy\":\"Background\"}".getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ofSeconds(10));
        assertThat(both.status()).as("%s", both).isEqualTo(422);
        assertThat(both.json().path("message").asText()).contains("orphanDependents and deletionPropagation cannot be both set");

        SimHttp.Response unknown = http.delete(DEPLOYMENTS + "guarded-delete?propagationPolicy=Sideways");
        assertThat(unknown.status()).as("%s", unknown).isEqualTo(422);
        assertThat(unknown.json().path("message").asText()).contains("Unsupported value: \"Sideways\"");

        SimHttp.Response stale = http.send("DELETE", DEPLOYMENTS + "guarded-delete", "application/json",
                "{\"preconditions\":{\"uid\":\"not-the-uid\"}}".getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ofSeconds(10));
        assertThat(stale.status()).as("%s", stale).isEqualTo(409);
        assertThat(stale.json().path("message").asText()).contains("Precondition failed: UID in precondition: not-the-uid, UID in object meta: ");

        assertThat(kubectl.out("get", "deploy", "guarded-delete", "-o", "name").strip()).isEqualTo("deployment.apps/guarded-delete");
    }

    @Test
    void aDependentWithAnotherOwnerLeftOnlyLosesTheReferenceToTheDeletedOne() {
        running("owner-a");
        running("owner-b");
        String a = kubectl.out("get", "deploy", "owner-a", "-o", "jsonpath={.metadata.uid}");
        String b = kubectl.out("get", "deploy", "owner-b", "-o", "jsonpath={.metadata.uid}");
        kubectl.runWithInput(Duration.ofSeconds(30), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: shared
                  ownerReferences:
                    - {apiVersion: apps/v1, kind: Deployment, name: owner-a, uid: %s}
                    - {apiVersion: apps/v1, kind: Deployment, name: owner-b, uid: %s}
                data: {k: v}
                """.formatted(a, b), "create", "-f", "-");

        kubectl.out("delete", "deploy", "owner-a");

        eventually().untilAsserted(() -> assertThat(json("get", "cm", "shared", "-o", "json").path("metadata")
                .path("ownerReferences").findValuesAsText("name")).containsExactly("owner-b"));

        kubectl.out("delete", "deploy", "owner-b");

        eventually().untilAsserted(() -> assertThat(kubectl.run("get", "cm", "shared").err()).contains("NotFound"));
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.testing.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** kubectl reads the demo scenario: the seeded components of the first context (prod-eu), all kinds at once. */
class KubectlDemoTest {
    private static final List<String> DEPLOYMENTS = List.of("catalog", "fraud-scorer", "image-resizer", "indexer", "ledger-worker",
            "notifications", "payments-api", "search-api", "storefront-web");
    private static final List<String> ROLLOUTS = List.of("cart", "checkout", "query-suggest");

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().scenario("demo").speed(10).start();
        kubectl = new Kubectl(sim.writeKubeconfig(dir.resolve("kubeconfig")), dir.resolve("kube-cache"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void getOfAllWorkloadKindsListsTheSeededComponents() {
        Kubectl.Result r = kubectl.run("get", "deploy,rs,pods,rollouts", "-A");

        assertThat(r.ok()).as("%s", r).isTrue();
        List<String> names = new ArrayList<>();
        r.out().lines().filter(l -> !l.isBlank() && !l.startsWith("NAMESPACE")).forEach(l -> names.add(l.split("\\s+")[1]));
        for (String d : DEPLOYMENTS) {
            assertThat(names).contains("deployment.apps/" + d).anyMatch(n -> n.startsWith("replicaset.apps/" + d + "-"))
                    .anyMatch(n -> n.startsWith("pod/" + d + "-"));
        }
        for (String ro : ROLLOUTS) {
            assertThat(names).contains("rollout.argoproj.io/" + ro).anyMatch(n -> n.startsWith("replicaset.apps/" + ro + "-"))
                    .anyMatch(n -> n.startsWith("pod/" + ro + "-"));
        }
        assertThat(r.out()).containsPattern("(?m)^payments\\s+deployment\\.apps/payments-api\\s+3/3\\s+3\\s+3\\s+\\S+$");
    }

    @Test
    void jsonOutputHasItemsOfTheRightKinds() throws Exception {
        JsonNode list = Json.MAPPER.readTree(kubectl.out("get", "deploy,rs,pods,rollouts", "-A", "-o", "json"));

        assertThat(list.path("kind").asText()).isEqualTo("List");
        Set<String> kinds = new TreeSet<>();
        Set<String> deployments = new TreeSet<>();
        Set<String> rollouts = new TreeSet<>();
        for (JsonNode item : list.path("items")) {
            kinds.add(item.path("apiVersion").asText() + " " + item.path("kind").asText());
            switch (item.path("kind").asText()) {
                case "Deployment" -> deployments.add(Json.name(item));
                case "Rollout" -> rollouts.add(Json.name(item));
                default -> { }
            }
        }
        assertThat(kinds).containsExactly("apps/v1 Deployment", "apps/v1 ReplicaSet", "argoproj.io/v1alpha1 Rollout", "v1 Pod");
        assertThat(deployments).containsExactlyElementsOf(DEPLOYMENTS);
        assertThat(rollouts).containsExactlyElementsOf(ROLLOUTS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/apis/apps/v1/deployments, DeploymentList, Deployment",
            "/apis/apps/v1/replicasets, ReplicaSetList, ReplicaSet",
            "/api/v1/pods, PodList, Pod",
            "/apis/argoproj.io/v1alpha1/rollouts, RolloutList, Rollout"})
    void theServerListsWithTheListKindOfTheResource(String path, String listKind, String kind) throws Exception {
        JsonNode list = Json.MAPPER.readTree(kubectl.out("get", "--raw", path));

        assertThat(list.path("kind").asText()).isEqualTo(listKind);
        assertThat(list.path("metadata").path("resourceVersion").asText()).isNotEmpty();
        assertThat(list.path("items")).isNotEmpty().allSatisfy(i -> assertThat(i.path("kind").asText()).isEqualTo(kind));
    }
}

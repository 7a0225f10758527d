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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * core/v1 Events as kubectl shows them: the Deployment controller's ScalingReplicaSet, the ReplicaSet controller's pod
 * events and Argo Rollouts' events through a canary, with their source, count and timestamps; repeats counted and
 * similar ones combined like client-go's recorder; {@code kubectl get events} and {@code kubectl describe}; and Events a
 * client creates.
 */
class KubectlEventsTest {
    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        sim.cluster("sim").installRolloutsCrd();
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
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250));
    }

    private static void apply(String name, String yaml) {
        kubectl.out("apply", "-f", TestManifests.write(dir, name + ".yaml", yaml).toString());
    }

    private static void rolledOut(String name) {
        Kubectl.Result r = kubectl.run(Duration.ofSeconds(70), "rollout", "status", "deploy/" + name, "--timeout=60s");
        assertThat(r.ok()).as("%s", r).isTrue();
    }

    /** The Events about one object, as {@code kubectl get events --field-selector} lists them. */
    private static List<JsonNode> eventsOf(String kind, String name) {
        JsonNode list = Json.parse(kubectl.out("get", "events", "--field-selector",
                "involvedObject.kind=" + kind + ",involvedObject.name=" + name, "-o", "json").getBytes(StandardCharsets.UTF_8));
        List<JsonNode> out = new ArrayList<>();
        list.path("items").forEach(out::add);
        return out;
    }

    private static List<String> messages(String kind, String name, String reason) {
        return eventsOf(kind, name).stream().filter(e -> e.path("reason").asText().equals(reason))
                .map(e -> e.path("message").asText()).toList();
    }

    private static String rsOf(String deployment) {
        return kubectl.out("get", "rs", "-l", "app=" + deployment, "-o", "jsonpath={.items[0].metadata.name}");
    }

    @Test
    void aNewDeploymentRecordsScalingReplicaSetAsTheDeploymentControllerWithEveryField() {
        apply("web", TestManifests.deployment("web", "registry.example.com/web:1.0.0", 3));
        rolledOut("web");
        String rs = rsOf("web");
        String uid = kubectl.out("get", "deploy", "web", "-o", "jsonpath={.metadata.uid}");

        List<JsonNode> scaled = eventsOf("Deployment", "web").stream()
                .filter(e -> e.path("reason").asText().equals("ScalingReplicaSet")).toList();
        assertThat(scaled).hasSize(1);
        JsonNode e = scaled.get(0);
        assertThat(e.path("message").asText()).isEqualTo("Scaled up replica set " + rs + " from 0 to 3");
        assertThat(e.path("type").asText()).isEqualTo("Normal");
        assertThat(e.path("source").path("component").asText()).isEqualTo("deployment-controller");
        assertThat(e.path("reportingComponent").asText()).isEqualTo("deployment-controller");
        assertThat(e.path("count").asInt()).isEqualTo(1);
        assertThat(e.path("firstTimestamp").asText()).isNotEmpty().isEqualTo(e.path("lastTimestamp").asText());
        assertThat(e.path("metadata").path("name").asText()).matches("web\\.[0-9a-f]+");
        assertThat(e.path("metadata").path("namespace").asText()).isEqualTo("default");
        JsonNode involved = e.path("involvedObject");
        assertThat(involved.path("kind").asText()).isEqualTo("Deployment");
        assertThat(involved.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(involved.path("name").asText()).isEqualTo("web");
        assertThat(involved.path("namespace").asText()).isEqualTo("default");
        assertThat(involved.path("uid").asText()).isEqualTo(uid);

        assertThat(messages("ReplicaSet", rs, "SuccessfulCreate")).hasSize(3).allMatch(m -> m.startsWith("Created pod: " + rs + "-"));

        String table = kubectl.out("get", "events");
        assertThat(table.lines().findFirst().orElseThrow().split("\\s{2,}")).containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
        assertThat(table.lines()).anyMatch(l -> l.matches("\\S+\\s+Normal\\s+ScalingReplicaSet\\s+deployment/web\\s+Scaled up replica set " + rs + " from 0 to 3"));

        String described = kubectl.out("describe", "deploy", "web");
        assertThat(described.substring(described.indexOf("Events:")).lines())
                .anyMatch(l -> l.matches("\\s+Normal\\s+ScalingReplicaSet\\s+\\S+\\s+deployment-controller\\s+Scaled up replica set " + rs + " from 0 to 3"));
        assertThat(kubectl.out("describe", "rs", rs)).contains("replicaset-controller").contains("Created pod: " + rs + "-");
    }

    @Test
    void aNewVersionScalesTheNewReplicaSetUpAndTheOldOneDown() {
        apply("api", TestManifests.deployment("api", "registry.example.com/api:1.0.0", 2));
        rolledOut("api");
        String old = rsOf("api");
        kubectl.out("set", "image", "deploy/api", "app=registry.example.com/api:2.0.0");
        rolledOut("api");
        String next = kubectl.out("get", "rs", "-l", "app=api", "-o", "jsonpath={.items[?(@.spec.replicas==2)].metadata.name}");

        List<String> scaling = messages("Deployment", "api", "ScalingReplicaSet");
        assertThat(scaling).contains("Scaled up replica set " + old + " from 0 to 2", "Scaled up replica set " + next + " from 0 to 1",
                "Scaled down replica set " + old + " from 2 to 1", "Scaled down replica set " + old + " from 1 to 0");
        assertThat(messages("ReplicaSet", old, "SuccessfulDelete")).hasSize(2);
    }

    @Test
    void aRepeatedEventCountsUpAndSimilarOnesAreCombined() {
        apply("counted", TestManifests.deployment("counted", "registry.example.com/counted:1.0.0", 1));
        rolledOut("counted");
        String rs = rsOf("counted");
        for (int replicas : new int[] {2, 1, 2}) {
            scaleAndObserve("counted", replicas);
        }
        JsonNode twice = eventsOf("Deployment", "counted").stream()
                .filter(e -> e.path("message").asText().equals("Scaled up replica set " + rs + " from 1 to 2")).findFirst().orElseThrow();
        assertThat(twice.path("count").asInt()).isEqualTo(2);
        assertThat(twice.path("lastTimestamp").asText()).isGreaterThanOrEqualTo(twice.path("firstTimestamp").asText());
        assertThat(kubectl.out("describe", "deploy", "counted")).containsPattern("ScalingReplicaSet\\s+\\S+ \\(x2 over \\S+\\)\\s+deployment-controller");

        for (int replicas = 3; replicas <= 12; replicas++) {
            scaleAndObserve("counted", replicas);
        }
        List<String> scaling = messages("Deployment", "counted", "ScalingReplicaSet");
        assertThat(scaling).as("after ten different messages for one object and reason within ten minutes")
                .anyMatch(m -> m.startsWith("(combined from similar events): Scaled up replica set " + rs + " from "));
        assertThat(scaling.size()).isLessThan(13);
    }

    private static void scaleAndObserve(String name, int replicas) {
        kubectl.out("scale", "deploy/" + name, "--replicas=" + replicas);
        eventually().until(() -> kubectl.out("get", "deploy", name, "-o", "jsonpath={.metadata.generation}/{.status.observedGeneration}")
                .matches("(\\d+)/\\1"));
    }

    @Test
    void aCanaryRecordsArgoRolloutsEventsThroughItsSteps() {
        apply("evented", TestManifests.canaryRollout("evented", "registry.example.com/evented:1.0.0", false));
        eventually().until(() -> kubectl.out("get", "rollout", "evented", "-o", "jsonpath={.status.phase}").equals("Healthy"));
        String v1 = kubectl.out("get", "rollout", "evented", "-o", "jsonpath={.status.currentPodHash}");
        assertThat(eventsOf("Rollout", "evented")).allMatch(e -> e.path("source").path("component").asText().equals("rollouts-controller"));
        assertThat(messages("Rollout", "evented", "RolloutUpdated")).containsExactly("Rollout updated to revision 1");
        assertThat(messages("Rollout", "evented", "NewReplicaSetCreated")).containsExactly("Created ReplicaSet evented-" + v1 + " (revision 1)");
        assertThat(messages("Rollout", "evented", "ScalingReplicaSet")).containsExactly("Scaled up ReplicaSet evented-" + v1 + " (revision 1) from 0 to 5");
        assertThat(messages("Rollout", "evented", "RolloutCompleted")).containsExactly("Rollout completed update to revision 1 (" + v1 + "): Initial deploy");

        apply("evented", TestManifests.canaryRollout("evented", "registry.example.com/evented:2.0.0", false));
        eventually().until(() -> kubectl.out("get", "rollout", "evented", "-o", "jsonpath={.status.phase}").equals("Paused"));
        String v2 = kubectl.out("get", "rollout", "evented", "-o", "jsonpath={.status.currentPodHash}");
        assertThat(messages("Rollout", "evented", "RolloutNotCompleted")).containsExactly("Rollout not completed, started update to revision 2 (" + v2 + ")");
        assertThat(messages("Rollout", "evented", "ScalingReplicaSet")).contains("Scaled up ReplicaSet evented-" + v2 + " (revision 2) from 0 to 1",
                "Scaled down ReplicaSet evented-" + v1 + " (revision 1) from 5 to 4");
        assertThat(messages("Rollout", "evented", "RolloutStepCompleted")).containsExactly("Rollout step 1/3 completed (setWeight: 20)");
        assertThat(messages("Rollout", "evented", "RolloutPaused")).containsExactly("Rollout is paused (CanaryPauseStep)");

        kubectl.out("patch", "rollout", "evented", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"pauseConditions\":null}}");
        eventually().until(() -> kubectl.out("get", "rollout", "evented", "-o", "jsonpath={.status.phase}/{.status.stableRS}").equals("Healthy/" + v2));
        assertThat(messages("Rollout", "evented", "RolloutResumed")).as("the plugin cleared the pause itself").isEmpty();
        assertThat(messages("Rollout", "evented", "RolloutStepCompleted")).containsExactlyInAnyOrder("Rollout step 1/3 completed (setWeight: 20)",
                "Rollout step 2/3 completed (pause)", "Rollout step 3/3 completed (setWeight: 100)");
        assertThat(messages("Rollout", "evented", "RolloutCompleted")).contains("Rollout completed update to revision 2 (" + v2 + "): Completed all 3 canary steps");

        apply("evented", TestManifests.canaryRollout("evented", "registry.example.com/evented:3.0.0", false));
        eventually().until(() -> kubectl.out("get", "rollout", "evented", "-o", "jsonpath={.status.phase}").equals("Paused"));
        kubectl.out("patch", "rollout", "evented", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"abort\":true}}");
        eventually().until(() -> !messages("Rollout", "evented", "RolloutAborted").isEmpty());
        JsonNode aborted = eventsOf("Rollout", "evented").stream().filter(e -> e.path("reason").asText().equals("RolloutAborted")).findFirst().orElseThrow();
        assertThat(aborted.path("type").asText()).isEqualTo("Warning");
        assertThat(aborted.path("message").asText()).isEqualTo("Rollout aborted update to revision 3");
        assertThat(kubectl.out("describe", "rollout", "evented")).containsPattern("Warning\\s+RolloutAborted\\s+\\S+\\s+rollouts-controller\\s+Rollout aborted update to revision 3");
    }

    @Test
    void aTimedPauseRecordsPausedThenResumed() {
        String yaml = TestManifests.canaryRollout("timed", "registry.example.com/timed:1.0.0", false)
                .replace("- pause: {}", "- pause: {duration: 20}");
        apply("timed", yaml);
        eventually().until(() -> kubectl.out("get", "rollout", "timed", "-o", "jsonpath={.status.phase}").equals("Healthy"));
        apply("timed", yaml.replace("timed:1.0.0", "timed:2.0.0"));

        eventually().until(() -> messages("Rollout", "timed", "RolloutCompleted").size() == 2);
        assertThat(messages("Rollout", "timed", "RolloutPaused")).containsExactly("Rollout is paused (CanaryPauseStep)");
        assertThat(messages("Rollout", "timed", "RolloutResumed")).containsExactly("Rollout is resumed");
        assertThat(messages("Rollout", "timed", "RolloutStepCompleted")).contains("Rollout step 2/3 completed (pause: 20s)");
    }

    @Test
    void anEventAClientCreatesIsListedAndDescribed() {
        apply("marked", TestManifests.deployment("marked", "registry.example.com/marked:1.0.0", 1));
        String uid = kubectl.out("get", "deploy", "marked", "-o", "jsonpath={.metadata.uid}");
        String now = sim.clock().timestamp();
        String event = """
                {"apiVersion": "v1", "kind": "Event",
                 "metadata": {"name": "marked.deploy-marker", "namespace": "default"},
                 "involvedObject": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "marked", "namespace": "default", "uid": "%s"},
                 "reason": "VersionShipped", "message": "shipdeck recorded version 1.0.0", "type": "Normal",
                 "source": {"component": "shipdeck"}, "reportingComponent": "shipdeck", "reportingInstance": "",
                 "firstTimestamp": "%s", "lastTimestamp": "%s", "count": 1}
                """.formatted(uid, now, now);

        SimHttp.Response r = http.post("/api/v1/namespaces/default/events", "application/json", event);

        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(messages("Deployment", "marked", "VersionShipped")).containsExactly("shipdeck recorded version 1.0.0");
        assertThat(kubectl.out("describe", "deploy", "marked")).containsPattern("Normal\\s+VersionShipped\\s+\\S+\\s+shipdeck\\s+shipdeck recorded version 1.0.0");

        SimHttp.Response elsewhere = http.post("/api/v1/namespaces/kube-system/events", "application/json",
                event.replace("marked.deploy-marker", "misplaced").replace("\"namespace\": \"default\"}", "\"namespace\": \"kube-system\"}"));
        assertThat(elsewhere.status()).as("%s", elsewhere).isEqualTo(422);
        assertThat(elsewhere.json().path("message").asText()).contains("involvedObject.namespace").contains("does not match event.namespace");
    }

    @Test
    void eventsExpireAnHourAfterTheyLastHappened() {
        try (ClusterSim own = ClusterSim.builder().scenario("empty").speed(20).start()) {
            Kubectl k = new Kubectl(own.writeKubeconfig(dir.resolve("ttl.kubeconfig")), dir.resolve("ttl-cache"));
            k.out("apply", "-f", TestManifests.write(dir, "brief.yaml", TestManifests.deployment("brief", "registry.example.com/brief:1.0.0", 1)).toString());
            eventually().until(() -> !k.out("get", "events", "-o", "name").isBlank());

            own.clock().advance(Duration.ofMinutes(30));
            assertThat(own.awaitQuiet(Duration.ofSeconds(10))).isTrue();
            assertThat(k.out("get", "events", "-o", "name")).as("half an hour later").isNotBlank();

            own.clock().advance(Duration.ofMinutes(31));
            eventually().untilAsserted(() -> assertThat(k.out("get", "events", "-o", "name")).as("an hour and a minute later").isBlank());
        }
    }
}

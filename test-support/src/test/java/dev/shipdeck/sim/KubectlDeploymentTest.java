package dev.shipdeck.sim;

import dev.shipdeck.sim.testing.Kubectl;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** kubectl's Deployment workflow against the simulated cluster: apply, rollout status/history/undo/restart, scale, watch. */
class KubectlDeploymentTest {
    private static final String REVISION = "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}";

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().scenario("empty").speed(10).start();
        kubectl = new Kubectl(sim.writeKubeconfig(dir.resolve("kubeconfig")), dir.resolve("kube-cache"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200));
    }

    private static void apply(String fileName, String yaml, String expectedOutput) {
        Path file = TestManifests.write(dir, fileName, yaml);
        assertThat(kubectl.out("apply", "-f", file.toString()).strip()).isEqualTo(expectedOutput);
    }

    private static void assertRolledOut(String name) {
        Kubectl.Result r = kubectl.run(Duration.ofSeconds(70), "rollout", "status", "deploy/" + name, "--timeout=60s");
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.outLines()).last().isEqualTo("deployment \"" + name + "\" successfully rolled out");
    }

    private static String jsonpath(String resource, String expr) {
        return kubectl.out("get", resource, "-o", "jsonpath=" + expr);
    }

    /** The Deployment's ReplicaSets as name → "revision image replicas", through kubectl. */
    private static Map<String, String> replicaSets(String app) {
        String out = kubectl.out("get", "rs", "-l", "app=" + app, "-o", "jsonpath={range .items[*]}{.metadata.name} "
                + REVISION + " {.spec.template.spec.containers[0].image} {.spec.replicas}{\"\\n\"}{end}");
        Map<String, String> byName = new TreeMap<>();
        out.lines().filter(l -> !l.isBlank()).forEach(l -> byName.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        return byName;
    }

    @Test
    void applyCreatesThenReportsUnchangedThenUpdatesTheImage() {
        apply("applied.yaml", TestManifests.deployment("applied", "registry.example.com/applied:1.0.0", 2),
                "deployment.apps/applied created");
        assertThat(jsonpath("deploy/applied", "{.spec.replicas} {.spec.template.spec.containers[0].image}"))
                .isEqualTo("2 registry.example.com/applied:1.0.0");

        apply("applied.yaml", TestManifests.deployment("applied", "registry.example.com/applied:1.0.0", 2),
                "deployment.apps/applied unchanged");

        apply("applied.yaml", TestManifests.deployment("applied", "registry.example.com/applied:1.1.0", 2),
                "deployment.apps/applied configured");
        assertThat(jsonpath("deploy/applied", "{.spec.template.spec.containers[0].image}"))
                .isEqualTo("registry.example.com/applied:1.1.0");
    }

    @Test
    void rolloutStatusWaitsUntilThePodsAreReady() {
        // pods get Ready after 20 s of simulated time: 2 s of wall time at speed 10
        apply("waited.yaml", TestManifests.deployment("waited", "registry.example.com/waited:1.0.0", 2,
                Map.of(PodTemplates.READY_AFTER, "20"), ""), "deployment.apps/waited created");

        Kubectl.Result r = kubectl.run(Duration.ofSeconds(70), "rollout", "status", "deploy/waited", "--timeout=60s");

        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.out()).contains("Waiting for deployment \"waited\" rollout to finish");
        assertThat(r.outLines()).last().isEqualTo("deployment \"waited\" successfully rolled out");
        assertThat(jsonpath("deploy/waited", "{.status.updatedReplicas} {.status.availableReplicas}")).isEqualTo("2 2");
    }

    @Test
    void setImageMakesRevisionTwoAndUndoRestoresTheOldReplicaSetAsANewRevision() {
        apply("hist.yaml", TestManifests.deployment("hist", "registry.example.com/hist:1.0.0", 2), "deployment.apps/hist created");
        assertRolledOut("hist");
        String rs1 = replicaSets("hist").keySet().iterator().next();

        assertThat(kubectl.out("set", "image", "deploy/hist", "app=registry.example.com/hist:2.0.0").strip())
                .isEqualTo("deployment.apps/hist image updated");
        assertRolledOut("hist");
        assertThat(jsonpath("deploy/hist", REVISION)).isEqualTo("2");
        Map<String, String> rss = replicaSets("hist");
        assertThat(rss).hasSize(2).containsEntry(rs1, "1 registry.example.com/hist:1.0.0 0");
        String rs2 = rss.keySet().stream().filter(n -> !n.equals(rs1)).findFirst().orElseThrow();
        assertThat(rss).containsEntry(rs2, "2 registry.example.com/hist:2.0.0 2");

        String history = kubectl.out("rollout", "history", "deploy/hist");
        assertThat(history).startsWith("deployment.apps/hist");
        assertThat(history.lines().skip(2).filter(l -> !l.isBlank()).map(l -> l.split("\\s+")[0]))
                .containsExactly("1", "2");

        assertThat(kubectl.out("rollout", "undo", "deploy/hist").strip()).isEqualTo("deployment.apps/hist rolled back");
        assertRolledOut("hist");
        eventually().untilAsserted(() -> assertThat(jsonpath("deploy/hist", REVISION)).isEqualTo("3"));
        assertThat(jsonpath("deploy/hist", "{.spec.template.spec.containers[0].image}")).isEqualTo("registry.example.com/hist:1.0.0");
        assertThat(replicaSets("hist")).as("the revision-1 ReplicaSet is reused as revision 3")
                .containsOnly(Map.entry(rs1, "3 registry.example.com/hist:1.0.0 2"), Map.entry(rs2, "2 registry.example.com/hist:2.0.0 0"));
        assertThat(jsonpath("rs/" + rs1, "{.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}")).isEqualTo("1");

        assertThat(kubectl.out("rollout", "undo", "deploy/hist", "--to-revision=2").strip()).isEqualTo("deployment.apps/hist rolled back");
        assertRolledOut("hist");
        eventually().untilAsserted(() -> assertThat(jsonpath("deploy/hist", REVISION)).isEqualTo("4"));
        assertThat(replicaSets("hist"))
                .containsOnly(Map.entry(rs1, "3 registry.example.com/hist:1.0.0 0"), Map.entry(rs2, "4 registry.example.com/hist:2.0.0 2"));
        assertThat(kubectl.out("rollout", "history", "deploy/hist").lines().skip(2).filter(l -> !l.isBlank())
                .map(l -> l.split("\\s+")[0])).containsExactly("3", "4");

        Kubectl.Result missing = kubectl.run("rollout", "undo", "deploy/hist", "--to-revision=1");
        assertThat(missing.exitCode()).as("%s", missing).isEqualTo(1);
        assertThat(missing.err()).contains("unable to find specified revision 1 in history");
    }

    @Test
    void rolloutRestartStampsTheTemplateAndRollsOutANewReplicaSet() {
        apply("restarted.yaml", TestManifests.deployment("restarted", "registry.example.com/restarted:1.0.0", 2),
                "deployment.apps/restarted created");
        assertRolledOut("restarted");
        String before = replicaSets("restarted").keySet().iterator().next();
        Instant asked = Instant.now();

        assertThat(kubectl.out("rollout", "restart", "deploy/restarted").strip()).isEqualTo("deployment.apps/restarted restarted");

        String restartedAt = jsonpath("deploy/restarted", "{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}");
        assertThat(OffsetDateTime.parse(restartedAt).toInstant()).isBetween(asked.minusSeconds(5), Instant.now().plusSeconds(5));
        assertRolledOut("restarted");
        Map<String, String> rss = replicaSets("restarted");
        assertThat(rss).hasSize(2).containsEntry(before, "1 registry.example.com/restarted:1.0.0 0");
        assertThat(rss.entrySet()).filteredOn(e -> !e.getKey().equals(before))
                .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("2 registry.example.com/restarted:1.0.0 2"));
        assertThat(jsonpath("rs/" + rss.keySet().stream().filter(n -> !n.equals(before)).findFirst().orElseThrow(),
                "{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}")).isEqualTo(restartedAt);
    }

    @Test
    void scaleChangesReplicasAndThePodCountFollows() {
        apply("scaled.yaml", TestManifests.deployment("scaled", "registry.example.com/scaled:1.0.0", 2), "deployment.apps/scaled created");
        assertRolledOut("scaled");

        assertThat(kubectl.out("scale", "deploy/scaled", "--replicas=4").strip()).isEqualTo("deployment.apps/scaled scaled");
        assertThat(jsonpath("deploy/scaled", "{.spec.replicas}")).isEqualTo("4");
        eventually().untilAsserted(() -> assertThat(kubectl.out("get", "pods", "-l", "app=scaled", "-o", "name").lines()).hasSize(4));
        assertRolledOut("scaled");

        assertThat(kubectl.out("scale", "deploy/scaled", "--replicas=1").strip()).isEqualTo("deployment.apps/scaled scaled");
        eventually().untilAsserted(() -> assertThat(kubectl.out("get", "pods", "-l", "app=scaled", "-o", "name").lines()).hasSize(1));
        assertThat(jsonpath("deploy/scaled", "{.spec.replicas}")).isEqualTo("1");
    }

    @Test
    void getDeployWatchStreamsAChangeMadeByAnotherKubectl() {
        apply("watched.yaml", TestManifests.deployment("watched", "registry.example.com/watched:1.0.0", 1), "deployment.apps/watched created");
        assertRolledOut("watched");

        try (Kubectl.Watch watch = kubectl.watch("get", "deploy", "-w")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(watch.lines()).as("%s", watch).anyMatch(l -> l.matches("watched\\s+1/1\\s+1\\s+1\\s+.*")));

            assertThat(kubectl.out("scale", "deploy/watched", "--replicas=3").strip()).isEqualTo("deployment.apps/watched scaled");

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(watch.lines()).as("%s", watch).anyMatch(l -> l.matches("watched\\s+\\d/3\\s+.*")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(watch.lines()).as("%s", watch).anyMatch(l -> l.matches("watched\\s+3/3\\s+3\\s+3\\s+.*")));
            assertThat(watch.isAlive()).as("the watch keeps running").isTrue();
        }
    }

    @Test
    void getPodsWatchWithWatchEventsShowsAddedAndModifiedPods() {
        apply("podwatch.yaml", TestManifests.deployment("podwatch", "registry.example.com/podwatch:1.0.0", 1), "deployment.apps/podwatch created");
        assertRolledOut("podwatch");

        try (Kubectl.Watch watch = kubectl.watch("get", "pods", "-l", "app=podwatch", "-w", "--output-watch-events")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(watch.lines()).as("%s", watch)
                    .first().satisfies(header -> assertThat(header.split("\\s+")).startsWith("EVENT", "NAME", "READY", "STATUS")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(watch.lines()).as("%s", watch).anyMatch(l -> l.matches("ADDED\\s+podwatch-\\S+\\s+1/1\\s+Running\\s+.*")));

            kubectl.out("scale", "deploy/podwatch", "--replicas=2");

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(watch.lines().stream().filter(l -> l.startsWith("ADDED")).map(l -> l.split("\\s+")[1]).distinct())
                            .as("%s", watch).hasSize(2));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(watch.lines()).as("%s", watch).anyMatch(l -> l.matches("MODIFIED\\s+podwatch-\\S+\\s+1/1\\s+Running\\s+.*")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "never-ready annotation, stuck-annotated, registry.example.com/stuck:1.0.0, true",
            "image tag with broken, stuck-tagged, registry.example.com/stuck:1.0.0-broken, false"})
    void rolloutStatusFailsWhenTheProgressDeadlineIsExceeded(String why, String name, String image, boolean annotated) {
        Map<String, String> annotations = annotated ? Map.of(PodTemplates.NEVER_READY, "true") : Map.of();
        apply(name + ".yaml", TestManifests.deployment(name, image, 2, annotations, "progressDeadlineSeconds: 10"),
                "deployment.apps/" + name + " created");

        Kubectl.Result r = kubectl.run(Duration.ofSeconds(70), "rollout", "status", "deploy/" + name, "--timeout=60s");

        assertThat(r.timedOut()).as("%s", r).isFalse();
        assertThat(r.exitCode()).as("%s", r).isNotZero();
        assertThat(r.err()).contains("error: deployment \"" + name + "\" exceeded its progress deadline");
        assertThat(jsonpath("deploy/" + name, "{.status.conditions[?(@.type==\"Progressing\")].reason}"))
                .isEqualTo("ProgressDeadlineExceeded");
    }
}

package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The commands that cannot surprise, as a person runs them and as a colleague with kubectl checks them: a version
 * outside revision history is refused with that reason, a scale is refused while an autoscaler manages the workload
 * (with --force and the autoscaler's range as the ways on; the autoscaler is never deleted), and every command leaves
 * an Event on its workload with who, what and why ({@code kubectl get events}).
 */
class GuardsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PINNED = "sha256:" + "a".repeat(64);

    @TempDir
    Path dir;
    private TestCluster target;
    private String ns;
    private Map<String, String> admin;
    private Map<String, String> viewer;
    private Kubectl kubectl;

    @BeforeEach
    void start() {
        Kubectl.assumeAvailable();
        target = TestCluster.builder().context("sim").tag("guards").speed(20).startSim(dir);
        ns = target.ns("shop");
        admin = Map.of("KUBECONFIG", target.kubeconfig(TestCluster.ADMIN).toString(), "HOME", dir.toString());
        viewer = Map.of("KUBECONFIG", target.kubeconfig(TestCluster.VIEWER).toString(), "HOME", dir.toString());
        kubectl = new Kubectl(target.kubeconfig(TestCluster.ADMIN), dir.resolve("kubectl-cache"));
    }

    @AfterEach
    void stop() {
        if (target != null) target.close();
    }

    private void deploy(String name, String version, String image, int historyLimit) {
        target.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: %2$s, labels: {shipdeck.dev/component-name: %1$s}}
                spec:
                  replicas: 2
                  revisionHistoryLimit: %5$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s, shipdeck.dev/version: "%3$s"}}
                    spec: {containers: [{name: app, image: "%4$s"}]}
                """.formatted(name, ns, version, image, historyLimit));
    }

    /** Until the Deployment runs {@code version} on every replica (its rollout is complete). */
    private void awaitRolledOut(String name, String version) {
        await().atMost(target.patience()).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode d = target.get(TestCluster.Kind.DEPLOYMENTS, ns, name);
            return d != null && version.equals(d.at("/spec/template/metadata/labels").path("shipdeck.dev/version").asText())
                    && d.at("/status/observedGeneration").asLong() == d.at("/metadata/generation").asLong()
                    && d.at("/status/updatedReplicas").asInt() == 2 && d.at("/status/availableReplicas").asInt() == 2
                    && d.at("/status/replicas").asInt() == 2;
        });
    }

    private JsonNode kubectlJson(String... args) {
        Kubectl.Result r = kubectl.run(args);
        assertThat(r.ok()).as("%s", r).isTrue();
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Events Shipdeck wrote about {@code name}, as {@code kubectl get events --field-selector} lists them. */
    private List<JsonNode> shipdeckEvents(String name) {
        List<JsonNode> out = new ArrayList<>();
        kubectlJson("get", "events", "-n", ns, "--field-selector", "involvedObject.name=" + name, "-o", "json").path("items").forEach(e -> {
            if (e.path("source").path("component").asText().equals("shipdeck")) out.add(e);
        });
        return out;
    }

    // ------------------------------------------------------------------ restore only what can be restored

    @Test
    void aVersionOutsideRevisionHistoryIsRefusedWithTheReasonAndAKeptOneIsRestored() {
        for (String v : List.of("1.0.0", "2.0.0", "3.0.0")) {
            deploy("web", v, "example/web:" + v, 1);
            awaitRolledOut("web", v);
        }
        await().atMost(target.patience()).until(() -> target.list(TestCluster.Kind.REPLICA_SETS, ns).size() == 2);

        Cli.Result gone = Cli.run(admin, "restore", "web", "-e", "sim", "-n", ns, "--to-version", "1.0.0", "--yes");
        assertThat(gone.exitCode()).as("%s", gone).isEqualTo(ExitCodes.REFUSED);
        assertThat(gone.errLines()).singleElement().asString().startsWith("error: ")
                .contains("version 1.0.0 is not restorable (outside revision history)").doesNotContain("Exception");
        Cli.Result byRevision = Cli.run(admin, "restore", "web", "-e", "sim", "-n", ns, "--to-revision", "1", "--yes");
        assertThat(byRevision.exitCode()).as("%s", byRevision).isEqualTo(ExitCodes.REFUSED);
        assertThat(byRevision.err()).contains("revision 1 is not restorable (outside revision history)");
        assertThat(shipdeckEvents("web")).as("a refused command sent nothing and tells nobody").isEmpty();

        Cli.Result kept = Cli.run(admin, "restore", "web", "-e", "sim", "-n", ns, "--to-version", "2.0.0", "--yes");
        assertThat(kept.exitCode()).as("%s", kept).isEqualTo(ExitCodes.OK);
        assertThat(kubectl.out("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.template.metadata.labels.shipdeck\\.dev/version}"))
                .isEqualTo("2.0.0");
    }

    @Test
    void restoringAVersionPinnedToAnotherDigestThanItsTagRunsNowIsFlaggedNotRefused() {
        deploy("web", "1.0.0", "example/web:1.0.0@" + PINNED, 10);
        awaitRolledOut("web", "1.0.0");
        deploy("web", "1.0.1", "example/web:1.0.0", 10);
        awaitRolledOut("web", "1.0.1");

        Cli.Result r = Cli.run(admin, "restore", "web", "-e", "sim", "-n", ns, "--to-version", "1.0.0", "--dry-run");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("PLANNED");
        // the running pods report the digest the tag resolves to now (status.containerStatuses[].imageID)
        String running = kubectl.out("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={.items[0].status.containerStatuses[0].imageID}");
        assertThat(running).contains("@sha256:").doesNotContain(PINNED);
        assertThat(r.errLines()).singleElement().asString().startsWith("warning: image digest changed since: docker.io/example/web:1.0.0 was "
                + PINNED.substring(0, 19) + "… in revision 1 and is " + running.substring(running.indexOf('@') + 1, running.indexOf('@') + 20));
    }

    // ------------------------------------------------------------------ scale that respects autoscalers

    private void autoscaled() {
        deploy("api", "1.0.0", "example/api:1.0.0", 10);
        target.apply("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api-hpa, namespace: %s}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
                  minReplicas: 2
                  maxReplicas: 10
                  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
                """.formatted(ns));
        awaitRolledOut("api", "1.0.0");
    }

    private JsonNode hpa() {
        return kubectlJson("get", "hpa", "api-hpa", "-n", ns, "-o", "json");
    }

    @Test
    void scalingAnAutoscaledComponentIsRefusedWithTheAutoscalerNamedAndForceScalesAnyway() {
        autoscaled();
        Cli.Result refused = Cli.run(admin, "scale", "api", "-e", "sim", "-n", ns, "--replicas", "5", "--yes");
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.errLines()).singleElement().asString().startsWith("error: scaled by HorizontalPodAutoscaler api-hpa (min 2, max 10): "
                + "change its range with --hpa-min/--hpa-max, or --force to scale anyway (the autoscaler will change it back)");
        assertThat(kubectl.out("get", "deploy", "api", "-n", ns, "-o", "jsonpath={.spec.replicas}")).isEqualTo("2");

        Cli.Result forced = Cli.run(admin, "scale", "api", "-e", "sim", "-n", ns, "--replicas", "5", "--force", "--yes");
        assertThat(forced.exitCode()).as("%s", forced).isEqualTo(ExitCodes.OK);
        assertThat(forced.out()).contains("SUCCEEDED", "scale api from 2 to 5 replicas, forced although HorizontalPodAutoscaler api-hpa (min 2, max 10)");
        assertThat(forced.err()).contains("warning: HorizontalPodAutoscaler api-hpa (min 2, max 10) manages the replicas of api");
        assertThat(kubectl.out("get", "deploy", "api", "-n", ns, "-o", "jsonpath={.spec.replicas}")).isEqualTo("5");
        assertThat(hpa().at("/metadata/name").asText()).as("the autoscaler is left alone").isEqualTo("api-hpa");
    }

    @Test
    void theAutoscalerRangeIsChangedByAMergePatchOfTheAutoscalerOnly() {
        autoscaled();
        String deploymentVersion = target.get(TestCluster.Kind.DEPLOYMENTS, ns, "api").at("/metadata/resourceVersion").asText();

        Cli.Result dry = Cli.run(admin, "scale", "api", "-e", "sim", "-n", ns, "--hpa-min", "3", "--hpa-max", "12", "--dry-run");
        assertThat(dry.exitCode()).as("%s", dry).isEqualTo(ExitCodes.OK);
        assertThat(dry.out()).contains("change the autoscaler range of api from 2–10 to 3–12 (HorizontalPodAutoscaler api-hpa)",
                "PATCH /apis/autoscaling/v2/namespaces/" + ns + "/horizontalpodautoscalers/api-hpa\nContent-Type: application/merge-patch+json\n"
                        + "{\"spec\":{\"minReplicas\":3,\"maxReplicas\":12}}");
        assertThat(hpa().at("/spec/minReplicas").asInt()).as("a dry run sends nothing").isEqualTo(2);

        Cli.Result denied = Cli.run(viewer, "scale", "api", "-e", "sim", "-n", ns, "--hpa-min", "3", "--hpa-max", "12", "--yes");
        assertThat(denied.exitCode()).as("%s", denied).isEqualTo(ExitCodes.REFUSED);
        assertThat(denied.err()).contains("RBAC: viewer may not patch horizontalpodautoscalers in namespace " + ns);

        Cli.Result range = Cli.run(admin, "scale", "api", "-e", "sim", "-n", ns, "--hpa-min", "3", "--hpa-max", "12", "--yes",
                "--reason", "launch week");
        assertThat(range.exitCode()).as("%s", range).isEqualTo(ExitCodes.OK);
        JsonNode h = hpa();
        assertThat(h.at("/metadata/name").asText()).as("the autoscaler still exists").isEqualTo("api-hpa");
        assertThat(h.at("/spec/minReplicas").asInt()).isEqualTo(3);
        assertThat(h.at("/spec/maxReplicas").asInt()).isEqualTo(12);
        assertThat(h.at("/spec/scaleTargetRef/name").asText()).isEqualTo("api");
        assertThat(target.get(TestCluster.Kind.DEPLOYMENTS, ns, "api").at("/metadata/resourceVersion").asText())
                .as("the Deployment is not touched").isEqualTo(deploymentVersion);
        assertThat(shipdeckEvents("api")).singleElement().satisfies(e -> {
            assertThat(e.path("reason").asText()).isEqualTo("ShipdeckScale");
            assertThat(e.path("message").asText()).isEqualTo("admin changed the autoscaler range of api from 2–10 to 3–12 "
                    + "(HorizontalPodAutoscaler api-hpa): launch week");
        });

        Cli.Result upsideDown = Cli.run(admin, "scale", "api", "-e", "sim", "-n", ns, "--hpa-min", "5", "--hpa-max", "3", "--yes");
        assertThat(upsideDown.exitCode()).as("%s", upsideDown).isEqualTo(ExitCodes.USAGE);
        assertThat(upsideDown.errLines()).singleElement().asString().startsWith("error: --hpa-min (5) must not be above --hpa-max (3)");
        Cli.Result zero = Cli.run(admin, "scale", "api", "-e", "sim", "-n", ns, "--hpa-min", "0", "--yes");
        assertThat(zero.exitCode()).as("%s", zero).isEqualTo(ExitCodes.USAGE);
        Cli.Result aboveTheMax = Cli.run(admin, "scale", "api", "-e", "sim", "-n", ns, "--hpa-min", "13", "--yes");
        assertThat(aboveTheMax.exitCode()).as("%s", aboveTheMax).isEqualTo(ExitCodes.REFUSED);
        assertThat(aboveTheMax.err()).contains("the autoscaler's minimum (13) must not be above its maximum (12)");
        assertThat(hpa().at("/spec/minReplicas").asInt()).isEqualTo(3);

        deploy("plain", "1.0.0", "example/plain:1.0.0", 10);
        Cli.Result noHpa = Cli.run(admin, "scale", "plain", "-e", "sim", "-n", ns, "--hpa-max", "4", "--yes");
        assertThat(noHpa.exitCode()).as("%s", noHpa).isEqualTo(ExitCodes.REFUSED);
        assertThat(noHpa.err()).contains("no HorizontalPodAutoscaler manages plain");
    }

    // ------------------------------------------------------------------ a reason on every command

    @Test
    void aCommandLeavesAnEventWithWhoWhatAndWhyAndItsRecordKeepsTheReason() {
        Kubectl.Result crds = kubectl.runWithInput(Duration.ofSeconds(60), String.join("---\n", Crds.yaml().stream().map(d -> d.endsWith("\n") ? d : d + "\n").toList()), "apply", "-f", "-");
        assertThat(crds.ok()).as("%s", crds).isTrue();
        await().atMost(target.patience()).until(() -> kubectl.run("get", "releasecommands", "-n", ns).ok());
        deploy("web", "1.0.0", "example/web:1.0.0", 10);
        awaitRolledOut("web", "1.0.0");
        String uid = target.get(TestCluster.Kind.DEPLOYMENTS, ns, "web").at("/metadata/uid").asText();

        Cli.Result dry = Cli.run(admin, "restart", "web", "-e", "sim", "-n", ns, "--dry-run", "--reason", "pods stuck after the node drain");
        assertThat(dry.exitCode()).as("%s", dry).isEqualTo(ExitCodes.OK);
        assertThat(shipdeckEvents("web")).as("a dry run writes no Event").isEmpty();

        Cli.Result r = Cli.run(admin, "restart", "web", "-e", "sim", "-n", ns, "--yes", "--reason", "pods stuck after the node drain", "-o", "json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.json().get(0).path("reason").asText()).isEqualTo("pods stuck after the node drain");

        List<JsonNode> events = new ArrayList<>();
        kubectlJson("get", "events", "-n", ns, "-o", "json").path("items").forEach(e -> {
            if (e.path("reason").asText().startsWith("Shipdeck")) events.add(e);
        });
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.path("reason").asText()).isEqualTo("ShipdeckRestart");
            assertThat(e.path("type").asText()).isEqualTo("Normal");
            assertThat(e.path("message").asText()).isEqualTo("admin restarted the pods of web: pods stuck after the node drain");
            assertThat(e.at("/involvedObject/kind").asText()).isEqualTo("Deployment");
            assertThat(e.at("/involvedObject/apiVersion").asText()).isEqualTo("apps/v1");
            assertThat(e.at("/involvedObject/name").asText()).isEqualTo("web");
            assertThat(e.at("/involvedObject/namespace").asText()).isEqualTo(ns);
            assertThat(e.at("/involvedObject/uid").asText()).isEqualTo(uid);
            assertThat(e.at("/source/component").asText()).isEqualTo("shipdeck");
            assertThat(e.path("reportingComponent").asText()).isEqualTo("shipdeck");
            assertThat(e.path("firstTimestamp").asText()).isNotEmpty().isEqualTo(e.path("lastTimestamp").asText());
            assertThat(e.path("eventTime").asText()).isNotEmpty();
        });
        // the way a colleague asks: kubectl's field selectors on the workload
        assertThat(kubectl.out("get", "events", "-n", ns, "--field-selector", "involvedObject.name=web,reason=ShipdeckRestart",
                "-o", "jsonpath={.items[*].message}")).isEqualTo("admin restarted the pods of web: pods stuck after the node drain");
        assertThat(kubectl.out("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.metadata.annotations}"))
                .as("nothing about it is written on the workload").doesNotContain("node drain");

        JsonNode records = kubectlJson("get", "releasecommands", "-n", ns, "-o", "json");
        assertThat(records.path("items")).singleElement().satisfies(c -> {
            assertThat(c.at("/spec/action").asText()).isEqualTo("RESTART");
            assertThat(c.at("/spec/requester").asText()).isEqualTo("admin");
            assertThat(c.at("/spec/reason").asText()).isEqualTo("pods stuck after the node drain");
        });
    }

    @Test
    void anEventThatCannotBeWrittenIsNotedAndTheCommandStillSucceeds() {
        deploy("web", "1.0.0", "example/web:1.0.0", 10);
        awaitRolledOut("web", "1.0.0");
        target.simCluster().orElseThrow().faults().fail(c -> c.method().equals("POST") && c.path().endsWith("/events"), 500, 1);

        Cli.Result r = Cli.run(admin, "scale", "web", "-e", "sim", "-n", ns, "--replicas", "3", "--yes", "--reason", "load test");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("SUCCEEDED", "scale web from 2 to 3 replicas; note: the Event on the workload could not be written (500");
        assertThat(kubectl.out("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).isEqualTo("3");
    }

    @Test
    void aReasonThatIsEmptyOrTooLongIsABadArgument() {
        Cli.Result empty = Cli.run(admin, "restart", "web", "-e", "sim", "--yes", "--reason", "  ");
        assertThat(empty.exitCode()).as("%s", empty).isEqualTo(ExitCodes.USAGE);
        assertThat(empty.errLines()).singleElement().asString().startsWith("error: --reason is empty");
        Cli.Result longOne = Cli.run(admin, "restart", "web", "-e", "sim", "--yes", "--reason", "x".repeat(600));
        assertThat(longOne.exitCode()).as("%s", longOne).isEqualTo(ExitCodes.USAGE);
        assertThat(longOne.errLines()).singleElement().asString().startsWith("error: --reason is 600 characters long");
    }
}

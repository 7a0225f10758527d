package dev.shipdeck.agent;

import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.CommandResult;
import dev.shipdeck.core.commands.Commands;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.CommandRecords;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.core.records.ReleaseCommandRecord;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import dev.shipdeck.core.records.Retention;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.SimCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.awaitility.core.ConditionFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/**
 * A simulated cluster (20× time) with the Shipdeck CRDs and Argo Rollouts installed, a kubeconfig to it, an admin
 * client, and the workloads the agent tests deploy.
 */
final class AgentFixture implements AutoCloseable {
    static final String NS = "shop";
    static final Environment ENV = new Environment("sim", "sim", "", List.of(), Labels.NONE, 0);

    final ClusterSim sim;
    final SimCluster cluster;
    final Path kubeconfig;
    final KubeClients clients;
    final KubernetesClient client;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    AgentFixture(Path dir) {
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        cluster = sim.cluster("sim");
        cluster.apply(String.join("---\n", Crds.yaml()));
        cluster.installRolloutsCrd();
        cluster.ensureNamespace(NS);
        kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
        clients = new KubeClients(Kubeconfig.load(kubeconfig.toString()), KubeClients.Options.INTERACTIVE);
        client = clients.clientNow("sim");
    }

    /** An agent in this JVM with a short lease, logging into a buffer (kept out of the test output). */
    Agent agent(String identity, Duration commandWindow, Retention retention) {
        Agent.Config config = new Agent.Config(ENV, "default", "shipdeck-agent", identity, Duration.ofSeconds(4), Duration.ofSeconds(3),
                Duration.ofMillis(500), 0, commandWindow, retention, Duration.ofMillis(500), Duration.ofMillis(500));
        AgentLog log = new AgentLog(new PrintStream(logs, true, StandardCharsets.UTF_8), Clock.systemUTC(), Set::of);
        KubeClients own = new KubeClients(Kubeconfig.load(kubeconfig.toString()), KubeClients.Options.INTERACTIVE);
        Agent a = new Agent(config, own, log, Clock.systemUTC()).start();
        started.add(own);
        started.add(a);
        return a;
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }

    /**
     * Creates or changes a Deployment that is the component {@code name}; its pods become ready after
     * {@code readySeconds} simulated seconds, or never when {@code neverReady}.
     */
    void deploy(String name, String version, int readySeconds, boolean neverReady, int progressDeadlineSeconds) {
        String ann = "sim.shipdeck.dev/ready-after-seconds: \"" + readySeconds + "\"" + (neverReady ? ", sim.shipdeck.dev/never-ready: \"true\"" : "");
        cluster.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  namespace: %3$s
                  labels: {shipdeck.dev/component-name: %1$s}
                spec:
                  replicas: 2
                  revisionHistoryLimit: 50
                  progressDeadlineSeconds: %4$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata:
                      labels: {app: %1$s, shipdeck.dev/version: "%2$s"}
                      annotations: {%5$s}
                    spec:
                      containers: [{name: app, image: "example/%1$s:%2$s"}]
                """.formatted(name, version, NS, progressDeadlineSeconds, ann));
    }

    void deploy(String name, String version) {
        deploy(name, version, 2, false, 600);
    }

    /** Creates or changes a Rollout (canary: 50%, then a pause until promoted) that is the component {@code name}. */
    void rollout(String name, String version) {
        cluster.apply("""
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata:
                  name: %1$s
                  namespace: %3$s
                  labels: {shipdeck.dev/component-name: %1$s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata:
                      labels: {app: %1$s, shipdeck.dev/version: "%2$s"}
                      annotations: {sim.shipdeck.dev/ready-after-seconds: "2"}
                    spec:
                      containers: [{name: app, image: "example/%1$s:%2$s"}]
                  strategy:
                    canary:
                      steps:
                        - setWeight: 50
                        - pause: {}
                """.formatted(name, version, NS));
    }

    /** The Deployment as the simulated cluster holds it. */
    com.fasterxml.jackson.databind.JsonNode deployment(String name) {
        return cluster.store().get(dev.shipdeck.sim.Resources.DEPLOYMENTS, NS, name);
    }

    /** The ReplicaSets the simulated cluster holds for a Deployment's component, by version (the label on their template). */
    Map<String, com.fasterxml.jackson.databind.JsonNode> replicaSets(String name) {
        Map<String, com.fasterxml.jackson.databind.JsonNode> out = new java.util.TreeMap<>();
        String uid = deployment(name).path("metadata").path("uid").asText();
        for (var rs : cluster.store().list(dev.shipdeck.sim.Resources.REPLICA_SETS, NS, o -> true).items()) {
            for (var ref : rs.path("metadata").path("ownerReferences")) {
                if (uid.equals(ref.path("uid").asText())) {
                    out.put(rs.at("/spec/template/metadata/labels/shipdeck.dev~1version").asText(), rs);
                }
            }
        }
        return out;
    }

    /** Waits until the Deployment runs {@code version} completely: observed, every replica updated and available, no old ones. */
    void awaitRolledOut(String name, String version) {
        eventually().until(() -> {
            var d = deployment(name);
            var st = d.path("status");
            long want = d.path("spec").path("replicas").asLong(1);
            return version.equals(d.at("/spec/template/metadata/labels/shipdeck.dev~1version").asText())
                    && st.path("observedGeneration").asLong() == d.path("metadata").path("generation").asLong()
                    && st.path("updatedReplicas").asLong() == want && st.path("availableReplicas").asLong() == want
                    && st.path("replicas").asLong() == want;
        });
    }

    /** Runs a console command as the admin, as the desktop would. */
    CommandResult command(Action action, String component, Map<String, String> args) {
        return new Commands(clients, List.of(ENV)).run(CommandRequest.of(action, ENV.name(), component, args));
    }

    /** The Release records of a component, oldest revision first. */
    List<ReleaseRecord> releases(String component) {
        return new ReleaseRecords(client).list(List.of(NS)).stream()
                .filter(r -> r.spec().component().equals(component))
                .sorted(Comparator.comparing((ReleaseRecord r) -> r.spec().workload() == null ? Long.MAX_VALUE : r.spec().workload().revision()))
                .toList();
    }

    /** Waits until the component has {@code count} Release records, the newest with {@code lastStatus}, and returns them. */
    List<ReleaseRecord> awaitReleases(String component, int count, ReleaseStatus lastStatus) {
        eventually().until(() -> {
            List<ReleaseRecord> rs = releases(component);
            return rs.size() == count && rs.get(count - 1).status().phase() == lastStatus;
        });
        return releases(component);
    }

    List<ReleaseCommandRecord> commands() {
        return new CommandRecords(client).list(List.of(NS));
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        clients.close();
        sim.close();
    }
}

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
import dev.shipdeck.sim.testing.TestCluster;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * A cluster (cluster-sim at 20× time, or the real control plane in the real tier) with the Shipdeck CRDs and Argo
 * Rollouts installed, a namespace for the workloads the agent tests deploy, a kubeconfig to it and an admin client.
 * The agents it starts manage only that namespace and hold their lease there.
 */
final class AgentFixture implements AutoCloseable {
    /** The workloads' namespace on cluster-sim (on the real control plane: {@link #ns}). */
    static final String NS = "shop";

    final TestCluster target;
    /** cluster-sim and its cluster "sim"; null on the real control plane. */
    final ClusterSim sim;
    final SimCluster cluster;
    final String ns;
    final Environment env;
    final Path kubeconfig;
    final KubeClients clients;
    final KubernetesClient client;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    AgentFixture(Path dir) {
        target = TestCluster.builder().context("sim").tag("agent").speed(20).rollouts().start(dir);
        sim = target.sim().orElse(null);
        cluster = target.simCluster().orElse(null);
        target.apply(String.join("---\n", Crds.yaml()));
        ns = target.ns(NS);
        env = new Environment("sim", "sim", "", List.of(ns), Labels.NONE, 0);
        kubeconfig = target.kubeconfig(TestCluster.ADMIN);
        clients = new KubeClients(Kubeconfig.load(kubeconfig.toString()), KubeClients.Options.INTERACTIVE);
        client = clients.clientNow("sim");
    }

    /** An agent in this JVM with a short lease, logging into a buffer (kept out of the test output). */
    Agent agent(String identity, Duration commandWindow, Retention retention) {
        Agent.Config config = new Agent.Config(env, ns, "shipdeck-agent", identity, Duration.ofSeconds(4), Duration.ofSeconds(3),
                Duration.ofMillis(500), 0, commandWindow, retention, Duration.ofMillis(500), Duration.ofMillis(500));
        AgentLog log = new AgentLog(new PrintStream(logs, true, StandardCharsets.UTF_8), Clock.systemUTC(), Set::of);
        KubeClients own = new KubeClients(Kubeconfig.load(kubeconfig.toString()), KubeClients.Options.INTERACTIVE);
        Agent a = new Agent(config, own, log, Clock.systemUTC()).start();
        started.add(own);
        started.add(a);
        return a;
    }

    /** {@code shipdeck agent run} as a process (see {@link AgentProcess}), managing this fixture's namespace. */
    AgentProcess agentProcess(String identity) {
        return AgentProcess.start(kubeconfig, identity, "--managed-namespaces", ns, "--lease-namespace", ns);
    }

    static ConditionFactory eventually() {
        // a poll, over as soon as it holds: the bound is for a loaded 2-core machine starting agent JVMs, not a timing
        return await().atMost(Duration.ofSeconds(TestCluster.realTier() ? 120 : 90)).pollInterval(Duration.ofMillis(100));
    }

    /**
     * Creates or changes a Deployment that is the component {@code name}; its pods become ready after
     * {@code readySeconds} simulated seconds (on the real control plane: the same wall time), or never when {@code neverReady}.
     */
    void deploy(String name, String version, int readySeconds, boolean neverReady, int progressDeadlineSeconds) {
        ObjectNode d = workload("apps/v1", "Deployment", name, version);
        d.withObject("/spec").put("progressDeadlineSeconds", progressDeadlineSeconds);
        d.withObject("/spec").put("revisionHistoryLimit", 50); // every revision of a long test keeps its ReplicaSet
        ObjectNode template = d.withObject("/spec").withObject("/template");
        target.readyAfter(template, readySeconds);
        if (neverReady) TestCluster.neverReady(template);
        target.apply(d.toString());
    }

    void deploy(String name, String version) {
        deploy(name, version, 2, false, 600);
    }

    /** Creates or changes a Rollout (canary: 50%, then a pause until promoted) that is the component {@code name}. */
    void rollout(String name, String version) {
        ObjectNode r = workload("argoproj.io/v1alpha1", "Rollout", name, version);
        target.readyAfter(r.withObject("/spec").withObject("/template"), 2);
        ArrayNode steps = r.withObject("/spec").putObject("strategy").putObject("canary").putArray("steps");
        steps.addObject().put("setWeight", 50);
        steps.addObject().putObject("pause");
        target.apply(r.toString());
    }

    private ObjectNode workload(String apiVersion, String kind, String name, String version) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name).put("namespace", ns);
        meta.putObject("labels").put("shipdeck.dev/component-name", name);
        ObjectNode spec = o.putObject("spec");
        spec.put("replicas", 2);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name).put("shipdeck.dev/version", version);
        template.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", "example/" + name + ":" + version);
        return o;
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
        return new Commands(clients, List.of(env)).run(CommandRequest.of(action, env.name(), component, args));
    }

    /** The Release records of a component, oldest revision first. */
    List<ReleaseRecord> releases(String component) {
        return new ReleaseRecords(client).list(List.of(ns)).stream()
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
        return new CommandRecords(client).list(List.of(ns));
    }

    /**
     * What a person debugging a failed agent test wants to see: the agent's log and, for each workload of the
     * namespace, its status and its Release records (the test output shows it only when the test failed).
     */
    String diagnostics() {
        StringBuilder out = new StringBuilder();
        for (TestCluster.Kind kind : List.of(TestCluster.Kind.DEPLOYMENTS, TestCluster.Kind.ROLLOUTS)) {
            try {
                for (ObjectNode w : target.list(kind, ns)) {
                    out.append(kind.plural()).append('/').append(w.path("metadata").path("name").asText())
                            .append(" generation ").append(w.path("metadata").path("generation").asText())
                            .append(" spec.paused=").append(w.path("spec").path("paused").asText("false"))
                            .append("\n  status: ").append(w.path("status")).append('\n');
                }
            } catch (RuntimeException e) {
                out.append(kind.plural()).append(": not listed (").append(e.getMessage()).append(")\n");
            }
        }
        try {
            for (ReleaseRecord r : new ReleaseRecords(client).list(List.of(ns))) {
                out.append("release ").append(r.name()).append(' ').append(r.spec().version()).append(' ')
                        .append(r.status().phase()).append(" step=").append(r.status().rolloutStep())
                        .append(" message=").append(r.status().message()).append('\n');
            }
        } catch (RuntimeException e) {
            out.append("releases: not listed (").append(e.getMessage()).append(")\n");
        }
        String log = logs.toString(StandardCharsets.UTF_8);
        out.append("agent log (last 60 lines):\n");
        List<String> lines = log.lines().toList();
        lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(l -> out.append("  ").append(l).append('\n'));
        return out.toString();
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
        target.close();
    }
}

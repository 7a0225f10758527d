package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.Environments;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.ResourceType;
import dev.shipdeck.sim.Resources;
import dev.shipdeck.sim.SimCluster;
import dev.shipdeck.sim.testing.TestCluster;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the command tests share: manifests, connecting as a user does, and waiting for the simulated controllers. */
final class Sim {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    static final String NS = "apps";

    private Sim() {}

    /** A kubeconfig file → Kubeconfig → KubeClients → Commands, as the CLI connects. */
    record Connection(KubeClients clients, Commands commands, List<dev.shipdeck.core.model.Environment> environments) implements AutoCloseable {
        @Override
        public void close() {
            clients.close();
        }
    }

    static Connection connect(ClusterSim sim, Path file, String user, Clock clock) {
        return connect(sim, file, user, clock, null);
    }

    /** With an environments.yaml ({@code environments} null: one environment per context). */
    static Connection connect(ClusterSim sim, Path file, String user, Clock clock, Path environments) {
        Kubeconfig k = Kubeconfig.load(List.of(sim.writeKubeconfig(file, user)), true);
        KubeClients clients = new KubeClients(k, KubeClients.Options.CLI);
        var envs = Environments.resolve(k, environments);
        return new Connection(clients, new Commands(clients, envs, new InMemoryCommandLog(), clock), envs);
    }

    /** The component as the desktop sees it (a fresh snapshot), for {@link Commands#availability}. */
    static dev.shipdeck.core.model.Component component(Connection c, String environment, String name) {
        var env = c.environments().stream().filter(e -> e.name().equals(environment)).findFirst().orElseThrow();
        var snap = new dev.shipdeck.core.kube.ClusterReader(c.clients()).read(env);
        return snap.components().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + name + " in " + snap));
    }

    static Availability availability(Connection c, String environment, String name, dev.shipdeck.core.model.Action a) {
        var comp = component(c, environment, name);
        return c.commands().availability(comp, comp.primary(), a);
    }

    static Connection connect(ClusterSim sim, Path file, String user) {
        return connect(sim, file, user, Clock.systemUTC());
    }

    /** Through the test cluster's kubeconfig for {@code user} (cluster-sim or the real control plane). */
    static Connection connect(TestCluster cluster, String user, Clock clock, Path environments) {
        Kubeconfig k = Kubeconfig.load(List.of(cluster.kubeconfig(user)), true);
        KubeClients clients = new KubeClients(k, KubeClients.Options.CLI);
        var envs = Environments.resolve(k, environments);
        return new Connection(clients, new Commands(clients, envs, new InMemoryCommandLog(), clock), envs);
    }

    /** An environments.yaml with one environment {@code name} of {@code context} limited to {@code namespace}. */
    static Path environment(Path file, String context, String name, String namespace) {
        try {
            return java.nio.file.Files.writeString(file, "environments:\n  - {context: " + context + ", name: " + name
                    + ", namespaces: [" + namespace + "]}\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ manifests

    /**
     * A Deployment of component {@code name} at {@code version}: version label and image tag on the pod template,
     * a change-cause and commit annotation per version on the Deployment (the controller copies them to the
     * ReplicaSet, and a rollback copies them back).
     */
    static ObjectNode deployment(String name, String version, int replicas) {
        ObjectNode d = workload("apps/v1", "Deployment", name, version, replicas);
        d.withObject("/metadata/annotations").put("kubernetes.io/change-cause", "deploy " + version)
                .put("shipdeck.dev/commit-sha", "sha-" + version.replace('.', '-'));
        return d;
    }

    /** A canary Rollout with the given steps (JSON, e.g. {@code {"setWeight":20}}). */
    static ObjectNode rollout(String name, String version, int replicas, String... steps) {
        ObjectNode r = workload("argoproj.io/v1alpha1", "Rollout", name, version, replicas);
        ArrayNode a = r.withObject("/spec").putObject("strategy").putObject("canary").putArray("steps");
        for (String s : steps) a.add(parse(s));
        return r;
    }

    /** Without a namespace (kubectl -n and SimCluster.apply's default put it in one). */
    static ObjectNode withoutNamespace(ObjectNode o) {
        ((ObjectNode) o.get("metadata")).remove("namespace");
        return o;
    }

    private static ObjectNode workload(String apiVersion, String kind, String name, String version, int replicas) {
        ObjectNode o = JSON.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name).put("namespace", NS);
        meta.putObject("labels").put("app", name).put("shipdeck.dev/component-name", name);
        meta.putObject("annotations");
        ObjectNode spec = o.putObject("spec");
        spec.put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name).put("shipdeck.dev/component-name", name)
                .put("shipdeck.dev/version", version);
        template.putObject("spec").putArray("containers").addObject().put("name", "app")
                .put("image", "registry.example.com/team/" + name + ":" + version);
        return o;
    }

    /** A YAML stream of the objects, for kubectl apply -f and SimCluster.apply. */
    static String stream(List<ObjectNode> items) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode o : items) {
            try {
                out.append(YAML.writeValueAsString(o));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    // ------------------------------------------------------------------ reading the simulated cluster

    static ObjectNode get(SimCluster c, ResourceType t, String name) {
        return c.store().get(t, NS, name);
    }

    static ObjectNode deploymentIn(SimCluster c, String name) {
        return get(c, Resources.DEPLOYMENTS, name);
    }

    static String rv(ObjectNode o) {
        return o.path("metadata").path("resourceVersion").asText();
    }

    /** The ReplicaSets a workload controls, by name. */
    static Map<String, ObjectNode> replicaSets(SimCluster c, ObjectNode owner) {
        String uid = owner.path("metadata").path("uid").asText();
        Map<String, ObjectNode> out = new TreeMap<>();
        for (ObjectNode rs : c.store().list(Resources.REPLICA_SETS, NS, o -> true).items()) {
            for (JsonNode ref : rs.path("metadata").path("ownerReferences")) {
                if (ref.path("controller").asBoolean() && uid.equals(ref.path("uid").asText())) {
                    out.put(rs.path("metadata").path("name").asText(), rs);
                }
            }
        }
        return out;
    }

    static String version(JsonNode rsOrWorkload) {
        return rsOrWorkload.path("spec").path("template").path("metadata").path("labels").path("shipdeck.dev/version").asText();
    }

    /** The ReplicaSets a workload controls in {@code ns}, by name. */
    static Map<String, ObjectNode> replicaSets(TestCluster c, String ns, ObjectNode owner) {
        String uid = owner.path("metadata").path("uid").asText();
        Map<String, ObjectNode> out = new TreeMap<>();
        for (ObjectNode rs : c.list(TestCluster.Kind.REPLICA_SETS, ns)) {
            for (JsonNode ref : rs.path("metadata").path("ownerReferences")) {
                if (ref.path("controller").asBoolean() && uid.equals(ref.path("uid").asText())) {
                    out.put(rs.path("metadata").path("name").asText(), rs);
                }
            }
        }
        return out;
    }

    /** Waits until a Deployment in {@code ns} has rolled out completely (see {@link #awaitDeploymentSettled(SimCluster, String)}). */
    static void awaitDeploymentSettled(TestCluster c, String ns, String name) {
        await().atMost(c.patience()).pollInterval(Duration.ofMillis(c.real() ? 250 : 50)).untilAsserted(() -> {
            ObjectNode d = c.get(TestCluster.Kind.DEPLOYMENTS, ns, name);
            assertThat(d).as("%s/%s", ns, name).isNotNull();
            assertSettled(d, name, replicaSets(c, ns, d).values());
        });
    }

    private static void assertSettled(ObjectNode d, String name, java.util.Collection<ObjectNode> replicaSets) {
        JsonNode st = d.path("status");
        long replicas = d.path("spec").path("replicas").asLong(1);
        assertThat(st.path("observedGeneration").asLong()).as("%s observed", name).isEqualTo(d.path("metadata").path("generation").asLong());
        assertThat(st.path("updatedReplicas").asLong()).as("%s updated", name).isEqualTo(replicas);
        assertThat(st.path("availableReplicas").asLong()).as("%s available", name).isEqualTo(replicas);
        assertThat(st.path("replicas").asLong()).as("%s replicas", name).isEqualTo(replicas);
        long scaledUp = 0;
        for (ObjectNode rs : replicaSets) {
            if (rs.path("spec").path("replicas").asLong() > 0) {
                scaledUp++;
            } else {
                assertThat(rs.path("status").path("replicas").asLong()).as("old %s", rs.path("metadata").path("name")).isZero();
            }
        }
        assertThat(scaledUp).as("%s: ReplicaSets with replicas", name).isEqualTo(1);
    }

    /** Waits until a Deployment has rolled out completely: observed, all replicas updated and available, old ones gone. */
    static void awaitDeploymentSettled(SimCluster c, String name) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            ObjectNode d = deploymentIn(c, name);
            assertSettled(d, name, replicaSets(c, d).values());
        });
    }
}

package dev.shipdeck.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.testing.TestCluster;
import org.awaitility.core.ConditionFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the core tests reach cluster-sim: the way a user does, through a kubeconfig file on disk, then
 * {@link Kubeconfig}, {@link KubeClients} and {@link ClusterReader}.
 */
public final class TestClusters {
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    public static final ObjectMapper JSON = new ObjectMapper();

    private TestClusters() {}

    /** A simulated cluster named {@code sim} with nothing in it (no Rollouts CRD either). */
    public static ClusterSim startEmpty() {
        return ClusterSim.builder().clusters("sim").scenario("empty").start();
    }

    /** Writes the sim's admin kubeconfig to {@code dir/kubeconfig} and returns the file. */
    public static Path writeKubeconfig(ClusterSim sim, Path dir) {
        return sim.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    /** Clients for one kubeconfig file, as {@code --kubeconfig FILE} would give them. */
    public static KubeClients clients(Path kubeconfig) {
        return new KubeClients(Kubeconfig.load(List.of(kubeconfig), true), KubeClients.Options.CLI);
    }

    /** The environment of context {@code context} limited to {@code namespace}. */
    public static Environment env(String context, String namespace) {
        return new Environment(context, context, context, List.of(namespace), Labels.NONE, 0);
    }

    public static Optional<Component> component(EnvironmentSnapshot s, String name) {
        return s.components().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Reads {@code namespace} once and returns the component, failing when the read is not connected. */
    public static Component read(ClusterReader reader, String context, String namespace, String name) {
        EnvironmentSnapshot s = reader.read(env(context, namespace));
        assertThat(s.connection().connected()).as("connection: %s", s.connection().describe()).isTrue();
        return component(s, name).orElseThrow(() -> new AssertionError("no component " + name + " in " + namespace
                + " (have " + s.components().stream().map(Component::name).toList() + ")"));
    }

    public static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).ignoreExceptions();
    }

    /** Within the cluster's patience (cluster-sim: seconds; the real control plane's wall clock: longer). */
    public static ConditionFactory eventually(TestCluster cluster) {
        return await().atMost(cluster.patience()).pollInterval(Duration.ofMillis(cluster.real() ? 250 : 50)).ignoreExceptions();
    }

    /** The sim's kubeconfig as a tree, to build variants of it. */
    public static ObjectNode kubeconfigTree(ClusterSim sim, String user) {
        try {
            return (ObjectNode) YAML.readTree(sim.kubeconfig(user));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code certificate-authority-data} of the first cluster in a kubeconfig tree. */
    public static String caData(JsonNode kubeconfig) {
        return kubeconfig.path("clusters").get(0).path("cluster").path("certificate-authority-data").asText();
    }

    /** The API server URL of the first cluster in a kubeconfig tree. */
    public static String server(JsonNode kubeconfig) {
        return kubeconfig.path("clusters").get(0).path("cluster").path("server").asText();
    }

    public static Path writeYaml(Path file, JsonNode tree) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, YAML.writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that none of {@code texts} contains any of {@code secrets}. */
    public static void assertNoSecrets(Collection<String> texts, Collection<String> secrets) {
        assertThat(secrets).as("the secrets to look for").isNotEmpty().allSatisfy(s -> assertThat(s).hasSizeGreaterThan(8));
        for (String t : texts) {
            for (String s : secrets) {
                assertThat(t).as("a text shown to the user").doesNotContain(s);
            }
        }
    }
}

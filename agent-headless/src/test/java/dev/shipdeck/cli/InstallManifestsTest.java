package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shipdeck.agent.Install;
import dev.shipdeck.sim.testing.Helm;
import dev.shipdeck.sim.testing.Kubectl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * installers/agent: the kustomize base renders exactly what {@code shipdeck install} prints (and the example overlay
 * what it prints for those namespaces), the Helm chart renders it for its default values and for the values that match
 * its options, and the committed files are what {@link InstallManifests} writes today.
 */
class InstallManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String REGENERATE = "installers/agent is out of date; regenerate it: ./mvnw -q -pl agent-headless -am install -DskipTests && "
            + "java -cp agent-headless/target/shipdeck.jar dev.shipdeck.cli.InstallManifests installers/agent";

    @TempDir
    Path temp;

    /** installers/agent of this checkout (the tests run in agent-headless/). */
    private static Path agentInstallers() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("agent-headless")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                Path installers = dir.resolve("installers/agent");
                assertThat(installers).as("installers/agent in the repository").isDirectory();
                return installers;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    // ---- kustomize

    @Test
    void theKustomizeBaseRendersWhatShipdeckInstallPrints() {
        assertThat(objects(kustomize(agentInstallers().resolve(InstallManifests.BASE))))
                .isEqualTo(objects(install()));
    }

    @Test
    void theExampleOverlayRendersShipdeckInstallForItsNamespaces() {
        Map<String, JsonNode> rendered = objects(kustomize(agentInstallers().resolve(InstallManifests.OVERLAY)));
        assertThat(rendered).isEqualTo(objects(install("--managed-namespaces", String.join(",", InstallManifests.EXAMPLE_NAMESPACES))));
        assertThat(rendered).doesNotContainKey("ClusterRole//shipdeck-agent").containsKeys("Role/payments/shipdeck-agent", "Role/search/shipdeck-agent");
    }

    @Test
    void theCommittedFilesAreWhatTheGeneratorWrites() throws IOException {
        InstallManifests.write(temp);
        Path committed = agentInstallers();
        for (String dir : List.of(InstallManifests.BASE, InstallManifests.OVERLAY, InstallManifests.CHART)) {
            Map<String, String> expected = tree(temp.resolve(dir));
            Map<String, String> actual = tree(committed.resolve(dir));
            assertThat(actual.keySet()).as(REGENERATE + " (files of %s)", dir).isEqualTo(expected.keySet());
            for (Map.Entry<String, String> f : expected.entrySet()) {
                assertThat(actual.get(f.getKey())).as(REGENERATE + " (%s/%s)", dir, f.getKey()).isEqualTo(f.getValue());
            }
        }
    }

    @Test
    void theGeneratedArgsAreStringsForKubernetes() {
        // a number in a container's args is refused by the API server; the base must keep "8080" a string
        JsonNode deployment = objects(install()).get("Deployment/shipdeck-system/shipdeck-agent");
        for (JsonNode arg : deployment.at("/spec/template/spec/containers/0/args")) assertThat(arg.isTextual()).as("%s", arg).isTrue();
    }

    // ---- Helm

    @Test
    @Tag("real")
    void theChartWithItsDefaultValuesRendersWhatShipdeckInstallPrints() throws IOException {
        Map<String, JsonNode> expected = objects(install());
        // helm install --create-namespace makes the namespace; the chart only adds it with createNamespace
        JsonNode namespace = expected.remove("Namespace//shipdeck-system");
        assertThat(namespace).isNotNull();
        assertThat(objects(helm(Map.of()))).isEqualTo(expected);

        assertThat(objects(helm(Map.of("createNamespace", "true")))).isEqualTo(objects(install()));
    }

    @Test
    @Tag("real")
    void theChartWithManagedNamespacesRendersShipdeckInstallWithThem() throws IOException {
        assertThat(objects(helm(Map.of("managedNamespaces", "[a, b]", "createNamespace", "true"))))
                .isEqualTo(objects(install("--managed-namespaces", "a,b")));
        Map<String, JsonNode> one = objects(install("--managed-namespaces", "a"));
        one.remove("Namespace//shipdeck-system");
        assertThat(objects(helm(Map.of("managedNamespaces", "[a]")))).isEqualTo(one);
    }

    @Test
    @Tag("real")
    void theChartsValuesAreShipdeckInstallsOptions() throws IOException {
        Map<String, String> values = Map.of(
                "namespace", "ops",
                "createNamespace", "true",
                "image", "registry.example/shipdeck:9",
                "replicas", "3",
                "environmentName", "\"2024\"",
                "managedNamespaces", "[shop]",
                "extraArgs", "[--retention-count=50, --prune-interval=1m]");
        assertThat(objects(helm(values))).isEqualTo(objects(install("-n", "ops", "--image", "registry.example/shipdeck:9", "--replicas", "3",
                "--environment-name", "2024", "--managed-namespaces", "shop", "--agent-arg=--retention-count=50", "--agent-arg=--prune-interval=1m")));
    }

    @Test
    @Tag("real")
    void theChartsLeaseCommandExpiryAndResourcesValues() throws IOException {
        Map<String, JsonNode> rendered = objects(helm(Map.of("leaseName", "agent-lease", "commandExpiry", "30m",
                "extraArgs", "[--retention-days=30]", "resources", "{requests: {cpu: 100m, memory: 300Mi}, limits: null}")));
        Map<String, JsonNode> expected = objects(install("--agent-arg=--lease-name", "--agent-arg=agent-lease", "--agent-arg=--command-expiry",
                "--agent-arg=30m", "--agent-arg=--retention-days=30"));
        expected.remove("Namespace//shipdeck-system");
        ((ArrayNode) expected.get("Role/shipdeck-system/shipdeck-agent-leader-election").at("/rules/1/resourceNames")).set(0, TextNode.valueOf("agent-lease"));
        ObjectNode container = (ObjectNode) expected.get("Deployment/shipdeck-system/shipdeck-agent").at("/spec/template/spec/containers/0");
        container.set("resources", YAML.readTree("{requests: {cpu: 100m, memory: 300Mi}}"));
        assertThat(rendered).isEqualTo(expected);
    }

    @Test
    void theChartIsNamedAndVersionedAfterTheProject() throws IOException {
        Path chart = agentInstallers().resolve(InstallManifests.CHART);
        JsonNode meta = YAML.readTree(chart.resolve("Chart.yaml").toFile());
        JsonNode values = YAML.readTree(chart.resolve("values.yaml").toFile());
        assertThat(meta.path("apiVersion").asText()).isEqualTo("v2");
        assertThat(meta.path("name").asText()).isEqualTo("shipdeck-agent");
        assertThat(meta.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+").doesNotContain("SNAPSHOT");
        assertThat(values.path("image").asText()).endsWith(":" + meta.path("appVersion").asText());
        assertThat(values.path("namespace").asText()).isEqualTo("shipdeck-system");
    }

    // ---- rendering

    /** {@code kubectl kustomize DIR}; skipped (with a notice) where kubectl is missing, failed when CI requires it. */
    private static String kustomize(Path dir) {
        dev.shipdeck.sim.testing.Kubectl.assumeAvailable();
        List<String> cmd = List.of("kubectl", "kustomize", dir.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s: %s", cmd, new String(err, StandardCharsets.UTF_8)).isZero();
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code helm template --include-crds} of the chart, with {@code overrides} (each a key of values.yaml, given as
     * YAML) as a values file on top of values.yaml — merged the way helm merges values. Skipped without helm.
     */
    private String helm(Map<String, String> overrides) throws IOException {
        Helm.assumeAvailable();
        Path chart = agentInstallers().resolve(InstallManifests.CHART);
        JsonNode defaults = YAML.readTree(chart.resolve("values.yaml").toFile());
        ObjectNode values = YAML.createObjectNode();
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            assertThat(defaults.has(o.getKey())).as("values.yaml has %s", o.getKey()).isTrue();
            values.set(o.getKey(), yaml(o.getValue()));
        }
        Path file = Files.writeString(temp.resolve("values-" + overrides.hashCode() + ".yaml"), YAML.writeValueAsString(values));
        Kubectl.Result r = new Helm(temp.resolve("helm"), null).run("template", "shipdeck-agent", chart.toString(), "--include-crds", "-f", file.toString());
        assertThat(r.ok()).as("%s", r).isTrue();
        return r.out();
    }

    @Test
    @Tag("real")
    void helmLintFindsNothingToSay() {
        Helm.assumeAvailable();
        Kubectl.Result r = new Helm(temp.resolve("helm"), null).run("lint", "--strict", agentInstallers().resolve(InstallManifests.CHART).toString());
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.out()).contains("1 chart(s) linted, 0 chart(s) failed").doesNotContain("[ERROR]").doesNotContain("[WARNING]");
    }

    private static String install(String... args) {
        Cli.Result r = Cli.run(Map.of(), Stream.concat(Stream.of("install"), Stream.of(args)).toArray(String[]::new));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        return r.out();
    }

    /** The objects of a YAML stream by kind/namespace/name; none twice. */
    private static Map<String, JsonNode> objects(String stream) {
        Map<String, JsonNode> objects = new TreeMap<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(stream)) {
            while (docs.hasNext()) {
                JsonNode o = docs.next();
                if (o == null || o.isNull() || o.isMissingNode() || o.isEmpty()) continue;
                String key = o.path("kind").asText() + "/" + o.path("metadata").path("namespace").asText() + "/" + o.path("metadata").path("name").asText();
                assertThat(objects.put(key, o)).as("%s appears twice", key).isNull();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(objects).as("objects in %s", stream).isNotEmpty();
        assertThat(objects.keySet()).anyMatch(k -> k.startsWith("Deployment/") && k.endsWith("/" + Install.NAME));
        return objects;
    }

    private static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** Every file under dir by its relative path, with its content. */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) return files;
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(all::add);
        }
        for (Path f : all) files.put(dir.relativize(f).toString().replace('\\', '/'), Files.readString(f));
        return files;
    }
}

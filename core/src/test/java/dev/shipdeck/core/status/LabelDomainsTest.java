package dev.shipdeck.core.status;

import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.SimCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.shipdeck.core.TestClusters.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What makes a workload a component, and what Shipdeck reads from it (KUBERNETES.md, "Labels and annotations"):
 * both label domains ({@code shipdeck.dev/} and the {@code circleci.com/} twins), the version and its image-tag
 * fallback, the {@code -enabled} annotations, and {@code key:value} labels from the workload and its namespace,
 * where a malformed annotation never hides a component.
 */
class LabelDomainsTest {
    static final String NS = "labels";
    static final String BAD_NS = "labels-bad";

    @TempDir
    static Path dir;
    static ClusterSim sim;
    static KubeClients clients;
    static EnvironmentSnapshot snapshot;
    static EnvironmentSnapshot badNsSnapshot;

    @BeforeAll
    static void start() {
        sim = TestClusters.startEmpty();
        SimCluster cluster = sim.cluster("sim");
        cluster.apply(namespace(NS, "tier:prod, region:eu"));
        cluster.apply(namespace(BAD_NS, "tier:prod, this is not a label, :x, owner:, region:eu:west"));

        cluster.apply(Manifest.deployment(NS, "modern").version("2.4.1").image("registry.example.com/pay/modern:sha-deadbeef")
                .annotation("shipdeck.dev/labels", "team:payments, role:web").text());
        cluster.apply(Manifest.deployment(NS, "legacy").noComponent().component("circleci.com/", "legacy")
                .version("circleci.com/", "7.0.2").text());
        cluster.apply(Manifest.deployment(NS, "template-only").noComponent().version("1.1.0")
                .templateLabel("shipdeck.dev/component-name", "template-only").text());
        cluster.apply(Manifest.deployment(NS, "tagged").image("registry.example.com:5000/search/tagged:3.1.4").text());
        cluster.apply(Manifest.deployment(NS, "untagged").image("registry.example.com:5000/search/untagged").text());
        cluster.apply(Manifest.deployment(NS, "both-domains").component("circleci.com/", "old-name").version("5.0.0").text());
        cluster.apply(Manifest.deployment(NS, "not-a-component").noComponent().version("1.0.0").text());
        cluster.apply(Manifest.deployment(NS, "switches").version("1.0.0")
                .annotation("shipdeck.dev/restart-component-enabled", "false")
                .annotation("circleci.com/scale-component-enabled", " FALSE ")
                .annotation("shipdeck.dev/promote-release-enabled", "false")
                .annotation("shipdeck.dev/retry-release-enabled", "true")
                .annotation("circleci.com/cancel-release-enabled", "yes").text());
        cluster.apply(Manifest.deployment(NS, "links").version("1.0.0")
                .annotation("circleci.com/pipeline-url", "https://ci.example.com/pay/links/pipelines/812")
                .annotation("circleci.com/commit-sha", "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0").text());
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) many.add(String.format("k%02d:v%02d", i, i));
        cluster.apply(Manifest.deployment(NS, "too-many").version("1.0.0").annotation("shipdeck.dev/labels", String.join(",", many)).text());
        cluster.apply(Manifest.deployment(NS, "malformed").version("1.0.0")
                .annotation("shipdeck.dev/labels", "team:payments, nonsense, :nokey, novalue:, a:b:c, with space:x, role:web").text());
        cluster.apply(Manifest.deployment(BAD_NS, "in-bad-ns").version("1.0.0")
                .annotation("shipdeck.dev/labels", "team:search").text());

        clients = TestClusters.clients(TestClusters.writeKubeconfig(sim, dir));
        ClusterReader reader = new ClusterReader(clients);
        eventually().untilAsserted(() -> {
            snapshot = reader.read(TestClusters.env("sim", NS));
            assertThat(snapshot.components()).hasSize(10);
            assertThat(snapshot.releases()).allSatisfy(r -> assertThat(r.status().terminal()).isTrue());
        });
        badNsSnapshot = reader.read(TestClusters.env("sim", BAD_NS));
    }

    static String namespace(String name, String labels) {
        return """
                {"apiVersion": "v1", "kind": "Namespace",
                 "metadata": {"name": "%s", "annotations": {"shipdeck.dev/labels": "%s"}}}
                """.formatted(name, labels);
    }

    @AfterAll
    static void stop() {
        clients.close();
        sim.close();
    }

    static Component component(String name) {
        return TestClusters.component(snapshot, name).orElseThrow(() -> new AssertionError("no component " + name + " (have "
                + snapshot.components().stream().map(Component::name).toList() + ")"));
    }

    static Release release(String component) {
        return snapshot.releases().stream().filter(r -> r.component().equals(component)).findFirst().orElseThrow();
    }

    @Test
    void shipdeckLabelsMakeAComponentAndNameItsVersion() {
        Component c = component("modern");
        assertThat(c.version()).as("the version label wins over the image tag").isEqualTo("2.4.1");
        assertThat(c.primary().name()).isEqualTo("modern");
        assertThat(release("modern").version()).isEqualTo("2.4.1");
    }

    @Test
    void circleciLabelsWorkUnchanged() {
        Component c = component("legacy");
        assertThat(c.version()).isEqualTo("7.0.2");
        assertThat(release("legacy").version()).isEqualTo("7.0.2");
    }

    @Test
    void componentNameOnThePodTemplateAloneIsEnough() {
        assertThat(component("template-only").version()).isEqualTo("1.1.0");
    }

    @Test
    void shipdeckDomainWinsWhenBothAreSet() {
        assertThat(TestClusters.component(snapshot, "old-name")).isEmpty();
        assertThat(component("both-domains").version()).isEqualTo("5.0.0");
    }

    @Test
    void workloadsWithoutTheLabelAreNotComponents() {
        assertThat(snapshot.components()).extracting(Component::name).doesNotContain("not-a-component");
    }

    @Test
    void versionFallsBackToTheImageTag() {
        assertThat(component("tagged").version()).as("registry with a port, then a tag").isEqualTo("3.1.4");
        assertThat(component("untagged").version()).as("no tag at all").isEqualTo("latest");
        assertThat(release("tagged").version()).isEqualTo("3.1.4");
    }

    @Test
    void enabledAnnotationsOfBothDomainsTurnActionsOff() {
        Workload w = component("switches").primary();
        assertThat(w.disabledActions()).containsExactlyInAnyOrder(Action.RESTART, Action.SCALE, Action.PROMOTE, Action.PROMOTE_FULL);
        assertThat(w.actionEnabled(Action.RETRY)).isTrue();
        assertThat(w.actionEnabled(Action.CANCEL)).as("only \"false\" turns an action off").isTrue();
        assertThat(w.actionEnabled(Action.RESTORE_VERSION)).isTrue();
        assertThat(component("modern").primary().disabledActions()).isEmpty();
    }

    @Test
    void triggerLinksComeFromEitherDomain() {
        Workload w = component("links").primary();
        assertThat(w.trigger().pipelineUrl()).isEqualTo("https://ci.example.com/pay/links/pipelines/812");
        assertThat(w.trigger().shortText()).isEqualTo("#812 a1b2c3d");
    }

    @Test
    void labelsComeFromTheWorkloadAndItsNamespace() {
        assertThat(component("modern").labels().asStrings())
                .containsExactly("region:eu", "role:web", "team:payments", "tier:prod");
        assertThat(component("legacy").labels().asStrings()).containsExactly("region:eu", "tier:prod");
    }

    @Test
    void malformedLabelsAreSkippedAndTheComponentStays() {
        assertThat(component("malformed").labels().asStrings())
                .containsExactly("region:eu", "role:web", "team:payments", "tier:prod");
    }

    @Test
    void moreThanTwentyLabelsKeepTwenty() {
        Labels labels = component("too-many").labels();
        assertThat(labels.items()).hasSize(20);
        assertThat(labels.asStrings()).contains("k00:v00", "k19:v19");
    }

    @Test
    void malformedNamespaceLabelsNeverHideAComponent() {
        assertThat(badNsSnapshot.connection().connected()).isTrue();
        Component c = TestClusters.component(badNsSnapshot, "in-bad-ns").orElseThrow();
        assertThat(c.labels().asStrings()).containsExactly("team:search", "tier:prod");
    }
}

package dev.shipdeck.sim;

import dev.shipdeck.sim.testing.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-side tables as {@code kubectl get} prints them: a CRD's {@code additionalPrinterColumns} (JSONPath fields,
 * indexes and wildcards, integer/boolean/date types, priority columns only with {@code -o wide}, an empty cell for a
 * missing value), Shipdeck's own Release CRD, and the wide columns of built-in kinds.
 */
class KubectlPrinterColumnsTest {
    /** Shipdeck's Release CRD as core ships it (cluster-sim must not depend on core, so it is read from the tree). */
    private static final Path RELEASES_CRD = Path.of("..", "core", "src", "main", "resources", "dev", "shipdeck", "core", "records",
            "releases.shipdeck.dev.yaml");

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

    private static List<String> header(String table) {
        return List.of(table.lines().findFirst().orElseThrow().strip().split("\\s{2,}"));
    }

    private static void create(String yaml) {
        Kubectl.Result r = kubectl.runWithInput(Duration.ofSeconds(30), yaml, "apply", "-f", "-");
        assertThat(r.ok()).as("%s", r).isTrue();
    }

    @Test
    void aCrdsPrinterColumnsAreTheTable() {
        create("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                      additionalPrinterColumns:
                        - {name: Color, type: string, jsonPath: .spec.color}
                        - {name: First-Port, type: integer, jsonPath: '.spec.ports[0].number'}
                        - {name: Port-Names, type: string, jsonPath: '.spec.ports[*].name'}
                        - {name: Ready, type: boolean, jsonPath: .status.ready}
                        - {name: Owner, type: string, jsonPath: .spec.owner.team, priority: 1}
                        - {name: Built, type: date, jsonPath: .metadata.creationTimestamp}
                """);
        create("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: gear}
                spec:
                  color: blue
                  ports: [{name: http, number: 8080}, {name: admin, number: 9090}]
                  owner: {team: payments}
                status: {ready: true}
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: bare}
                spec: {}
                """);

        String table = kubectl.out("get", "widgets");
        assertThat(header(table)).containsExactly("NAME", "COLOR", "FIRST-PORT", "PORT-NAMES", "READY", "BUILT");
        assertThat(table.lines()).anyMatch(l -> l.matches("gear\\s+blue\\s+8080\\s+http\\s+true\\s+\\d+s"))
                .anyMatch(l -> l.matches("bare\\s+\\d+s"));

        String wide = kubectl.out("get", "widgets", "-o", "wide");
        assertThat(header(wide)).containsExactly("NAME", "COLOR", "FIRST-PORT", "PORT-NAMES", "READY", "OWNER", "BUILT");
        assertThat(wide.lines()).anyMatch(l -> l.matches("gear\\s+blue\\s+8080\\s+http\\s+true\\s+payments\\s+\\d+s"));
    }

    @Test
    void aCrdWithoutPrinterColumnsShowsNameAndAge() {
        create("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gadgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {plural: gadgets, singular: gadget, kind: Gadget}
                  versions:
                    - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
                """);
        create("""
                apiVersion: example.com/v1
                kind: Gadget
                metadata: {name: widget-free}
                """);

        String table = kubectl.out("get", "gadgets");
        assertThat(header(table)).containsExactly("NAME", "AGE");
        assertThat(table.lines()).anyMatch(l -> l.matches("widget-free\\s+\\d+s"));
    }

    @Test
    void shipdecksReleasesShowTheirColumns() throws IOException {
        assertThat(RELEASES_CRD).as("Shipdeck's Release CRD in the source tree").exists();
        create(Files.readString(RELEASES_CRD));
        create("""
                apiVersion: shipdeck.dev/v1alpha1
                kind: Release
                metadata: {name: checkout-4-3-0}
                spec: {component: checkout, environment: prod, version: 4.3.0, previousVersion: 4.2.0, type: PROGRESSIVE,
                       source: agent, rollback: false}
                """);
        kubectl.out("patch", "releases.shipdeck.dev", "checkout-4-3-0", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"phase\":\"RUNNING\",\"startedAt\":\"" + sim.clock().timestamp() + "\",\"rolloutStep\":\"1/3\"}}");

        String table = kubectl.out("get", "releases.shipdeck.dev");
        assertThat(header(table)).containsExactly("NAME", "COMPONENT", "VERSION", "PREVIOUS", "TYPE", "STATUS", "STARTED", "SOURCE");
        assertThat(table.lines()).anyMatch(l -> l.matches("checkout-4-3-0\\s+checkout\\s+4\\.3\\.0\\s+4\\.2\\.0\\s+PROGRESSIVE\\s+RUNNING\\s+\\d+s\\s+agent"));

        String wide = kubectl.out("get", "releases.shipdeck.dev", "-o", "wide");
        assertThat(header(wide)).endsWith("SOURCE", "ROLLBACK", "STEP", "REASON");
        assertThat(wide.lines()).anyMatch(l -> l.matches("checkout-4-3-0\\s+.*agent\\s+false\\s+1/3\\s*"));
    }

    @Test
    void theStatusSentWithACreateIsIgnoredWhenTheKindHasAStatusSubresource() throws IOException {
        create(Files.readString(RELEASES_CRD));
        create("""
                apiVersion: shipdeck.dev/v1alpha1
                kind: Release
                metadata: {name: cart-8-2-0}
                spec: {component: cart, environment: prod, version: 8.2.0, type: DEPLOYMENT, source: marker}
                status: {phase: SUCCESS}
                """);

        assertThat(kubectl.out("get", "releases.shipdeck.dev", "cart-8-2-0", "-o", "jsonpath={.status.phase}")).isEmpty();
    }

    @Test
    void builtInKindsHaveTheirWideColumns() {
        create(TestManifests.deployment("wide", "registry.example.com/wide:1.0.0", 1));

        String wide = kubectl.out("get", "deploy", "wide", "-o", "wide");
        assertThat(header(wide)).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(wide.lines()).anyMatch(l -> l.matches("wide\\s+\\d/1\\s+\\d\\s+\\d\\s+\\d+s\\s+app\\s+registry\\.example\\.com/wide:1\\.0\\.0\\s+app=wide"));
    }
}

package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.sim.testing.Helm;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.RealCluster;
import dev.shipdeck.sim.testing.TestCluster;
import dev.shipdeck.sim.testing.TestCluster.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent's packaged installs on the real control plane: the Helm chart installed with the real {@code helm
 * install}, and the kustomize base applied with the real {@code kubectl apply -k}. Then the agent runs with exactly
 * the arguments the installed Deployment gives it (a kubeconfig instead of {@code --in-cluster}: kwok runs no
 * containers), authenticated as the installed ServiceAccount (a token from the TokenRequest API) and so with only the
 * RBAC the install created, and records a rollout: both releases, the second with the first as its previous version.
 */
@Tag("real")
class InstalledAgentTest {
    @TempDir
    Path dir;
    private RealCluster real;
    private TestCluster target;
    private Kubectl kubectl;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() {
        real = RealCluster.require();
        Kubectl.assumeAvailable();
        target = TestCluster.builder().context("sim").tag("installed").startReal(dir);
        kubectl = target.kubectl(dir.resolve("kube-cache"));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
        if (target != null) target.close();
    }

    private static Path repository() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("installers/agent"))) return d;
        }
        throw new IllegalStateException("no installers/agent above " + Path.of("").toAbsolutePath());
    }

    @Test
    void theHelmChartInstalledWithHelmRunsAnAgentThatRecordsARollout() {
        Helm.assumeAvailable();
        String shop = target.ns("shop");
        String agentNs = target.ns("helm-agent");
        Helm helm = new Helm(dir.resolve("helm"), target.kubeconfig(TestCluster.ADMIN));
        Path chart = repository().resolve("installers/agent/helm/shipdeck-agent");
        Kubectl.Result install = helm.run(Duration.ofMinutes(2), "install", "shipdeck-agent", chart.toString(), "--kube-context", "sim",
                "-n", agentNs, "--set", "namespace=" + agentNs, "--set-json", "managedNamespaces=[\"" + shop + "\"]",
                "--set", "environmentName=helm-installed", "--set", "replicas=1");
        assertThat(install.ok()).as("%s", install).isTrue();
        assertThat(install.out()).contains("STATUS: deployed");
        cleanup.add(() -> helm.run("uninstall", "shipdeck-agent", "--kube-context", "sim", "-n", agentNs));

        recordsARollout(shop, agentNs, "helm-installed");
    }

    @Test
    void theKustomizeBaseAppliedWithKubectlRunsAnAgentThatRecordsARollout() {
        String shop = target.ns("shop");
        Kubectl.Result applied = kubectl.run(Duration.ofMinutes(2), "--context", "sim", "apply", "-k", repository().resolve("installers/agent/kustomize/base").toString());
        assertThat(applied.ok()).as("%s", applied).isTrue();
        assertThat(applied.out()).contains("deployment.apps/shipdeck-agent", "clusterrole.rbac.authorization.k8s.io/shipdeck-agent");
        cleanup.add(() -> {
            // everything but the CRDs (other test classes' records live in them)
            target.delete(Kind.of("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"), null, Install.NAME);
            target.delete(Kind.of("rbac.authorization.k8s.io/v1", "ClusterRole"), null, Install.NAME);
            target.delete(Kind.NAMESPACES, null, "shipdeck-system");
        });

        recordsARollout(shop, "shipdeck-system", "cluster");
    }

    /** Runs the agent as the installed Deployment in {@code agentNs} says, as its ServiceAccount, and ships two versions. */
    private void recordsARollout(String shop, String agentNs, String environment) {
        ObjectNode deployment = target.get(Kind.DEPLOYMENTS, agentNs, Install.NAME);
        assertThat(deployment).as("the installed agent Deployment").isNotNull();
        List<String> args = new ArrayList<>();
        deployment.at("/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
        assertThat(args).startsWith("agent", "run").contains("--in-cluster");
        // in place of the pod: its ServiceAccount's token in a kubeconfig, a port of its own, short lease timings
        args.remove("--in-cluster");
        args.set(args.indexOf("--port") + 1, "0");
        args.addAll(List.of("--kubeconfig", serviceAccountKubeconfig(agentNs).toString(), "--context", "sim", "--identity", "installed-agent",
                "--lease-namespace", agentNs, "--lease-duration", "4s", "--renew-deadline", "3s", "--retry-period", "1s", "--resync", "1s"));
        if (!args.contains("--managed-namespaces")) args.addAll(List.of("--managed-namespaces", shop)); // the base: every namespace
        AgentProcess agent = AgentProcess.startWithArgs("installed-agent", args);
        cleanup.add(agent);

        deploy(shop, "1.0.0");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> releases(shop).size() == 1
                && releases(shop).get(0).status().phase() == ReleaseStatus.SUCCESS);
        deploy(shop, "2.0.0");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> releases(shop).size() == 2
                && releases(shop).get(1).status().phase() == ReleaseStatus.SUCCESS);
        List<ReleaseRecord> rs = releases(shop);
        assertThat(rs).extracting(r -> r.spec().version()).containsExactly("1.0.0", "2.0.0");
        assertThat(rs.get(1).spec().previousVersion()).isEqualTo("1.0.0");
        assertThat(rs.get(1).spec().environment()).isEqualTo(environment);
        assertThat(rs).extracting(r -> r.status().observedBy()).containsOnly("installed-agent");
        assertThat(agent.alive()).as("%s", agent).isTrue();
        assertThat(agent.log()).anySatisfy(l -> assertThat(l.path("msg").asText()).startsWith("leading"));
    }

    private Path serviceAccountKubeconfig(String ns) {
        Kubectl.Result token = kubectl.run("--context", "sim", "create", "token", Install.NAME, "-n", ns, "--duration", "1h");
        assertThat(token.ok()).as("%s", token).isTrue();
        try {
            return Files.writeString(dir.resolve(ns + "-agent.kubeconfig"), real.kubeconfigWithToken("sim", token.out().strip(), ns));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deploy(String ns, String version) {
        target.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %s, labels: {shipdeck.dev/component-name: web}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web, shipdeck.dev/version: "%s"}}
                    spec: {containers: [{name: app, image: "example/web:%s"}]}
                """.formatted(ns, version, version));
    }

    private List<ReleaseRecord> releases(String ns) {
        List<ReleaseRecord> out = new ArrayList<>();
        for (JsonNode r : target.list(Kind.RELEASES, ns)) out.add(ReleaseRecord.fromJson((ObjectNode) r));
        return out.stream().filter(r -> r.spec().workload() != null)
                .sorted(Comparator.comparingLong((ReleaseRecord r) -> r.spec().workload().revision())).toList();
    }
}

package dev.shipdeck.cli;

import dev.shipdeck.agent.Agent;
import dev.shipdeck.agent.AgentLog;
import dev.shipdeck.agent.Install;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.records.CommandPhase;
import dev.shipdeck.core.records.ReleaseCommandRecord;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.Retention;
import dev.shipdeck.sim.Faults;
import dev.shipdeck.sim.SimCluster;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.RealCluster;
import dev.shipdeck.sim.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code shipdeck install}: its output applies cleanly with kubectl, and the RBAC it grants is exactly what the agent
 * uses — the agent runs as the installed ServiceAccount with no other permission, does all its work (records, a
 * queued command of each kind, pruning, its lease), and every verb on every resource granted was used. On cluster-sim
 * every request is seen as the fault rules see it; on the real control plane the API server's audit log says what
 * the ServiceAccount asked for, and its token comes from the TokenRequest API ({@code kubectl create token}).
 */
@Tag("real")
class InstallTest {
    @TempDir
    Path dir;
    private TestCluster target;
    private SimCluster cluster;
    /** The workloads' namespace ("shop" on cluster-sim) and the agent's ("shipdeck-system" on cluster-sim). */
    private String ns;
    private String installNs;
    private Map<String, String> env;
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeEach
    void start() {
        Kubectl.assumeAvailable();
        target = TestCluster.builder().context("sim").tag("install").speed(20).rollouts().start(dir);
        cluster = target.simCluster().orElse(null);
        ns = target.ns("shop");
        // the install creates it (and kubectl apply does not find it made by other means); deleted after the test
        installNs = target.real() ? target.newNamespaceName("shipdeck-system") : "shipdeck-system";
        env = Map.of("KUBECONFIG", target.kubeconfig(TestCluster.ADMIN).toString(), "HOME", dir.toString());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) started.get(i).close();
        if (target != null) {
            // cluster-wide RBAC would outlive the namespaces (the next test's ServiceAccount must not find it)
            target.delete(TestCluster.Kind.of("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"), null, Install.NAME);
            target.delete(TestCluster.Kind.of("rbac.authorization.k8s.io/v1", "ClusterRole"), null, Install.NAME);
            target.close();
        }
    }

    private String agentUser() {
        return "system:serviceaccount:" + installNs + ":" + Install.NAME;
    }

    private Kubectl.Result apply(String yaml) {
        return new Kubectl(Path.of(env.get("KUBECONFIG")), dir.resolve("cache")).runWithInput(Duration.ofSeconds(60), yaml, "apply", "-f", "-");
    }

    @Test
    void theOutputAppliesCleanlyWithKubectlAndAgain() {
        Cli.Result install = Cli.run(env, "install", "--managed-namespaces", ns, "--environment-name", "prod-eu", "-n", installNs);
        assertThat(install.exitCode()).as("%s", install).isEqualTo(ExitCodes.OK);
        assertThat(install.out()).contains("kind: CustomResourceDefinition", "name: releases.shipdeck.dev", "name: releasecommands.shipdeck.dev",
                "kind: ServiceAccount", "kind: Role", "kind: RoleBinding", "kind: Deployment", "livenessProbe", "readinessProbe", "limits",
                "--environment-name", "prod-eu");
        assertThat(install.out()).doesNotContain("kind: ClusterRole\n");

        Kubectl.Result first = apply(install.out());
        assertThat(first.exitCode()).as("%s", first).isZero();
        // (in the real tier, earlier test classes created the CRDs without kubectl apply: it says so, and adopts them)
        assertThat(first.err().lines().filter(l -> !(target.real() && l.startsWith("Warning: resource customresourcedefinitions/")
                && l.contains("last-applied-configuration")))).as("%s", first).isEmpty();
        // (the real tier's earlier test classes installed the CRDs already: there they are configured, not created)
        String crds = target.real() ? "" : " created";
        assertThat(first.out()).contains("customresourcedefinition.apiextensions.k8s.io/releases.shipdeck.dev" + crds,
                "customresourcedefinition.apiextensions.k8s.io/releasecommands.shipdeck.dev" + crds,
                "serviceaccount/shipdeck-agent created", "role.rbac.authorization.k8s.io/shipdeck-agent created",
                "rolebinding.rbac.authorization.k8s.io/shipdeck-agent created", "deployment.apps/shipdeck-agent created");
        Kubectl.Result again = apply(install.out());
        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(again.out()).contains("deployment.apps/shipdeck-agent unchanged");
    }

    /** (verb, group, resource) of a request the simulated API server answered, or null for discovery and reviews. */
    private static String grantOf(Faults.Call c) {
        List<String> s = new ArrayList<>(List.of(c.path().replaceFirst("^/", "").split("/")));
        String group;
        if (s.size() >= 3 && s.get(0).equals("api")) {
            group = "";
            s = s.subList(2, s.size());
        } else if (s.size() >= 4 && s.get(0).equals("apis")) {
            group = s.get(1);
            s = s.subList(3, s.size());
        } else {
            return null;
        }
        if (group.equals("authorization.k8s.io") || group.equals("authentication.k8s.io")) return null;
        if (s.size() >= 3 && s.get(0).equals("namespaces")) s = s.subList(2, s.size());
        String resource = s.get(0) + (s.size() >= 3 ? "/" + s.get(2) : "");
        boolean named = s.size() >= 2;
        String verb = switch (c.method()) {
            case "GET" -> c.watch() ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> c.method();
        };
        return verb + " " + group + " " + resource;
    }

    /** (verb, group, resource) of every request the real API server's audit log has from {@code user}. */
    private static List<String> audited(String user) {
        List<String> out = new ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try {
            for (String line : java.nio.file.Files.readAllLines(RealCluster.require().auditLog())) {
                com.fasterxml.jackson.databind.JsonNode e = json.readTree(line);
                if (!user.equals(e.at("/user/username").asText())) continue;
                com.fasterxml.jackson.databind.JsonNode ref = e.path("objectRef");
                String group = ref.path("apiGroup").asText("");
                if (group.equals("authorization.k8s.io") || group.equals("authentication.k8s.io") || !ref.has("resource")) continue;
                String sub = ref.path("subresource").asText("");
                out.add(e.path("verb").asText() + " " + group + " " + ref.path("resource").asText() + (sub.isEmpty() ? "" : "/" + sub));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(out).as("audited requests of %s", user).isNotEmpty();
        return out;
    }

    private static Set<String> granted() {
        Set<String> out = new TreeSet<>();
        for (Install.Rule r : concat(Install.AGENT_RULES, Install.LEASE_RULES)) {
            for (String res : r.resources()) {
                for (String verb : r.verbs()) out.add(verb + " " + r.group() + " " + res);
            }
        }
        return out;
    }

    private static List<Install.Rule> concat(List<Install.Rule> a, List<Install.Rule> b) {
        List<Install.Rule> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private List<ReleaseRecord> releases() {
        return target.list(TestCluster.Kind.RELEASES, ns).stream().map(ReleaseRecord::fromJson).toList();
    }

    private List<ReleaseCommandRecord> commands() {
        return target.list(TestCluster.Kind.RELEASE_COMMANDS, ns).stream().map(ReleaseCommandRecord::fromJson).toList();
    }

    private ReleaseRecord release(String component, String version) {
        return releases().stream().filter(r -> r.spec().component().equals(component) && r.spec().version().equals(version)
                && r.spec().workload() != null).findFirst().orElse(null);
    }

    /** Queues a command the way 'shipdeck restore --queue' does, written straight into the store (no HTTP). */
    private String queue(Action action, String component, Map<String, String> args, String plannedVersion) {
        String name = component + "-" + action.name().toLowerCase().replace('_', '-') + "-" + commands().size();
        String planned = "";
        if (plannedVersion != null) {
            planned = name + "-release";
            target.apply(new ReleaseRecord(planned, ns, "", new ReleaseRecord.Spec(component, "sim", null, plannedVersion, "",
                    ReleaseType.DEPLOYMENT, "agent", true, Trigger.NONE, name), new ReleaseRecord.Status(ReleaseStatus.PENDING, "queued", "",
                    Instant.now(), null, "", "alice")).toJson().toString());
        }
        target.apply(new ReleaseCommandRecord(name, ns, "", new ReleaseCommandRecord.Spec(action, "sim", component, "", args, "alice",
                Instant.now(), true, planned), ReleaseCommandRecord.Status.NONE).toJson().toString());
        return name;
    }

    private Duration patience() {
        return target.real() ? Duration.ofSeconds(90) : Duration.ofSeconds(30);
    }

    private void awaitSucceeded(String command) {
        await().atMost(patience()).pollInterval(Duration.ofMillis(100)).until(() -> commands().stream()
                .anyMatch(c -> c.name().equals(command) && c.phase() == CommandPhase.SUCCEEDED));
    }

    private void awaitRelease(String component, String version, ReleaseStatus status) {
        await().atMost(patience()).pollInterval(Duration.ofMillis(100)).until(() -> {
            ReleaseRecord r = release(component, version);
            return r != null && r.status().phase() == status;
        });
    }

    private void deploy(String version) {
        target.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %s, labels: {shipdeck.dev/component-name: web}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web, shipdeck.dev/version: "%s"}}
                    spec: {containers: [{name: app, image: "example/web:1"}]}
                """.formatted(ns, version));
    }

    private void rollout(String version) {
        target.apply("""
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: cart, namespace: %s, labels: {shipdeck.dev/component-name: cart}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: cart}}
                  template:
                    metadata: {labels: {app: cart, shipdeck.dev/version: "%s"}}
                    spec: {containers: [{name: app, image: "example/cart:1"}]}
                  strategy: {canary: {steps: [{setWeight: 50}, {pause: {}}]}}
                """.formatted(ns, version));
    }

    @Test
    void inEveryNamespaceTheAgentUsesEveryPermissionTheInstallGrantsAndNeedsNoOther() {
        runAsTheInstalledServiceAccount(List.of());
    }

    @Test
    void inItsManagedNamespacesTheAgentUsesEveryPermissionTheInstallGrantsAndNeedsNoOther() {
        runAsTheInstalledServiceAccount(List.of(ns));
    }

    /** A kubeconfig of the installed ServiceAccount (cluster-sim: a user of that name; real: a token from TokenRequest). */
    private Path serviceAccountKubeconfig() {
        Path file = dir.resolve("agent.kubeconfig");
        if (!target.real()) {
            target.sim().orElseThrow().addUser(agentUser(), List.of("system:serviceaccounts"), List.of());
            return target.sim().orElseThrow().writeKubeconfig(file, agentUser());
        }
        Kubectl.Result token = new Kubectl(Path.of(env.get("KUBECONFIG")), dir.resolve("cache"))
                .run("create", "token", Install.NAME, "-n", installNs, "--duration", "1h");
        assertThat(token.ok()).as("%s", token).isTrue();
        try {
            return java.nio.file.Files.writeString(file, RealCluster.require().kubeconfigWithToken("sim", token.out().strip(), "default"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void runAsTheInstalledServiceAccount(List<String> managed) {
        Kubectl.Result applied = apply(new Install(installNs, managed, "example/shipdeck:test", 1, "sim", List.of()).yaml());
        assertThat(applied.exitCode()).as("%s", applied).isZero();
        Path saConfig = serviceAccountKubeconfig();
        deploy("1.0.0");
        rollout("1.0.0");
        List<String> calls = new CopyOnWriteArrayList<>();
        if (cluster != null) {
            cluster.faults().fail(c -> {
                String g = grantOf(c);
                if (g != null) calls.add(g);
                return false;
            }, 500, 1);
        }

        KubeClients clients = new KubeClients(Kubeconfig.load(saConfig.toString()), KubeClients.Options.INTERACTIVE);
        started.add(clients);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Agent agent = new Agent(new Agent.Config(new Environment("sim", "sim", "", managed, Labels.NONE, 0), installNs,
                Install.NAME, "agent-sa", Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500), 0, Duration.ofMinutes(5),
                new Retention(1, Duration.ofDays(90)), Duration.ofMillis(500), Duration.ofMillis(500)), clients,
                new AgentLog(new PrintStream(log, true, StandardCharsets.UTF_8), Clock.systemUTC(), Set::of), Clock.systemUTC()).start();
        started.add(agent);

        try {
            awaitRelease("web", "1.0.0", ReleaseStatus.SUCCESS);
            awaitRelease("cart", "1.0.0", ReleaseStatus.SUCCESS);
            deploy("2.0.0");
            awaitRelease("web", "2.0.0", ReleaseStatus.SUCCESS);
            deploy("3.0.0");
            awaitRelease("web", "3.0.0", ReleaseStatus.SUCCESS);
            awaitSucceeded(queue(Action.RESTORE_VERSION, "web", Map.of("toVersion", "2.0.0"), "2.0.0"));
            await().atMost(patience()).until(() -> releases().stream().anyMatch(r -> r.spec().rollback()
                    && r.spec().workload() != null && r.status().phase() == ReleaseStatus.SUCCESS));
            awaitSucceeded(queue(Action.SCALE, "web", Map.of("replicas", "2"), null));
            rollout("2.0.0");
            await().atMost(patience()).until(() -> release("cart", "2.0.0") != null
                    && release("cart", "2.0.0").status().rolloutStep().equals("2/2 pause"));
            awaitSucceeded(queue(Action.PROMOTE, "cart", Map.of(), null));
            awaitRelease("cart", "2.0.0", ReleaseStatus.SUCCESS);
            awaitSucceeded(queue(Action.RESTART, "cart", Map.of(), null));
            await().atMost(patience()).until(() -> release("web", "1.0.0") == null && commands().size() <= 3);

            Set<String> used = new TreeSet<>(cluster != null ? calls : audited(agentUser()));
            assertThat(used).as("every verb on every resource the install grants was used").containsAll(granted());
            Set<String> ungranted = new TreeSet<>(used);
            ungranted.removeAll(granted());
            assertThat(ungranted).as("what else the agent asked for: only the optional reads core's LiveView tries (and goes on without)")
                    .allMatch(g -> g.matches("(list|watch) (|autoscaling) (namespaces|horizontalpodautoscalers)"));
        } catch (RuntimeException | AssertionError e) {
            String tail = log.toString(StandardCharsets.UTF_8);
            throw new AssertionError(e.getMessage() + "\nthe agent's log (end):\n" + tail.substring(Math.max(0, tail.length() - 6000)), e);
        }
        String agentLog = log.toString(StandardCharsets.UTF_8);
        assertThat(agentLog).contains("\"msg\":\"leading").contains("\"msg\":\"pruned old records\"").doesNotContain("\"level\":\"error\"");
        for (String line : agentLog.split("\n")) {
            assertThat(line).startsWith("{").endsWith("}");
        }
    }
}

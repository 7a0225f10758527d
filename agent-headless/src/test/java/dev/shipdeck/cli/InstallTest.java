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
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Faults;
import dev.shipdeck.sim.ResourceType;
import dev.shipdeck.sim.SimCluster;
import dev.shipdeck.sim.testing.Kubectl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * queued command of each kind, pruning, its lease), and every verb on every resource granted was used.
 */
class InstallTest {
    private static final String NS = "shop";
    private static final String AGENT_USER = "system:serviceaccount:shipdeck-system:" + Install.NAME;

    @TempDir
    Path dir;
    private ClusterSim sim;
    private SimCluster cluster;
    private Map<String, String> env;
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeEach
    void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        cluster = sim.cluster("sim");
        cluster.installRolloutsCrd();
        cluster.ensureNamespace(NS);
        env = Map.of("KUBECONFIG", sim.writeKubeconfig(dir.resolve("kubeconfig")).toString(), "HOME", dir.toString());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) started.get(i).close();
        if (sim != null) sim.close();
    }

    private Kubectl.Result apply(String yaml) {
        return new Kubectl(Path.of(env.get("KUBECONFIG")), dir.resolve("cache")).runWithInput(Duration.ofSeconds(60), yaml, "apply", "-f", "-");
    }

    @Test
    void theOutputAppliesCleanlyWithKubectlAndAgain() {
        Cli.Result install = Cli.run(env, "install", "--managed-namespaces", NS, "--environment-name", "prod-eu");
        assertThat(install.exitCode()).as("%s", install).isEqualTo(ExitCodes.OK);
        assertThat(install.out()).contains("kind: CustomResourceDefinition", "name: releases.shipdeck.dev", "name: releasecommands.shipdeck.dev",
                "kind: ServiceAccount", "kind: Role", "kind: RoleBinding", "kind: Deployment", "livenessProbe", "readinessProbe", "limits",
                "--environment-name", "prod-eu");
        assertThat(install.out()).doesNotContain("kind: ClusterRole\n");

        Kubectl.Result first = apply(install.out());
        assertThat(first.exitCode()).as("%s", first).isZero();
        assertThat(first.err()).as("%s", first).isEmpty();
        assertThat(first.out()).contains("customresourcedefinition.apiextensions.k8s.io/releases.shipdeck.dev created",
                "customresourcedefinition.apiextensions.k8s.io/releasecommands.shipdeck.dev created",
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
        ResourceType t = cluster.store().resources().lookup("shipdeck.dev", "v1alpha1", "releases");
        return cluster.store().list(t, NS, o -> true).items().stream().map(ReleaseRecord::fromJson).toList();
    }

    private List<ReleaseCommandRecord> commands() {
        ResourceType t = cluster.store().resources().lookup("shipdeck.dev", "v1alpha1", "releasecommands");
        return cluster.store().list(t, NS, o -> true).items().stream().map(ReleaseCommandRecord::fromJson).toList();
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
            cluster.apply(new ReleaseRecord(planned, NS, "", new ReleaseRecord.Spec(component, "sim", null, plannedVersion, "",
                    ReleaseType.DEPLOYMENT, "agent", true, Trigger.NONE, name), new ReleaseRecord.Status(ReleaseStatus.PENDING, "queued", "",
                    Instant.now(), null, "", "alice")).toJson().toString());
        }
        cluster.apply(new ReleaseCommandRecord(name, NS, "", new ReleaseCommandRecord.Spec(action, "sim", component, "", args, "alice",
                Instant.now(), true, planned), ReleaseCommandRecord.Status.NONE).toJson().toString());
        return name;
    }

    private void awaitSucceeded(String command) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> commands().stream()
                .anyMatch(c -> c.name().equals(command) && c.phase() == CommandPhase.SUCCEEDED));
    }

    private void awaitRelease(String component, String version, ReleaseStatus status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            ReleaseRecord r = release(component, version);
            return r != null && r.status().phase() == status;
        });
    }

    private void deploy(String version) {
        cluster.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop, labels: {shipdeck.dev/component-name: web}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web, shipdeck.dev/version: "%s"}}
                    spec: {containers: [{name: app, image: "example/web:1"}]}
                """.formatted(version));
    }

    private void rollout(String version) {
        cluster.apply("""
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata: {name: cart, namespace: shop, labels: {shipdeck.dev/component-name: cart}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: cart}}
                  template:
                    metadata: {labels: {app: cart, shipdeck.dev/version: "%s"}}
                    spec: {containers: [{name: app, image: "example/cart:1"}]}
                  strategy: {canary: {steps: [{setWeight: 50}, {pause: {}}]}}
                """.formatted(version));
    }

    @Test
    void inEveryNamespaceTheAgentUsesEveryPermissionTheInstallGrantsAndNeedsNoOther() {
        runAsTheInstalledServiceAccount(List.of());
    }

    @Test
    void inItsManagedNamespacesTheAgentUsesEveryPermissionTheInstallGrantsAndNeedsNoOther() {
        runAsTheInstalledServiceAccount(List.of(NS));
    }

    private void runAsTheInstalledServiceAccount(List<String> managed) {
        Kubectl.Result applied = apply(new Install("shipdeck-system", managed, "example/shipdeck:test", 1, "sim", List.of()).yaml());
        assertThat(applied.exitCode()).as("%s", applied).isZero();
        sim.addUser(AGENT_USER, List.of("system:serviceaccounts"), List.of());
        Path saConfig = sim.writeKubeconfig(dir.resolve("agent.kubeconfig"), AGENT_USER);
        deploy("1.0.0");
        rollout("1.0.0");
        List<Faults.Call> calls = new CopyOnWriteArrayList<>();
        cluster.faults().fail(c -> {
            calls.add(c);
            return false;
        }, 500, 1);

        KubeClients clients = new KubeClients(Kubeconfig.load(saConfig.toString()), KubeClients.Options.INTERACTIVE);
        started.add(clients);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Agent agent = new Agent(new Agent.Config(new Environment("sim", "sim", "", managed, Labels.NONE, 0), "shipdeck-system",
                Install.NAME, "agent-sa", Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500), 0, Duration.ofMinutes(5),
                new Retention(1, Duration.ofDays(90)), Duration.ofMillis(500), Duration.ofMillis(500)), clients,
                new AgentLog(new PrintStream(log, true, StandardCharsets.UTF_8), Clock.systemUTC(), Set::of), Clock.systemUTC()).start();
        started.add(agent);

        awaitRelease("web", "1.0.0", ReleaseStatus.SUCCESS);
        awaitRelease("cart", "1.0.0", ReleaseStatus.SUCCESS);
        deploy("2.0.0");
        awaitRelease("web", "2.0.0", ReleaseStatus.SUCCESS);
        deploy("3.0.0");
        awaitRelease("web", "3.0.0", ReleaseStatus.SUCCESS);
        awaitSucceeded(queue(Action.RESTORE_VERSION, "web", Map.of("toVersion", "2.0.0"), "2.0.0"));
        await().atMost(Duration.ofSeconds(30)).until(() -> releases().stream().anyMatch(r -> r.spec().rollback()
                && r.spec().workload() != null && r.status().phase() == ReleaseStatus.SUCCESS));
        awaitSucceeded(queue(Action.SCALE, "web", Map.of("replicas", "2"), null));
        rollout("2.0.0");
        await().atMost(Duration.ofSeconds(30)).until(() -> release("cart", "2.0.0") != null
                && release("cart", "2.0.0").status().rolloutStep().equals("2/2 pause"));
        awaitSucceeded(queue(Action.PROMOTE, "cart", Map.of(), null));
        awaitRelease("cart", "2.0.0", ReleaseStatus.SUCCESS);
        awaitSucceeded(queue(Action.RESTART, "cart", Map.of(), null));
        await().atMost(Duration.ofSeconds(30)).until(() -> release("web", "1.0.0") == null && commands().size() <= 3);

        Set<String> used = new TreeSet<>();
        calls.forEach(c -> {
            String g = grantOf(c);
            if (g != null) used.add(g);
        });
        assertThat(used).as("every verb on every resource the install grants was used").containsAll(granted());
        Set<String> ungranted = new TreeSet<>(used);
        ungranted.removeAll(granted());
        assertThat(ungranted).as("what else the agent asked for: only the optional reads core's LiveView tries (and goes on without)")
                .allMatch(g -> g.matches("(list|watch) (|autoscaling) (namespaces|horizontalpodautoscalers)"));
        String agentLog = log.toString(StandardCharsets.UTF_8);
        assertThat(agentLog).contains("\"msg\":\"leading").contains("\"msg\":\"pruned old records\"").doesNotContain("\"level\":\"error\"");
        for (String line : agentLog.split("\n")) {
            assertThat(line).startsWith("{").endsWith("}");
        }
    }
}

package dev.shipdeck.core.kube;

import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.live.LiveView;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.sim.Authz;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.shipdeck.core.TestClusters.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** RBAC refusals: a user who may not list workloads sees FORBIDDEN with the server's reason; optional kinds may be refused. */
class ForbiddenTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;
    static String noListToken;
    static String appsOnlyToken;

    @BeforeAll
    static void start() {
        sim = TestClusters.startEmpty();
        sim.cluster("sim").installRolloutsCrd();
        sim.cluster("sim").apply(Manifest.deployment("shop", "cart").version("8.2.0").text());
        noListToken = sim.addUser("nolist", List.of(), List.of(new Authz.Rule(Set.of("get"), Set.of("*"), Set.of("*"), Set.of("*"))));
        appsOnlyToken = sim.addUser("apps-only", List.of(),
                List.of(new Authz.Rule(Set.of("get", "list", "watch"), Set.of("apps"), Set.of("*"), Set.of("*"))));
        try (KubeClients admin = TestClusters.clients(TestClusters.writeKubeconfig(sim, dir))) {
            eventually().untilAsserted(() -> assertThat(new ClusterReader(admin).read(Environment.ofContext("sim")).components())
                    .singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS)));
        }
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static KubeClients clientsAs(String user) {
        return TestClusters.clients(sim.writeKubeconfig(dir.resolve(user + "/kubeconfig"), user));
    }

    @Test
    void noListIsForbiddenWithTheReason() {
        try (KubeClients clients = clientsAs("nolist")) {
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertThat(s.connection().phase()).isEqualTo(ConnectionState.Phase.FORBIDDEN);
            assertThat(s.connection().reason()).startsWith("403: ").contains("nolist").contains("deployments").contains("list");
            assertThat(s.components()).isEmpty();
            TestClusters.assertNoSecrets(List.of(s.connection().describe()), List.of(noListToken));
        }
    }

    @Test
    void noListIsForbiddenInTheLiveView() {
        List<String> texts = new ArrayList<>();
        try (KubeClients clients = clientsAs("nolist");
             LiveView live = new LiveView(clients, List.of(Environment.ofContext("sim")), Duration.ofMillis(50)).start()) {
            eventually().untilAsserted(() -> {
                ConnectionState c = live.current().environment("sim").connection();
                texts.add(c.describe());
                assertThat(c.phase()).isEqualTo(ConnectionState.Phase.FORBIDDEN);
                assertThat(c.reason()).startsWith("403: ").contains("nolist").contains("deployments");
            });
        }
        TestClusters.assertNoSecrets(texts, List.of(noListToken));
    }

    @Test
    void accessGrantedWhileRefusedIsPickedUpWithOneWatchPerKind() throws Exception {
        String token = sim.addUser("deploy-only", List.of(),
                List.of(new Authz.Rule(Set.of("get", "list", "watch"), Set.of("apps"), Set.of("deployments"), Set.of("*"))));
        AtomicInteger deploymentWatches = new AtomicInteger();
        sim.cluster("sim").faults().fail(call -> {
            if (call.watch() && call.path().endsWith("/deployments")) deploymentWatches.incrementAndGet();
            return false; // only counts
        }, 500, Integer.MAX_VALUE);
        int perInformer; // watch requests one informer makes (fabric8 tries a WebSocket first, then plain HTTP)
        try (KubeClients admin = clientsAs(ClusterSim.ADMIN);
             LiveView live = new LiveView(admin, List.of(Environment.ofContext("sim")), Duration.ofMillis(50)).start()) {
            live.awaitSynced(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
            perInformer = deploymentWatches.getAndSet(0);
        }
        assertThat(perInformer).isPositive();
        List<String> texts = new ArrayList<>();
        try (KubeClients clients = clientsAs("deploy-only");
             LiveView live = new LiveView(clients, List.of(Environment.ofContext("sim")), Duration.ofMillis(50)).start()) {
            eventually().untilAsserted(() -> {
                ConnectionState c = live.current().environment("sim").connection();
                texts.add(c.describe());
                assertThat(c.phase()).isEqualTo(ConnectionState.Phase.FORBIDDEN);
                assertThat(c.reason()).contains("replicasets");
            });
            Thread.sleep(3_500); // a few retries while ReplicaSets are refused
            assertThat(deploymentWatches.get()).as("no informer runs while a kind it needs is refused").isZero();

            sim.cluster("sim").apply("""
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                     "metadata": {"name": "replicaset-reader"},
                     "rules": [{"apiGroups": ["apps"], "resources": ["replicasets"], "verbs": ["get", "list", "watch"]}]}
                    ---
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                     "metadata": {"name": "deploy-only-reads-replicasets"},
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "replicaset-reader"},
                     "subjects": [{"kind": "User", "name": "deploy-only"}]}
                    """);

            eventually().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                EnvironmentSnapshot s = live.current().environment("sim");
                texts.add(s.connection().describe());
                assertThat(s.connection()).isEqualTo(ConnectionState.CONNECTED);
                assertThat(s.components()).extracting(c -> c.name()).containsExactly("cart");
            });
            assertThat(deploymentWatches.get()).as("one Deployment informer, however many retries it took").isEqualTo(perInformer);
        } finally {
            sim.cluster("sim").faults().clear();
        }
        TestClusters.assertNoSecrets(texts, List.of(token));
    }

    @Test
    void teamScopedAccessReadsItsNamespaces() throws Exception {
        // a team may read its own namespace only (a RoleBinding), the common case in shared clusters
        String token = sim.addUser("shop-team", List.of(), List.of());
        sim.cluster("sim").apply("""
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                 "metadata": {"name": "reader", "namespace": "shop"},
                 "rules": [{"apiGroups": ["apps", "argoproj.io", "autoscaling"], "resources": ["*"], "verbs": ["get", "list", "watch"]}]}
                ---
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                 "metadata": {"name": "shop-team-reads", "namespace": "shop"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
                 "subjects": [{"kind": "User", "name": "shop-team"}]}
                """);
        Environment shop = TestClusters.env("sim", "shop");
        List<String> texts = new ArrayList<>();
        try (KubeClients clients = clientsAs("shop-team")) {
            EnvironmentSnapshot all = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertThat(all.connection().phase()).as("the whole cluster is not theirs").isEqualTo(ConnectionState.Phase.FORBIDDEN);
            texts.add(all.connection().describe());

            EnvironmentSnapshot s = new ClusterReader(clients).read(shop);
            assertThat(s.connection()).as(s.connection().describe()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(s.components()).extracting(c -> c.name()).containsExactly("cart");
            assertThat(s.rolloutsAvailable()).isTrue();

            try (LiveView live = new LiveView(clients, List.of(shop), Duration.ofMillis(50)).start()) {
                eventually().untilAsserted(() -> {
                    EnvironmentSnapshot l = live.current().environment("sim");
                    texts.add(l.connection().describe());
                    assertThat(l.connection()).isEqualTo(ConnectionState.CONNECTED);
                    assertThat(l.components()).extracting(c -> c.name()).containsExactly("cart");
                    assertThat(l.rolloutsAvailable()).isTrue();
                });
            }
        }
        TestClusters.assertNoSecrets(texts, List.of(token));
    }

    @Test
    void refusedOptionalKindsAreGaps() throws Exception {
        try (KubeClients clients = clientsAs("apps-only")) {
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertThat(s.connection()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(s.components()).extracting(c -> c.name()).containsExactly("cart");
            assertThat(s.rolloutsAvailable()).as("rollouts may not be listed").isFalse();
            assertThat(s.gaps()).as("refused is not absent: the read says what it could not see")
                    .extracting(g -> g.brief()).containsExactly("Rollouts 403", "Namespaces 403", "HorizontalPodAutoscalers 403");

            try (LiveView live = new LiveView(clients, List.of(Environment.ofContext("sim")), Duration.ofMillis(50)).start()) {
                EnvironmentSnapshot l = live.awaitSynced(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS).environment("sim");
                assertThat(l.connection()).isEqualTo(ConnectionState.CONNECTED);
                assertThat(l.components()).extracting(c -> c.name()).containsExactly("cart");
                assertThat(l.rolloutsAvailable()).isFalse();
                assertThat(l.partialText()).isEqualTo("partial: Rollouts 403, Namespaces 403, HorizontalPodAutoscalers 403");
            }
        }
    }
}

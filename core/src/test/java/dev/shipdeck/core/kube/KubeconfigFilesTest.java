package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static dev.shipdeck.core.TestClusters.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * KUBECONFIG as kubectl reads it (KUBERNETES.md, "Kubeconfig realities"): several files, the first one wins for
 * duplicate names and for current-context, missing files are skipped, and relative certificate paths are resolved
 * against the folder of the file that names them. Every context is then used against cluster-sim.
 */
class KubeconfigFilesTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;
    static Path fileA;
    static Path fileB;
    static Path missing;
    static String adminToken;
    static String viewerToken;

    @BeforeAll
    static void start() throws IOException {
        sim = TestClusters.startEmpty();
        sim.cluster("sim").apply(Manifest.deployment("shop", "cart").version("8.2.0").text());
        adminToken = sim.token(ClusterSim.ADMIN);
        viewerToken = sim.token(ClusterSim.VIEWER);
        ObjectNode simConfig = TestClusters.kubeconfigTree(sim, ClusterSim.ADMIN);
        String server = TestClusters.server(simConfig);
        byte[] caPem = Base64.getDecoder().decode(TestClusters.caData(simConfig));

        Path dirA = Files.createDirectories(dir.resolve("home/.kube"));
        Files.write(dirA.resolve("ca.pem"), caPem);
        ObjectNode a = config("alpha");
        cluster(a, "sim-a", server, "ca.pem");
        context(a, "alpha", "sim-a", "bob");         // bob is defined in the second file
        context(a, "shared", "sim-a", "alice");
        user(a, "alice", adminToken);
        fileA = TestClusters.writeYaml(dirA.resolve("config"), a);

        Path dirB = Files.createDirectories(dir.resolve("work/team"));
        Files.createDirectories(dirB.resolve("certs"));
        Files.write(dirB.resolve("certs/ca.crt"), caPem);
        ObjectNode b = config("beta");                // ignored: the first file already names one
        cluster(b, "sim-b", server, "certs/ca.crt");
        cluster(b, "sim-a", "https://127.0.0.1:1", "nowhere.pem"); // duplicate: the first file wins
        context(b, "beta", "sim-b", "alice");         // alice is defined in the first file
        context(b, "shared", "sim-b", "mallory");     // duplicate: the first file wins
        user(b, "bob", viewerToken);
        user(b, "alice", "not-the-real-token-0000");  // duplicate: the first file wins
        fileB = TestClusters.writeYaml(dirB.resolve("config.yaml"), b);

        missing = dir.resolve("gone/config");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static ObjectNode config(String current) {
        ObjectNode c = TestClusters.YAML.createObjectNode();
        c.put("apiVersion", "v1").put("kind", "Config");
        if (current != null) c.put("current-context", current);
        c.putArray("clusters");
        c.putArray("contexts");
        c.putArray("users");
        return c;
    }

    static void cluster(ObjectNode cfg, String name, String server, String caFile) {
        ((ArrayNode) cfg.get("clusters")).addObject().put("name", name).putObject("cluster")
                .put("server", server).put("certificate-authority", caFile);
    }

    static void context(ObjectNode cfg, String name, String cluster, String user) {
        ((ArrayNode) cfg.get("contexts")).addObject().put("name", name).putObject("context").put("cluster", cluster).put("user", user);
    }

    static void user(ObjectNode cfg, String name, String token) {
        ((ArrayNode) cfg.get("users")).addObject().put("name", name).putObject("user").put("token", token);
    }

    static Kubeconfig merged() {
        return Kubeconfig.load(Kubeconfig.locate(null, missing + File.pathSeparator + fileA + File.pathSeparator + fileB,
                dir.resolve("home").toString()), false);
    }

    @Test
    void filesAreMergedFirstWins() {
        Kubeconfig kc = merged();
        assertThat(kc.files()).as("the missing file is skipped").containsExactly(fileA, fileB);
        assertThat(kc.contextNames()).containsExactly("alpha", "shared", "beta");
        assertThat(kc.currentContext()).isEqualTo("alpha");
        Kubeconfig.Context shared = kc.context("shared");
        assertThat(shared.cluster()).isEqualTo("sim-a");
        assertThat(shared.user()).isEqualTo("alice");
        assertThat(kc.user(shared).body().path("token").asText()).isEqualTo(adminToken);
        assertThat(kc.user(kc.context("alpha")).origin()).isEqualTo(fileB);
        assertThat(kc.cluster(shared).body().path("certificate-authority").asText())
                .isEqualTo(fileA.getParent().resolve("ca.pem").toString());
        assertThat(kc.cluster(kc.context("beta")).body().path("certificate-authority").asText())
                .isEqualTo(fileB.getParent().resolve("certs/ca.crt").toString());
    }

    @Test
    void everyMergedContextConnects() {
        try (KubeClients clients = new KubeClients(merged(), KubeClients.Options.CLI)) {
            ClusterReader reader = new ClusterReader(clients);
            for (String ctx : List.of("alpha", "shared", "beta")) {
                eventually().untilAsserted(() -> {
                    EnvironmentSnapshot s = reader.read(Environment.ofContext(ctx));
                    assertThat(s.connection()).as("context %s: %s", ctx, s.connection().describe()).isEqualTo(ConnectionState.CONNECTED);
                    assertThat(s.components()).extracting(c -> c.name()).containsExactly("cart");
                });
            }
        }
    }

    @Test
    void currentContextComesFromTheFirstFileThatSetsIt() throws IOException {
        ObjectNode noCurrent = (ObjectNode) TestClusters.YAML.readTree(Files.readString(fileA));
        noCurrent.remove("current-context");
        Path a2 = TestClusters.writeYaml(fileA.resolveSibling("config-no-current"), noCurrent);
        ObjectNode empty = config("");
        Path blank = TestClusters.writeYaml(dir.resolve("blank-current.yaml"), empty);

        Kubeconfig kc = Kubeconfig.load(List.of(a2, blank, fileB), false);
        assertThat(kc.currentContext()).isEqualTo("beta");
    }

    @Test
    void onlyMissingFilesIsNoKubeconfig() {
        assertThatThrownBy(() -> Kubeconfig.load(List.of(missing, dir.resolve("also-gone")), false))
                .isInstanceOf(Kubeconfig.NoKubeconfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aMissingExplicitFileIsAnError() {
        assertThatThrownBy(() -> Kubeconfig.load(Kubeconfig.locate(missing.toString(), fileA.toString(), "/home/x"), true))
                .isInstanceOf(ShipdeckException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void locateOrderIsExplicitThenKubeconfigThenHome() {
        String env = "/etc/a.yaml" + File.pathSeparator + File.pathSeparator + "~/b.yaml";
        assertThat(Kubeconfig.locate("/tmp/explicit.yaml", env, "/home/x")).containsExactly(Path.of("/tmp/explicit.yaml"));
        assertThat(Kubeconfig.locate("~/explicit.yaml", env, "/home/x")).containsExactly(Path.of("/home/x/explicit.yaml"));
        assertThat(Kubeconfig.locate(null, env, "/home/x")).containsExactly(Path.of("/etc/a.yaml"), Path.of("/home/x/b.yaml"));
        assertThat(Kubeconfig.locate("", env, "/home/x")).containsExactly(Path.of("/etc/a.yaml"), Path.of("/home/x/b.yaml"));
        assertThat(Kubeconfig.locate(null, "", "/home/x")).containsExactly(Path.of("/home/x/.kube/config"));
        assertThat(Kubeconfig.locate(null, null, "/home/x")).containsExactly(Path.of("/home/x/.kube/config"));
    }

    @Test
    void homeConfigIsReadWhenNothingElseIsGiven() {
        Kubeconfig kc = Kubeconfig.load(Kubeconfig.locate(null, null, dir.resolve("home").toString()), false);
        assertThat(kc.files()).containsExactly(fileA);
        assertThat(kc.currentContext()).isEqualTo("alpha");
    }
    @Test
    void aServerWithoutSchemeIsHttpsAsKubectlReadsIt() throws IOException {
        ObjectNode cfg = TestClusters.kubeconfigTree(sim, ClusterSim.ADMIN);
        ObjectNode c = (ObjectNode) cfg.path("clusters").get(0).path("cluster");
        c.put("server", c.path("server").asText().replace("https://", ""));
        try (KubeClients clients = TestClusters.clients(TestClusters.writeYaml(dir.resolve("no-scheme/config"), cfg))) {
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertThat(s.connection()).as(s.connection().describe()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(s.components()).extracting(x -> x.name()).containsExactly("cart");
        }
    }

    @Test
    void aContextWhoseEntriesCannotBeUsedIsMisconfiguredNotFailed() throws IOException {
        ObjectNode cfg = TestClusters.kubeconfigTree(sim, ClusterSim.ADMIN);
        ((ObjectNode) cfg.path("contexts").get(0).path("context")).put("user", "ghost");
        try (KubeClients clients = TestClusters.clients(TestClusters.writeYaml(dir.resolve("ghost/config"), cfg))) {
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertThat(s.connection().phase()).as("not a 401: nothing was sent").isEqualTo(ConnectionState.Phase.MISCONFIGURED);
            assertThat(s.connection().reason()).isEqualTo("context \"sim\" names user \"ghost\", which the kubeconfig does not define");
            assertThat(s.connection().hint()).contains("add the user");
        }
    }
}

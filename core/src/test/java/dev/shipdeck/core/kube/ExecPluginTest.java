package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.live.LiveView;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.sim.Authz;
import dev.shipdeck.sim.ClusterSim;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.shipdeck.core.TestClusters.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Exec credential plugins ({@code aws eks get-token}, {@code kubelogin}, ...) as small shell scripts that print an
 * ExecCredential with a token cluster-sim accepts: run off the caller's thread, stderr kept apart from the token and
 * shown on failure, the token cached until its expiry, and never shown anywhere.
 */
@DisabledOnOs(OS.WINDOWS)
class ExecPluginTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;
    static String adminToken;

    @BeforeAll
    static void start() {
        sim = TestClusters.startEmpty();
        sim.cluster("sim").apply(Manifest.deployment("shop", "cart").version("8.2.0").text());
        adminToken = sim.token(ClusterSim.ADMIN);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** An executable {@code #!/bin/sh} script. */
    static Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    /** Shell that prints an ExecCredential with {@code token}, valid until {@code expiry} (may use $(...)) if given. */
    static String credential(String token, String expiry) {
        return "cat <<EOF\n{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\""
                + token + "\"" + (expiry == null ? "" : ",\"expirationTimestamp\":\"" + expiry + "\"") + "}}\nEOF";
    }

    /** The sim's kubeconfig with its one context using an exec plugin user, written to {@code file}. */
    static Path kubeconfig(Path file, String command, String... args) {
        ObjectNode cfg = TestClusters.kubeconfigTree(sim, ClusterSim.ADMIN);
        ArrayNode users = cfg.putArray("users");
        ObjectNode exec = users.addObject().put("name", "sso").putObject("user").putObject("exec");
        exec.put("apiVersion", "client.authentication.k8s.io/v1").put("command", command).put("interactiveMode", "Never");
        ArrayNode a = exec.putArray("args");
        for (String s : args) a.add(s);
        exec.putArray("env").addObject().put("name", "PLUGIN_MODE").put("value", "test");
        ((ObjectNode) cfg.path("contexts").get(0).path("context")).put("user", "sso");
        return TestClusters.writeYaml(file, cfg);
    }

    static KubeClients clients(Path kubeconfig) {
        return TestClusters.clients(kubeconfig);
    }

    static int runs(Path counter) throws IOException {
        return Files.exists(counter) ? Files.readAllLines(counter).size() : 0;
    }

    static EnvironmentSnapshot read(KubeClients clients) {
        return new ClusterReader(clients).read(Environment.ofContext("sim"));
    }

    @Test
    void pluginTokenConnectsAndIsCached() throws Exception {
        Path counter = dir.resolve("ok.count");
        Path plugin = script("ok.sh", "echo run >> '" + counter + "'\n" + credential(adminToken, null));
        try (KubeClients clients = clients(kubeconfig(dir.resolve("ok/kubeconfig"), plugin.toString()))) {
            EnvironmentSnapshot s = read(clients);
            assertThat(s.connection()).as(s.connection().describe()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(s.components()).extracting(c -> c.name()).containsExactly("cart");
            read(clients);
            assertThat(runs(counter)).as("a token without expiry is kept").isEqualTo(1);
        }
    }

    @Test
    void argsAndEnvReachThePlugin() throws Exception {
        Path plugin = script("args.sh", """
                [ "$1" = "token" ] && [ "$2" = "--cluster=sim" ] && [ "$PLUGIN_MODE" = "test" ] || { echo "bad args: $*" >&2; exit 3; }
                case "$KUBERNETES_EXEC_INFO" in *ExecCredential*) ;; *) echo "no exec info" >&2; exit 4;; esac
                """ + credential(adminToken, null));
        try (KubeClients clients = clients(kubeconfig(dir.resolve("args/kubeconfig"), plugin.toString(), "token", "--cluster=sim"))) {
            assertThat(read(clients).connection()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void relativeCommandIsResolvedAgainstTheKubeconfigFolder() throws Exception {
        script("rel/bin/get-token.sh", credential(adminToken, null));
        script("rel/bin/other-token.sh", credential(adminToken, null));
        Path cfg = dir.resolve("rel/kubeconfig");
        for (String command : List.of("./bin/get-token.sh", "bin/other-token.sh")) {
            try (KubeClients clients = clients(kubeconfig(cfg, command))) {
                EnvironmentSnapshot s = read(clients);
                assertThat(s.connection()).as("%s: %s", command, s.connection().describe()).isEqualTo(ConnectionState.CONNECTED);
            }
        }
    }

    @Test
    void slowPluginNeverBlocksTheCaller() throws Exception {
        Path plugin = script("slow.sh", "sleep 2\n" + credential(adminToken, null));
        try (KubeClients clients = clients(kubeconfig(dir.resolve("slow/kubeconfig"), plugin.toString()))) {
            long t0 = System.nanoTime();
            CompletableFuture<KubernetesClient> client = clients.client("sim");
            long tookMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(tookMillis).as("client() returns at once").isLessThan(500);
            assertThat(client).isNotDone();
            assertThat(client.get(20, TimeUnit.SECONDS)).isNotNull();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1900);
        }
        Path plugin2 = script("slow2.sh", "sleep 2\n" + credential(adminToken, null));
        try (KubeClients clients = clients(kubeconfig(dir.resolve("slow2/kubeconfig"), plugin2.toString()))) {
            long t0 = System.nanoTime();
            try (LiveView live = new LiveView(clients, List.of(Environment.ofContext("sim")), Duration.ofMillis(50)).start()) {
                assertThat((System.nanoTime() - t0) / 1_000_000).as("LiveView.start returns at once").isLessThan(500);
                eventually().atMost(Duration.ofMillis(1500)).untilAsserted(() -> assertThat(live.current().environment("sim"))
                        .as("connecting while the plugin runs").isNotNull()
                        .extracting(e -> e.connection().phase()).isEqualTo(ConnectionState.Phase.CONNECTING));
                eventually().untilAsserted(() -> assertThat(live.current().environment("sim").connection())
                        .isEqualTo(ConnectionState.CONNECTED));
            }
        }
    }

    @Test
    void noisyStderrStaysApartFromTheToken() throws Exception {
        Path plugin = script("noisy.sh", """
                i=0
                while [ $i -lt 3000 ]; do echo "debug: refreshing credentials, attempt $i of a chatty plugin......................" >&2; i=$((i+1)); done
                """ + credential(adminToken, null) + """

                echo "done: credentials cached" >&2
                """);
        try (KubeClients clients = clients(kubeconfig(dir.resolve("noisy/kubeconfig"), plugin.toString()))) {
            EnvironmentSnapshot s = read(clients);
            assertThat(s.connection()).as(s.connection().describe()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(clients.exec("sim").lastStderr()).startsWith("debug: refreshing").endsWith("done: credentials cached")
                    .doesNotContain(adminToken);
        }
    }

    @Test
    void failingPluginNamesTheContextAndShowsItsStderrButNeverTheToken() throws Exception {
        Path plugin = script("fail.sh", credential(adminToken, null) + "\n" + """
                echo "using Authorization: Bearer %1$s" >&2
                echo "cached token=%1$s is stale" >&2
                echo "error: refresh of the SSO session for alice@example.com failed; run 'kubelogin' to log in again" >&2
                exit 1
                """.formatted(adminToken));
        List<String> texts = new ArrayList<>();
        try (KubeClients clients = clients(kubeconfig(dir.resolve("fail/kubeconfig"), plugin.toString()))) {
            ShipdeckException e = catchThrowableOfType(ShipdeckException.class, () -> clients.clientNow("sim"));
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("context \"sim\"").contains("exit code 1")
                    .contains("refresh of the SSO session for alice@example.com failed; run 'kubelogin' to log in again");
            texts.add(e.getMessage());
            texts.add(e.oneLine());

            ConnectionState state = read(clients).connection();
            assertThat(state.phase()).isEqualTo(ConnectionState.Phase.FAILED);
            assertThat(state.reason()).contains("context \"sim\"").contains("alice@example.com failed");
            texts.add(state.describe());
            texts.add(clients.exec("sim") == null ? "" : clients.exec("sim").lastStderr());
        }
        try (KubeClients clients = clients(kubeconfig(dir.resolve("fail2/kubeconfig"), plugin.toString()));
             LiveView live = new LiveView(clients, List.of(Environment.ofContext("sim")), Duration.ofMillis(50)).start()) {
            eventually().untilAsserted(() -> {
                ConnectionState state = live.current().environment("sim").connection();
                assertThat(state.phase()).isEqualTo(ConnectionState.Phase.FAILED);
                assertThat(state.reason()).contains("context \"sim\"").contains("alice@example.com failed");
                texts.add(state.describe());
            });
        }
        TestClusters.assertNoSecrets(texts, List.of(adminToken));
    }

    @Test
    void expiringTokenRunsThePluginAgainAfterExpiry() throws Exception {
        Path counter = dir.resolve("expiring.count");
        Path plugin = script("expiring.sh", "echo run >> '" + counter + "'\n"
                + credential(adminToken, "$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%SZ)"));
        try (KubeClients clients = clients(kubeconfig(dir.resolve("expiring/kubeconfig"), plugin.toString()))) {
            assertThat(read(clients).connection()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(read(clients).connection()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(runs(counter)).as("the token is cached until it expires").isEqualTo(1);

            Thread.sleep(4_200);

            assertThat(read(clients).connection()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(runs(counter)).as("an expired token is fetched again").isEqualTo(2);
        }
    }

    @Test
    void failedRefreshAfterExpiryIsAStateThatNeverShowsTheOldToken() throws Exception {
        Path marker = dir.resolve("refresh.ran");
        Path plugin = script("refresh.sh", """
                if [ -e '%1$s' ]; then
                  echo "error: the cached credential %2$s was rejected by the identity provider" >&2
                  exit 2
                fi
                touch '%1$s'
                """.formatted(marker, adminToken) + credential(adminToken, "$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)"));
        try (KubeClients clients = clients(kubeconfig(dir.resolve("refresh/kubeconfig"), plugin.toString()))) {
            assertThat(read(clients).connection()).isEqualTo(ConnectionState.CONNECTED);

            Thread.sleep(3_200);

            ConnectionState state = read(clients).connection();
            assertThat(state.phase()).isEqualTo(ConnectionState.Phase.FAILED);
            assertThat(state.reason()).contains("context \"sim\"").contains("was rejected by the identity provider");
            TestClusters.assertNoSecrets(List.of(state.describe(), clients.exec("sim").lastStderr()), List.of(adminToken));
        }
    }

    @Test
    void revokedPluginTokenIsA401State() throws Exception {
        String token = sim.addUser("exec-revoked", List.of(), List.of(Authz.Rule.all()));
        Path plugin = script("revoked.sh", credential(token, null));
        try (KubeClients clients = clients(kubeconfig(dir.resolve("revoked/kubeconfig"), plugin.toString()))) {
            assertThat(read(clients).connection()).isEqualTo(ConnectionState.CONNECTED);

            sim.cluster("sim").faults().expireToken(token);

            ConnectionState state = read(clients).connection();
            assertThat(state.phase()).isEqualTo(ConnectionState.Phase.FAILED);
            assertThat(state.reason()).startsWith("401");
            TestClusters.assertNoSecrets(List.of(state.describe()), List.of(token));
        }
    }
}

package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.live.LiveView;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.shipdeck.core.TestClusters.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tokens and keys never reach an error message or a connection state (KUBERNETES.md), whatever goes wrong: every
 * text a user could see in these failures is collected and searched for every secret of the kubeconfig.
 */
class SecretsTest {
    static final String STALE_TOKEN = "stale-static-token-8e1f0a9b7c";
    static final String ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.c2lnbmF0dXJlLW9mLWFsaWNl";
    static final String REFRESH_TOKEN = "refresh-7d1c2b9a8f6e5d4c";
    static final String CLIENT_SECRET = "oidc-client-secret-3a4b5c";
    static final String PASSWORD = "hunter2-but-longer-9x";

    @TempDir
    static Path dir;
    static ClusterSim sim;
    static String adminToken;
    final List<String> texts = new ArrayList<>();

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

    @AfterEach
    void nothingLeaked() {
        assertThat(texts).as("texts collected by the test").isNotEmpty();
        TestClusters.assertNoSecrets(texts, List.of(adminToken, STALE_TOKEN, ID_TOKEN, REFRESH_TOKEN, CLIENT_SECRET, PASSWORD));
    }

    void collect(ShipdeckException e) {
        texts.add(e.getMessage());
        texts.add(e.hint());
        texts.add(e.oneLine());
    }

    /** The sim's kubeconfig with extra users: a stale static token, an OIDC auth-provider and basic auth. */
    Path kubeconfig(String name, String contextUser) {
        ObjectNode cfg = TestClusters.kubeconfigTree(sim, ClusterSim.ADMIN);
        var users = cfg.withArray("users");
        users.addObject().put("name", "stale").putObject("user").put("token", STALE_TOKEN);
        ObjectNode oidc = users.addObject().put("name", "oidc").putObject("user").putObject("auth-provider");
        oidc.put("name", "oidc").putObject("config").put("id-token", ID_TOKEN).put("refresh-token", REFRESH_TOKEN)
                .put("client-secret", CLIENT_SECRET).put("client-id", "shipdeck")
                .put("idp-issuer-url", TestClusters.server(cfg) + "/idp"); // answers 401 at once: no identity provider there
        users.addObject().put("name", "basic").putObject("user").put("username", "alice").put("password", PASSWORD);
        ((ObjectNode) cfg.path("contexts").get(0).path("context")).put("user", contextUser);
        return TestClusters.writeYaml(dir.resolve(name + "/kubeconfig"), cfg);
    }

    @Test
    void kubeconfigKnowsItsSecrets() {
        Kubeconfig kc = Kubeconfig.load(List.of(kubeconfig("known", "stale")), true);
        assertThat(kc.secrets()).contains(adminToken, STALE_TOKEN, ID_TOKEN, REFRESH_TOKEN, CLIENT_SECRET, PASSWORD);
        // entries end up in debug output and exception messages by their toString
        Kubeconfig.Context ctx = kc.context("sim");
        for (String user : List.of("stale", "oidc", "basic", "sim-admin")) {
            texts.add(kc.user(new Kubeconfig.Context("sim", ctx.cluster(), user, "")).toString());
        }
        texts.add(kc.cluster(ctx).toString());
        texts.add(ctx.toString());
    }

    @Test
    void rejectedStaticTokenIsA401StateWithoutTheToken() throws Exception {
        try (KubeClients clients = TestClusters.clients(kubeconfig("stale", "stale"))) {
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertThat(s.connection().phase()).isEqualTo(ConnectionState.Phase.FAILED);
            assertThat(s.connection().reason()).startsWith("401");
            texts.add(s.connection().describe());
            try (LiveView live = new LiveView(clients, List.of(Environment.ofContext("sim")), Duration.ofMillis(50)).start()) {
                eventually().untilAsserted(() -> {
                    ConnectionState c = live.current().environment("sim").connection();
                    texts.add(c.describe());
                    assertThat(c.reason()).startsWith("401");
                });
            }
        }
    }

    @Test
    void oidcUserThatCannotRefreshNeverShowsItsTokens() {
        try (KubeClients clients = TestClusters.clients(kubeconfig("oidc", "oidc"))) {
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertThat(s.connection().reason()).startsWith("401");
            texts.add(s.connection().describe());
        }
    }

    @Test
    void basicAuthRejectedNeverShowsThePassword() {
        try (KubeClients clients = TestClusters.clients(kubeconfig("basic", "basic"))) {
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertThat(s.connection().phase()).isEqualTo(ConnectionState.Phase.FAILED);
            texts.add(s.connection().describe());
        }
    }

    @Test
    void brokenKubeconfigFilesNeverQuoteTheirSecrets() throws IOException {
        Path badYaml = Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: v1
                users:
                - name: me
                  user:
                    token: %s
                    password: [%s
                """.formatted(STALE_TOKEN, PASSWORD));
        collect(catchThrowableOfType(ShipdeckException.class, () -> Kubeconfig.load(List.of(badYaml), true)));

        Path notAList = Files.writeString(dir.resolve("not-a-list.yaml"), "users: {token: " + STALE_TOKEN + "}\n");
        collect(catchThrowableOfType(ShipdeckException.class, () -> Kubeconfig.load(List.of(notAList), true)));

        Kubeconfig kc = Kubeconfig.load(List.of(kubeconfig("unknown-context", "stale")), true);
        collect(catchThrowableOfType(ShipdeckException.class, () -> kc.context("prod")));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("line"));
    }

    @Test
    void badServerUrlNeverQuotesTheToken() {
        ObjectNode cfg = TestClusters.kubeconfigTree(sim, ClusterSim.ADMIN);
        ((ObjectNode) cfg.path("clusters").get(0).path("cluster")).put("server", "https://exa mple.invalid:99999/" + adminToken);
        Path file = TestClusters.writeYaml(dir.resolve("bad-server/kubeconfig"), cfg);
        try (KubeClients clients = TestClusters.clients(file)) {
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertThat(s.connection().connected()).isFalse();
            texts.add(s.connection().describe());
        }
    }

    @Test
    void failuresAreScrubbedOfBearerTokensJwtsAndKnownSecrets() {
        Kubeconfig kc = Kubeconfig.load(List.of(kubeconfig("scrub", "stale")), true);
        texts.add(Failures.describe(new IOException("proxy refused: Authorization: Bearer " + STALE_TOKEN), kc.secrets()).describe());
        texts.add(Failures.describe(new IOException("id token " + ID_TOKEN + " rejected"), kc.secrets()).describe());
        texts.add(Failures.describe(new IllegalStateException("login " + PASSWORD + " / " + CLIENT_SECRET), kc.secrets()).describe());
        texts.add(Failures.http(401, "token " + REFRESH_TOKEN + " expired", kc.secrets()).describe());
        texts.add(Failures.http(403, "user with token " + adminToken + " cannot list", kc.secrets()).describe());
        assertThat(texts.get(3)).startsWith("failed (401");
    }
}

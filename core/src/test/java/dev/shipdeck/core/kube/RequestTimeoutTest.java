package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.Commands;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.records.ReleaseRecords;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The request timeout bounds each request as a whole, as kubectl's {@code --request-timeout} does: a server that
 * accepts the connection and never answers, or answers too slowly, fails after about the timeout — for reads, for
 * writes, for fabric8's own requests, and however many retries the client is allowed. Bounds are generous (a
 * behaviour check, not a benchmark): before the fix these took 60 s or succeeded after the latency.
 */
class RequestTimeoutTest {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final long SLACK_MILLIS = 3_000;

    @TempDir
    static Path dir;
    static ServerSocket silent;
    static final List<Socket> accepted = new CopyOnWriteArrayList<>();
    static ClusterSim sim;

    @BeforeAll
    static void start() throws IOException {
        // accepts TCP connections and never says a word (not even the TLS handshake)
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-server");
        t.setDaemon(true);
        t.start();
        sim = TestClusters.startEmpty();
        sim.cluster("sim").apply(Manifest.deployment("shop", "catalog").version("3.4.1").text());
    }

    @AfterAll
    static void stop() throws IOException {
        silent.close();
        for (Socket s : accepted) s.close();
        sim.close();
    }

    static Path silentKubeconfig() {
        ObjectNode cfg = TestClusters.YAML.createObjectNode();
        cfg.put("apiVersion", "v1").put("kind", "Config").put("current-context", "silent");
        cfg.putArray("clusters").addObject().put("name", "silent").putObject("cluster")
                .put("server", "https://127.0.0.1:" + silent.getLocalPort()).put("insecure-skip-tls-verify", true);
        cfg.putArray("users").addObject().put("name", "me").putObject("user").put("token", "silent-secret-token-8d1e");
        cfg.putArray("contexts").addObject().put("name", "silent").putObject("context").put("cluster", "silent").put("user", "me");
        return TestClusters.writeYaml(dir.resolve("silent.kubeconfig"), cfg);
    }

    static KubeClients clients(Path kubeconfig, KubeClients.Options options) {
        return new KubeClients(Kubeconfig.load(List.of(kubeconfig), true), options);
    }

    static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void assertTimedOutInTime(ConnectionState s, long elapsed) {
        assertThat(s.phase()).as(s.describe()).isEqualTo(ConnectionState.Phase.UNREACHABLE);
        assertThat(s.reason()).isEqualTo("timed out after 1s");
        assertThat(elapsed).as("elapsed ms").isBetween(TIMEOUT.toMillis() - 100, TIMEOUT.toMillis() + SLACK_MILLIS);
    }

    @Test
    void aReadOfASilentServerTimesOutAfterTheTimeout() {
        try (KubeClients clients = clients(silentKubeconfig(), KubeClients.Options.CLI.withRequestTimeout(TIMEOUT))) {
            clients.clientNow("silent");
            long t0 = System.nanoTime();
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("silent"));
            assertTimedOutInTime(s.connection(), millisSince(t0));
        }
    }

    @Test
    void retriesDoNotMultiplyTheTimeout() {
        // the console's options retry twice; the whole request is still bounded by one timeout
        KubeClients.Options retrying = KubeClients.Options.INTERACTIVE.withRequestTimeout(TIMEOUT);
        assertThat(retrying.retries()).isPositive();
        try (KubeClients clients = clients(silentKubeconfig(), retrying)) {
            clients.clientNow("silent");
            long t0 = System.nanoTime();
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("silent"));
            assertTimedOutInTime(s.connection(), millisSince(t0));
        }
    }

    @Test
    void aSlowServerFailsAfterTheTimeoutInsteadOfSucceedingLate() {
        sim.cluster("sim").faults().latency(Duration.ofSeconds(5));
        try (KubeClients clients = clients(TestClusters.writeKubeconfig(sim, dir.resolve("sim")), KubeClients.Options.CLI.withRequestTimeout(TIMEOUT))) {
            clients.clientNow("sim");
            long t0 = System.nanoTime();
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertTimedOutInTime(s.connection(), millisSince(t0));
        } finally {
            sim.cluster("sim").faults().clear();
        }
    }

    @Test
    void zeroMeansNoTimeout() {
        sim.cluster("sim").faults().latency(Duration.ofMillis(1500));
        try (KubeClients clients = clients(TestClusters.writeKubeconfig(sim, dir.resolve("sim0")), KubeClients.Options.CLI.withRequestTimeout(Duration.ZERO))) {
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("sim"));
            assertThat(s.connection()).as(s.connection().describe()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(s.components()).hasSize(1);
        } finally {
            sim.cluster("sim").faults().clear();
        }
    }

    @Test
    void aWriteToASilentServerTimesOutWithTheSameState() {
        try (KubeClients clients = clients(silentKubeconfig(), KubeClients.Options.CLI.withRequestTimeout(TIMEOUT))) {
            clients.clientNow("silent");
            Commands commands = new Commands(clients, List.of(Environment.ofContext("silent")));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> commands.run(new CommandRequest(Action.RESTART, "silent", "catalog", null, null, Map.of())))
                    .isInstanceOfSatisfying(ClusterException.class, e -> assertTimedOutInTime(e.state(), millisSince(t0)));
        }
    }

    @Test
    void fabric8sOwnRequestsHonourTheTimeoutToo() {
        try (KubeClients clients = clients(silentKubeconfig(), KubeClients.Options.CLI.withRequestTimeout(TIMEOUT))) {
            ReleaseRecords records = new ReleaseRecords(clients.clientNow("silent"));
            long t0 = System.nanoTime();
            assertThatThrownBy(records::installed).isInstanceOfSatisfying(ClusterException.class, e -> {
                assertThat(e.state().phase()).isEqualTo(ConnectionState.Phase.UNREACHABLE);
                assertThat(millisSince(t0)).isLessThan(TIMEOUT.toMillis() + SLACK_MILLIS);
            });
        }
    }

    @Test
    void theConnectTimeoutNeverExceedsTheRequestTimeout() {
        assertThat(KubeClients.Options.CLI.withRequestTimeout(Duration.ofSeconds(1)).connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(KubeClients.Options.CLI.withRequestTimeout(Duration.ofMinutes(2)).connectTimeout()).isEqualTo(KubeClients.Options.CLI.connectTimeout());
        assertThat(KubeClients.Options.CLI.withRequestTimeout(Duration.ZERO).connectTimeout()).isEqualTo(KubeClients.Options.CLI.connectTimeout());
    }
}

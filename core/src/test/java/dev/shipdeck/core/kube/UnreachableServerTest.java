package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.live.LiveView;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A kubeconfig whose server is not there (a closed port): a state with a reason, retries, never an exception. */
class UnreachableServerTest {
    static final String TOKEN = "unreachable-secret-token-5f3a9c";

    @TempDir
    Path dir;

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Path kubeconfig() throws IOException {
        ObjectNode cfg = TestClusters.YAML.createObjectNode();
        cfg.put("apiVersion", "v1").put("kind", "Config").put("current-context", "gone");
        cfg.putArray("clusters").addObject().put("name", "gone").putObject("cluster")
                .put("server", "https://127.0.0.1:" + closedPort()).put("insecure-skip-tls-verify", true);
        cfg.putArray("users").addObject().put("name", "me").putObject("user").put("token", TOKEN);
        cfg.putArray("contexts").addObject().put("name", "gone").putObject("context").put("cluster", "gone").put("user", "me");
        return TestClusters.writeYaml(dir.resolve("kubeconfig"), cfg);
    }

    @Test
    void clusterReaderSaysUnreachableWithAReason() throws IOException {
        try (KubeClients clients = TestClusters.clients(kubeconfig())) {
            long t0 = System.nanoTime();
            EnvironmentSnapshot s = new ClusterReader(clients).read(Environment.ofContext("gone"));
            assertThat((System.nanoTime() - t0) / 1_000_000).as("a refused connection is reported quickly").isLessThan(10_000);
            assertThat(s.connection().phase()).isEqualTo(ConnectionState.Phase.UNREACHABLE);
            assertThat(s.connection().reason()).isEqualTo("connection refused");
            assertThat(s.components()).isEmpty();
            TestClusters.assertNoSecrets(List.of(s.connection().describe()), List.of(TOKEN));
        }
    }

    @Test
    void liveViewKeepsRetryingAndNeverThrows() throws Exception {
        BlockingQueue<Snapshot> snapshots = new LinkedBlockingQueue<>();
        List<String> texts = new ArrayList<>();
        try (KubeClients clients = new KubeClients(Kubeconfig.load(List.of(kubeconfig()), true), KubeClients.Options.INTERACTIVE);
             LiveView live = new LiveView(clients, List.of(Environment.ofContext("gone")), Duration.ofMillis(50))) {
            try (AutoCloseable sub = live.subscribe(snapshots::add)) {
                live.start();
                Set<ConnectionState.Phase> seen = EnumSet.noneOf(ConnectionState.Phase.class);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
                while (System.nanoTime() < end) {
                    Snapshot s = snapshots.poll(200, TimeUnit.MILLISECONDS);
                    if (s == null || s.environment("gone") == null) continue;
                    ConnectionState c = s.environment("gone").connection();
                    seen.add(c.phase());
                    texts.add(c.describe());
                    if (c.phase() != ConnectionState.Phase.CONNECTING) {
                        assertThat(c.reason()).as("a state that is not connected says why").isNotBlank();
                    }
                    assertThat(s.environment("gone").components()).isEmpty();
                }
                assertThat(seen).as("states seen").doesNotContain(ConnectionState.Phase.CONNECTED, ConnectionState.Phase.FAILED)
                        .containsAnyOf(ConnectionState.Phase.UNREACHABLE, ConnectionState.Phase.RETRYING);
                assertThat(live.current().environment("gone").connection().reason()).isEqualTo("connection refused");
            }
        }
        TestClusters.assertNoSecrets(texts, List.of(TOKEN));
    }
}

package dev.shipdeck.app;

import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.sim.ClusterSim;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo scenario as the tests use it: the simulated clusters (without background activity, so tests are
 * repeatable), reached the way a person does, through kubeconfig files on disk (admin and read-only viewer).
 */
public final class DemoCluster implements AutoCloseable {
    private final ClusterSim sim;
    private final Path dir;
    private final Path adminKubeconfig;
    private final Path viewerKubeconfig;

    private DemoCluster(ClusterSim sim, Path dir) {
        this.sim = sim;
        this.dir = dir;
        this.adminKubeconfig = sim.writeKubeconfig(dir.resolve("admin.kubeconfig"), ClusterSim.ADMIN);
        this.viewerKubeconfig = sim.writeKubeconfig(dir.resolve("viewer.kubeconfig"), ClusterSim.VIEWER);
    }

    public static DemoCluster start() {
        return start(false);
    }

    /** @param releaseRecords with the weeks of Release records the desktop's own demo has (the insights need them) */
    public static DemoCluster start(boolean releaseRecords) {
        try {
            return new DemoCluster(ClusterSim.builder().scenario("demo").releaseRecords(releaseRecords).activity(false).start(),
                    Files.createTempDirectory("shipdeck-app-test-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ClusterSim sim() { return sim; }

    public Path adminKubeconfig() { return adminKubeconfig; }

    public Path viewerKubeconfig() { return viewerKubeconfig; }

    public Path dir() { return dir; }

    /** One read of every environment, as core builds it for the live view. */
    public Snapshot read() {
        Kubeconfig kc = Kubeconfig.load(adminKubeconfig.toString());
        List<Environment> envs = kc.contextNames().stream().map(Environment::ofContext).toList();
        try (KubeClients clients = new KubeClients(kc, KubeClients.Options.CLI)) {
            return new Snapshot(new ClusterReader(clients).read(envs), 1);
        }
    }

    /** {@link #read()} with each environment's Release records, as the CLI reads the history. */
    public Snapshot readWithRecords() {
        Kubeconfig kc = Kubeconfig.load(adminKubeconfig.toString());
        List<Environment> envs = kc.contextNames().stream().map(Environment::ofContext).toList();
        try (KubeClients clients = new KubeClients(kc, KubeClients.Options.CLI)) {
            return new Snapshot(new ClusterReader(clients).read(envs).stream()
                    .map(s -> dev.shipdeck.core.records.ReleaseRecords.withRecords(clients.clientNow(s.environment().context()), s)).toList(), 1);
        }
    }

    /** A fabric8 client for one context of the admin kubeconfig, to check what the app did. */
    public KubernetesClient client(String context) {
        try {
            Config config = Config.fromKubeconfig(context, Files.readString(adminKubeconfig), adminKubeconfig.toString());
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        sim.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files
        }
    }
}

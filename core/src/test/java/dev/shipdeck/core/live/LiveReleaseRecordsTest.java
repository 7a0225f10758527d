package dev.shipdeck.core.live;

import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The desktop's live view with the Release records: deploy markers join the timeline as CI writes them, a component
 * with markers but no workload yet is listed as such, and it becomes an ordinary component when its Deployment comes.
 */
class LiveReleaseRecordsTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;
    static KubeClients clients;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").start();
        sim.cluster("sim").apply(String.join("---\n", Crds.yaml()));
        sim.cluster("sim").apply(Manifest.deployment("shop", "checkout").version("1.4.1").text());
        clients = new KubeClients(Kubeconfig.load(List.of(sim.writeKubeconfig(dir.resolve("kubeconfig"))), true),
                KubeClients.Options.INTERACTIVE);
    }

    @AfterAll
    static void stop() {
        clients.close();
        sim.close();
    }

    static ReleaseRecord marker(String name, String component, String version, ReleaseStatus status) {
        return new ReleaseRecord(name, "shop", "", new ReleaseRecord.Spec(component, "sim", null, version, "", ReleaseType.DEPLOYMENT,
                ReleaseRecord.SOURCE_MARKER, false, Trigger.NONE, ""),
                new ReleaseRecord.Status(status, status.name().toLowerCase(), "", Instant.now(), null, "", ClusterSim.ADMIN));
    }

    static Optional<Component> component(EnvironmentSnapshot e, String name) {
        return e.components().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    static Optional<Release> release(EnvironmentSnapshot e, String component, String version) {
        return e.releases().stream().filter(r -> r.component().equals(component) && r.version().equals(version)).findFirst();
    }

    @Test
    void markersAreLiveAndAComponentWithoutWorkloadIsListedUntilItHasOne() throws Exception {
        ReleaseRecords records = new ReleaseRecords(clients.clientNow("sim"));
        records.create(marker("bar-web-7-1-0", "bar-web", "7.1.0", ReleaseStatus.PENDING));
        try (LiveView live = new LiveView(clients, List.of(Environment.ofContext("sim")), Duration.ofMillis(50), true)) {
            SnapshotCollector snapshots = new SnapshotCollector(live);
            live.start();
            live.awaitSynced(Duration.ofSeconds(15)).get(20, TimeUnit.SECONDS);

            EnvironmentSnapshot first = snapshots.await("sim", 20, "bar-web without a workload", e ->
                    component(e, "bar-web").map(c -> !c.hasWorkload()).orElse(false));
            Component bar = component(first, "bar-web").orElseThrow();
            assertThat(bar.status()).isEqualTo(ReleaseStatus.PENDING);
            assertThat(bar.namespace()).isEqualTo("shop");
            assertThat(bar.verdict().message()).contains("7.1.0").contains("shipdeck.dev/component-name=bar-web");
            assertThat(release(first, "bar-web", "7.1.0").orElseThrow().source()).isEqualTo(ReleaseRecord.SOURCE_MARKER);
            assertThat(release(first, "checkout", "1.4.1")).as("the ReplicaSet history no record covers").isPresent();

            ReleaseRecord stored = records.get("shop", "bar-web-7-1-0");
            records.writeStatus(stored.withStatus(new ReleaseRecord.Status(ReleaseStatus.RUNNING, "running", "", stored.status().startedAt(),
                    null, "", ClusterSim.ADMIN)));
            snapshots.await("sim", 20, "the marker RUNNING", e -> release(e, "bar-web", "7.1.0").map(r -> r.status() == ReleaseStatus.RUNNING)
                    .orElse(false) && component(e, "bar-web").map(c -> c.status() == ReleaseStatus.RUNNING).orElse(false));

            sim.cluster("sim").apply(Manifest.deployment("shop", "bar-web").version("7.1.0").text());
            EnvironmentSnapshot deployed = snapshots.await("sim", 20, "bar-web with its Deployment", e ->
                    component(e, "bar-web").map(Component::hasWorkload).orElse(false));
            assertThat(deployed.components()).extracting(Component::name).containsOnlyOnce("bar-web");
            assertThat(deployed.releases()).filteredOn(r -> r.component().equals("bar-web")).extracting(Release::source)
                    .contains(ReleaseRecord.SOURCE_MARKER, "derived");
        }
    }

    @Test
    void withoutAskingForRecordsTheViewIsTheClustersOwn() throws Exception {
        new ReleaseRecords(clients.clientNow("sim")).create(marker("only-marker-1", "only-marker", "1.0.0", ReleaseStatus.LOGGED));
        try (LiveView live = new LiveView(clients, List.of(Environment.ofContext("sim")), Duration.ofMillis(50))) {
            SnapshotCollector snapshots = new SnapshotCollector(live);
            live.start();
            EnvironmentSnapshot s = snapshots.await("sim", 20, "checkout", e -> component(e, "checkout").isPresent());
            assertThat(s.components()).extracting(Component::name).doesNotContain("only-marker");
            assertThat(s.releases()).allSatisfy(r -> assertThat(r.source()).isEqualTo("derived"));
        }
    }
}

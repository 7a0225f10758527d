package dev.shipdeck.core.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.sim.Resources;
import dev.shipdeck.sim.SimCluster;
import dev.shipdeck.sim.Store;
import dev.shipdeck.sim.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live console's view: informers through a kubeconfig against cluster-sim, snapshots collected from a
 * subscription into a queue and polled with timeouts, one LiveView per test. Faults are in {@link LiveReconnectTest}.
 */
class LiveViewTest {
    @TempDir
    static Path dir;
    /** cluster-sim, or the real control plane in the real tier (where the tests tagged "real" run). */
    static TestCluster target;
    static KubeClients clients;
    static String token;

    LiveView live;
    SnapshotCollector snapshots;

    @BeforeAll
    static void start() {
        target = TestCluster.builder().context("live").tag("live").start(dir);
        token = target.token(TestCluster.ADMIN);
        clients = new KubeClients(Kubeconfig.load(List.of(target.kubeconfig(TestCluster.ADMIN)), true), KubeClients.Options.INTERACTIVE);
    }

    @AfterAll
    static void stop() {
        if (clients != null) clients.close();
        if (target != null) target.close();
    }

    /** Seconds to wait for a state: longer on the real control plane's wall clock. */
    static int secs(int onTheSim) {
        return target.real() ? Math.max(onTheSim, 60) : onTheSim;
    }

    @AfterEach
    void closeView() {
        if (live != null) live.close();
        TestClusters.assertNoSecrets(snapshots.connectionTexts(), List.of(token));
    }

    void watch(String namespace, Duration coalesce) throws Exception {
        live = new LiveView(clients, List.of(TestClusters.env("live", namespace)), coalesce);
        snapshots = new SnapshotCollector(live);
        live.start();
        live.awaitSynced(Duration.ofSeconds(15)).get(20, TimeUnit.SECONDS);
    }

    static Optional<Release> release(EnvironmentSnapshot e, String component, String version) {
        return e.releases().stream().filter(r -> r.component().equals(component) && r.version().equals(version)).findFirst();
    }

    static boolean releaseIs(EnvironmentSnapshot e, String component, String version, ReleaseStatus status) {
        return release(e, component, version).map(r -> r.status() == status).orElse(false);
    }

    static Optional<Component> component(EnvironmentSnapshot e, String name) {
        return TestClusters.component(e, name);
    }

    @Test
    @Tag("real")
    void releaseSupersededWhileRunningIsCancelled() throws Exception {
        String ns = target.ns("superseded");
        target.apply(Manifest.deployment(ns, "api").version("1.0.0").text());
        watch(ns, Duration.ofMillis(50));
        snapshots.await("live", secs(10), "1.0.0 rolled out", e -> releaseIs(e, "api", "1.0.0", ReleaseStatus.SUCCESS));

        target.apply(Manifest.deployment(ns, "api").version("1.1.0").neverReady().text());
        snapshots.await("live", secs(10), "1.1.0 running", e -> releaseIs(e, "api", "1.1.0", ReleaseStatus.RUNNING));

        target.apply(Manifest.deployment(ns, "api").version("1.2.0").text());
        EnvironmentSnapshot e = snapshots.await("live", secs(10), "1.2.0 rolled out", x -> releaseIs(x, "api", "1.2.0", ReleaseStatus.SUCCESS));

        Release stuck = release(e, "api", "1.1.0").orElseThrow();
        assertThat(stuck.status()).isEqualTo(ReleaseStatus.CANCELLED);
        assertThat(stuck.message()).contains("superseded");
        assertThat(stuck.endedAt()).isNotNull();
        assertThat(release(e, "api", "1.0.0").orElseThrow().status()).as("a release that finished stays a success")
                .isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(component(e, "api").orElseThrow().status()).isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(live.current().environment("live").releases()).filteredOn(r -> r.version().equals("1.1.0"))
                .singleElement().extracting(Release::status).isEqualTo(ReleaseStatus.CANCELLED);
    }

    @Test
    void aReleaseRunningWhenItsWorkloadIsUpdatedIsCancelledAlreadyBeforeTheControllerMakesTheNewReplicaSet() throws Exception {
        SimCluster c = target.simCluster().orElseThrow();
        c.apply(Manifest.deployment("window", "api").version("1.0.0").text());
        watch("window", Duration.ofMillis(50));
        snapshots.await("live", 10, "1.0.0 rolled out", e -> releaseIs(e, "api", "1.0.0", ReleaseStatus.SUCCESS));
        c.apply(Manifest.deployment("window", "api").version("1.1.0").neverReady().text());
        snapshots.await("live", 10, "1.1.0 running", e -> releaseIs(e, "api", "1.1.0", ReleaseStatus.RUNNING));
        EnvironmentSnapshot between;
        try (AutoCloseable held = c.holdControllers()) {
            // the Deployment has the 1.2.0 template; its controller has not answered yet: 1.1.0 is still the newest ReplicaSet
            c.apply(Manifest.deployment("window", "api").version("1.2.0").text());
            between = snapshots.await("live", 10, "the workload's template is 1.2.0", e -> component(e, "api")
                    .map(a -> a.primary().version().equals("1.2.0")).orElse(false));
        }
        assertThat(release(between, "api", "1.2.0")).as("no ReplicaSet, no release yet").isEmpty();
        Release cancelled = release(between, "api", "1.1.0").orElseThrow();
        assertThat(cancelled.status()).as("1.1.0 never became available: superseded, not a success").isEqualTo(ReleaseStatus.CANCELLED);
        assertThat(cancelled.endedAt()).isNotNull();
        EnvironmentSnapshot after = snapshots.await("live", 10, "1.2.0 rolled out", e -> releaseIs(e, "api", "1.2.0", ReleaseStatus.SUCCESS));
        assertThat(release(after, "api", "1.1.0").orElseThrow()).as("the same release, the same end").isEqualTo(cancelled);
    }

    @Test
    void aBurstOfChangesIsCoalesced() throws Exception {
        SimCluster c = target.simCluster().orElseThrow();
        c.apply(Manifest.deployment("burst", "api").version("1.0.0").text());
        watch("burst", Duration.ofMillis(250));
        snapshots.await("live", 10, "api rolled out", e -> component(e, "api").map(x -> x.status() == ReleaseStatus.SUCCESS).orElse(false));
        snapshots.clear();
        long before = live.current().sequence();
        AtomicInteger events = new AtomicInteger();
        Store.Subscription counting = c.store().watch(null, "burst", o -> true, c.store().currentResourceVersion(),
                e -> events.incrementAndGet());

        for (int i = 0; i < 200; i++) {
            String n = Integer.toString(i);
            c.store().mutate(Resources.DEPLOYMENTS, "burst", "api", null, d -> {
                ((ObjectNode) d.path("metadata").path("annotations")).put("shipdeck.dev/commit-sha", "commit-" + n);
                return true;
            });
        }

        EnvironmentSnapshot last = snapshots.await("live", 10, "the last change", e -> component(e, "api")
                .map(x -> "commit-199".equals(x.primary().trigger().commitSha())).orElse(false));
        Thread.sleep(600); // anything still queued from the burst
        counting.close();
        long published = live.current().sequence() - before;
        assertThat(events.get()).as("watch events of the burst").isGreaterThanOrEqualTo(200);
        assertThat(published).as("snapshots for %d events", events.get()).isBetween(1L, 29L);
        assertThat(last.components()).singleElement().extracting(Component::name).isEqualTo("api");
    }

    @Test
    void aSupersededReleaseKeepsOneEndTimeAndWhatIsGoneIsForgotten() throws Exception {
        SimCluster c = target.simCluster().orElseThrow();
        c.apply(Manifest.deployment("stable-end", "api").version("1.0.0").text());
        c.apply(Manifest.deployment("stable-end", "gone").version("1.0.0").text());
        watch("stable-end", Duration.ofMillis(50));
        snapshots.await("live", 10, "both rolled out", e -> releaseIs(e, "api", "1.0.0", ReleaseStatus.SUCCESS)
                && releaseIs(e, "gone", "1.0.0", ReleaseStatus.SUCCESS));
        c.apply(Manifest.deployment("stable-end", "api").version("1.1.0").neverReady().text());
        snapshots.await("live", 10, "1.1.0 running", e -> releaseIs(e, "api", "1.1.0", ReleaseStatus.RUNNING));
        c.apply(Manifest.deployment("stable-end", "api").version("1.2.0").text());
        EnvironmentSnapshot e = snapshots.await("live", 10, "1.1.0 superseded", x -> releaseIs(x, "api", "1.1.0", ReleaseStatus.CANCELLED)
                && releaseIs(x, "api", "1.2.0", ReleaseStatus.SUCCESS));
        Release superseded = release(e, "api", "1.1.0").orElseThrow();
        assertThat(superseded.endedAt()).isNotNull();

        // later snapshots (other changes to the workload) show the same end and the same "took"
        for (int i = 0; i < 3; i++) {
            String sha = "later-" + i;
            c.store().mutate(Resources.DEPLOYMENTS, "stable-end", "api", null, d -> {
                ((ObjectNode) d.path("metadata").path("annotations")).put("shipdeck.dev/commit-sha", sha);
                return true;
            });
            EnvironmentSnapshot later = snapshots.await("live", 10, "commit " + sha, x -> component(x, "api")
                    .map(a -> sha.equals(a.primary().trigger().commitSha())).orElse(false));
            Release again = release(later, "api", "1.1.0").orElseThrow();
            assertThat(again.endedAt()).as("end of the superseded release, snapshot %d", i).isEqualTo(superseded.endedAt());
            assertThat(again.took()).isEqualTo(superseded.took());
            assertThat(again).isEqualTo(superseded);
        }

        // a workload that is deleted is forgotten, with its releases
        c.store().delete(Resources.DEPLOYMENTS, "stable-end", "gone");
        EnvironmentSnapshot after = snapshots.await("live", 10, "gone deleted", x -> component(x, "gone").isEmpty());
        assertThat(after.releases()).extracting(Release::component).containsOnly("api");
        // what it remembers: the status of each release shown, and the one superseded
        assertThat(live.remembered()).isEqualTo(after.releases().size() + 1);
    }
}

package dev.shipdeck.core.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.Manifest;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.sim.Resources;
import dev.shipdeck.sim.SimCluster;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live view through outages: dropped watches that fail to come back at first, and an API server that stops
 * answering. It shows retrying with a reason, keeps the last known state, reconnects on its own and misses nothing.
 */
class LiveReconnectTest {
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
        target = TestCluster.builder().context("flaky").tag("reconnect").start(dir);
        token = target.token(TestCluster.ADMIN);
        clients = new KubeClients(Kubeconfig.load(List.of(target.kubeconfig(TestCluster.ADMIN)), true), KubeClients.Options.INTERACTIVE);
    }

    @AfterAll
    static void stop() {
        if (clients != null) clients.close();
        if (target != null) target.close();
    }

    static int secs(int onTheSim) {
        return target.real() ? Math.max(onTheSim, 60) : onTheSim;
    }

    @AfterEach
    void closeView() {
        target.simCluster().ifPresent(c -> c.faults().clear());
        if (live != null) live.close();
        TestClusters.assertNoSecrets(snapshots.connectionTexts(), List.of(token));
    }

    void watch(String namespace, Duration coalesce) throws Exception {
        live = new LiveView(clients, List.of(TestClusters.env("flaky", namespace)), coalesce);
        snapshots = new SnapshotCollector(live);
        live.start();
        live.awaitSynced(Duration.ofSeconds(15)).get(20, TimeUnit.SECONDS);
    }

    static Optional<Component> component(EnvironmentSnapshot e, String name) {
        return TestClusters.component(e, name);
    }

    @Test
    void droppedWatchesRecoverAndMissNothing() throws Exception {
        SimCluster c = target.simCluster().orElseThrow();
        c.apply(Manifest.deployment("dropped", "api").version("1.0.0").text());
        watch("dropped", Duration.ofMillis(50));
        snapshots.await("flaky", 10, "connected with api", e -> e.connection().connected() && component(e, "api").isPresent());

        c.faults().failWatches(503, 3).dropWatches();
        c.apply(Manifest.deployment("dropped", "api").version("2.0.0").text());    // during the outage
        c.apply(Manifest.deployment("dropped", "worker").version("0.9.0").text());

        EnvironmentSnapshot retrying = snapshots.await("flaky", 15, "a retrying state", e -> e.connection().phase() == ConnectionState.Phase.RETRYING);
        assertThat(retrying.connection().reason()).isNotBlank();
        // the Deployments and the ReplicaSets are separate informers: each relists on its own after the outage, so
        // wait for both (a Deployment already at 2.0.0 may still come with the ReplicaSets from before)
        EnvironmentSnapshot back = snapshots.await("flaky", 20, "connected again with the change", e -> e.connection().connected()
                && component(e, "api").map(x -> x.version().equals("2.0.0") && x.status() == ReleaseStatus.SUCCESS).orElse(false)
                && component(e, "worker").isPresent()
                && e.releases().stream().map(Release::version).toList().containsAll(List.of("1.0.0", "2.0.0", "0.9.0")));
        assertThat(back.releases()).extracting(Release::version).contains("1.0.0", "2.0.0", "0.9.0");
    }

    /**
     * cluster-sim: the server stops answering, and a change is made behind its back. The real control plane: the
     * kube-apiserver process is stopped and started again, and the change is made as soon as it answers (before the
     * informers have found it back).
     */
    @Test
    @Tag("real")
    void unreachableServerIsRetriedUntilItIsBack() throws Exception {
        String ns = target.ns("outage");
        target.apply(Manifest.deployment(ns, "api").version("1.0.0").text());
        watch(ns, Duration.ofMillis(50));
        snapshots.await("flaky", secs(10), "connected with api", e -> e.connection().connected() && component(e, "api").isPresent());

        target.stopApiServer();
        try {
            EnvironmentSnapshot down = snapshots.await("flaky", secs(15), "not connected", e -> !e.connection().connected());
            assertThat(down.connection().phase()).isIn(ConnectionState.Phase.RETRYING, ConnectionState.Phase.UNREACHABLE);
            assertThat(down.connection().reason()).isNotBlank();
            assertThat(component(down, "api")).as("the last known state stays visible").isPresent();
            target.simCluster().ifPresent(c -> c.store().mutate(Resources.DEPLOYMENTS, ns, "api", null, d -> {
                ((ObjectNode) d.path("spec")).put("replicas", 2);
                return true;
            }));
        } finally {
            target.startApiServer();
        }
        if (target.real()) target.mergePatch(TestCluster.Kind.DEPLOYMENTS, ns, "api", null, "{\"spec\":{\"replicas\":2}}");
        snapshots.await("flaky", secs(20), "connected again with 2 replicas", e -> e.connection().connected()
                && component(e, "api").map(x -> x.desiredReplicas() == 2).orElse(false));
    }

    @Test
    void aListThatKeepsFailingTimesOutWithTheReasonAndRecoversWhenItWorksAgain() throws Exception {
        SimCluster c = target.simCluster().orElseThrow();
        c.apply(Manifest.deployment("never-synced", "api").version("1.0.0").text());
        AtomicInteger lists = new AtomicInteger();
        // the probe (the first list) passes; every list after it fails, so the informers never sync
        c.faults().fail(call -> call.method().equals("GET") && !call.watch()
                && call.path().equals("/apis/apps/v1/namespaces/never-synced/deployments") && lists.incrementAndGet() > 1, 500, Integer.MAX_VALUE);
        live = new LiveView(clients, List.of(TestClusters.env("flaky", "never-synced")), Duration.ofMillis(50), Duration.ofSeconds(2));
        snapshots = new SnapshotCollector(live);
        live.start();

        CompletableFuture<?> synced = live.awaitSynced(Duration.ofSeconds(4));
        EnvironmentSnapshot stuck = snapshots.await("flaky", 15, "the sync timeout", e -> e.connection().reason().startsWith("not synced"));
        assertThat(stuck.connection().phase()).isEqualTo(ConnectionState.Phase.RETRYING);
        assertThat(stuck.connection().reason()).startsWith("not synced within 2s: ").contains("500");
        assertThat(stuck.components()).as("nothing half-listed is shown").isEmpty();
        assertThatThrownBy(() -> synced.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);

        c.faults().clear();
        EnvironmentSnapshot back = snapshots.await("flaky", 30, "connected with api", e -> e.connection().connected()
                && component(e, "api").isPresent());
        assertThat(back.connection().reason()).isEmpty();
        live.awaitSynced(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }
}

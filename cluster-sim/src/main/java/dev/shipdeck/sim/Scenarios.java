package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Named scenarios: {@code empty}, {@code demo} (three clusters, a dozen components with history, a failed
 * release, paused canaries, a read-only user), generated components for benchmarks, or a YAML file.
 * History is seeded by running the real controllers on a clock that starts {@link #HISTORY} in the past.
 */
final class Scenarios {
    static final List<String> DEMO_CLUSTERS = List.of("prod-eu", "staging", "dev");
    static final Duration HISTORY = Duration.ofDays(3);

    /** A demo component: its team namespace, labels and versions (oldest first). */
    record Component(String name, String team, String role, boolean rollout, int replicas, List<String> versions) {}

    static final List<Component> DEMO = List.of(
            new Component("checkout", "payments", "web", true, 5, List.of("4.0.3", "4.1.0", "4.1.2", "4.2.0", "4.3.0")),
            new Component("payments-api", "payments", "web", false, 3, List.of("2.7.0", "2.8.1", "2.9.0", "3.0.0")),
            new Component("ledger-worker", "payments", "worker", false, 2, List.of("1.12.0", "1.12.1", "1.13.0", "1.14.0")),
            new Component("fraud-scorer", "payments", "worker", false, 2, List.of("0.9.4", "0.9.5", "1.0.0")),
            new Component("search-api", "search", "web", false, 3, List.of("1.7.1", "1.7.2", "1.7.3", "1.8.0")),
            new Component("indexer", "search", "worker", false, 2, List.of("5.1.0", "5.2.0", "5.2.1")),
            new Component("query-suggest", "search", "web", true, 4, List.of("0.4.0", "0.5.0", "0.6.0")),
            new Component("storefront-web", "storefront", "web", false, 3, List.of("12.0.0", "12.1.0", "12.2.0", "12.3.0")),
            new Component("catalog", "storefront", "web", false, 2, List.of("3.3.0", "3.4.0", "3.4.1")),
            new Component("cart", "storefront", "web", true, 4, List.of("8.0.0", "8.1.0", "8.2.0")),
            new Component("image-resizer", "storefront", "worker", false, 1, List.of("2.0.0", "2.0.1", "2.1.0")),
            new Component("notifications", "storefront", "worker", false, 2, List.of("6.4.0", "6.5.0", "6.6.0")));

    private Scenarios() {}

    static void seed(ClusterSim sim, String scenario, int components) {
        switch (scenario) {
            case "empty" -> { }
            case "demo" -> demo(sim);
            default -> file(sim, Path.of(scenario));
        }
        if (components > 0) {
            generated(sim, components);
        }
    }

    // ---------------------------------------------------------------- demo

    private static int deployedCount(Component c, String cluster) {
        int n = c.versions().size();
        return switch (cluster) {
            case "prod-eu" -> n - 2;
            case "staging" -> n - 1;
            default -> n;
        };
    }

    private static void demo(ClusterSim sim) {
        for (SimCluster c : sim.clusters()) {
            c.installRolloutsCrd();
        }
        int rounds = DEMO.stream().mapToInt(c -> c.versions().size()).max().orElse(0);
        Duration gap = HISTORY.minusHours(2).dividedBy(rounds);
        for (int round = 0; round < rounds; round++) {
            List<SimCluster> promoteIn = new ArrayList<>();
            List<Component> promoteWhat = new ArrayList<>();
            for (SimCluster cluster : sim.clusters()) {
                for (Component comp : DEMO) {
                    int count = DEMO_CLUSTERS.contains(cluster.name()) ? deployedCount(comp, cluster.name()) : comp.versions().size();
                    if (round >= count) continue;
                    boolean last = round == count - 1;
                    cluster.apply(Json.text(Workloads.build(demoSpec(cluster.name(), comp, round, last))));
                    if (comp.rollout() && !(last && isPausedCanary(cluster.name(), comp))) {
                        promoteIn.add(cluster);
                        promoteWhat.add(comp);
                    }
                }
            }
            settle(sim, 6);
            promoteUntilDone(sim, promoteIn, promoteWhat);
            sim.clock().advance(gap);
            settle(sim, 2);
        }
        for (SimCluster cluster : sim.clusters()) {
            if (cluster.name().equals("prod-eu")) {
                cluster.apply(hpa("payments-api", "payments", 3, 10));
            }
        }
        settle(sim, 2);
    }

    private static boolean isPausedCanary(String cluster, Component comp) {
        return cluster.equals("prod-eu") && comp.name().equals("checkout")
                || cluster.equals("staging") && comp.name().equals("cart");
    }

    private static Workloads.Spec demoSpec(String cluster, Component comp, int round, boolean last) {
        String version = comp.versions().get(round);
        boolean broken = last && cluster.equals("prod-eu") && comp.name().equals("search-api");
        Map<String, String> ann = new HashMap<>();
        if (comp.name().equals("ledger-worker")) {
            ann.put("shipdeck.dev/restart-component-enabled", "false");
        }
        if (comp.name().equals("image-resizer")) {
            ann.put("shipdeck.dev/scale-component-enabled", "false");
        }
        int replicas = cluster.equals("dev") ? Math.max(1, comp.replicas() / 2) : comp.replicas();
        String labels = "team:" + comp.team() + ", role:" + comp.role() + ", tier:" + (cluster.equals("prod-eu") ? "prod" : "nonprod");
        return new Workloads.Spec(comp.name(), comp.team(), version, replicas, labels, comp.rollout(), broken,
                comp.name().equals("notifications"), ann);
    }

    /** Clicks "promote" on paused canaries until they are fully rolled out, as a release manager would. */
    private static void promoteUntilDone(ClusterSim sim, List<SimCluster> clusters, List<Component> comps) {
        for (int i = 0; i < 10; i++) {
            boolean pending = false;
            for (int k = 0; k < clusters.size(); k++) {
                SimCluster cluster = clusters.get(k);
                Component comp = comps.get(k);
                ResourceType ro = cluster.rollouts();
                JsonNode st = cluster.store().get(ro, comp.team(), comp.name()).path("status");
                if ("Healthy".equals(st.path("phase").asText()) && st.path("stableRS").asText().equals(st.path("currentPodHash").asText())) {
                    continue;
                }
                pending = true;
                if (st.path("pauseConditions").size() > 0) {
                    cluster.store().mutate(ro, comp.team(), comp.name(), "status", o -> {
                        ((ObjectNode) o.path("status")).remove("pauseConditions");
                        return true;
                    });
                }
            }
            if (!pending) return;
            settle(sim, 4);
        }
    }

    private static String hpa(String target, String ns, int min, int max) {
        ObjectNode h = Json.object();
        h.put("apiVersion", "autoscaling/v2").put("kind", "HorizontalPodAutoscaler");
        h.putObject("metadata").put("name", target).put("namespace", ns);
        ObjectNode spec = h.putObject("spec");
        spec.putObject("scaleTargetRef").put("apiVersion", "apps/v1").put("kind", "Deployment").put("name", target);
        spec.put("minReplicas", min).put("maxReplicas", max);
        ObjectNode metric = spec.putArray("metrics").addObject();
        metric.put("type", "Resource");
        metric.putObject("resource").put("name", "cpu").putObject("target").put("type", "Utilization").put("averageUtilization", 70);
        return Json.text(h);
    }

    /** Lets simulated time pass in small steps so every rollout can move as far as it can. */
    static void settle(ClusterSim sim, int rounds) {
        for (int i = 0; i < rounds; i++) {
            sim.awaitQuiet(Duration.ofSeconds(5));
            sim.clock().advance(Duration.ofSeconds(4));
        }
        sim.awaitQuiet(Duration.ofSeconds(5));
    }

    // ---------------------------------------------------------------- generated (benchmarks)

    private static void generated(ClusterSim sim, int n) {
        List<SimCluster> clusters = sim.clusters();
        for (SimCluster c : clusters) c.installRolloutsCrd();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                SimCluster cluster = clusters.get(i % clusters.size());
                String ns = "bench-" + (i % 10);
                cluster.ensureNamespace(ns);
                String version = "1." + round + "." + (i % 7);
                Workloads.Spec s = new Workloads.Spec(String.format("svc-%05d", i), ns, version, 1 + i % 2,
                        "team:t" + (i % 10) + ", role:" + (i % 3 == 0 ? "worker" : "web"), false, false, false, Map.of());
                cluster.store().atomically(() -> cluster.apply(Json.text(Workloads.build(s))));
            }
            rolledOut(sim);
            sim.clock().advance(Duration.ofHours(6));
        }
        rolledOut(sim);
    }

    /**
     * Settles until every Deployment is rolled out (observed, all replicas updated and available, no old ones): with
     * thousands of components a fixed number of rounds is not enough, and a benchmark must start from a settled cluster.
     */
    private static void rolledOut(ClusterSim sim) {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (true) {
            settle(sim, 1);
            long pending = 0;
            for (SimCluster c : sim.clusters()) {
                pending += c.store().list(Resources.DEPLOYMENTS, null, d -> !Workloads.rolledOut(d)).items().size();
            }
            if (pending == 0) return;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(pending + " generated Deployments did not roll out within 15 minutes");
            }
        }
    }

    // ---------------------------------------------------------------- YAML file

    private static void file(ClusterSim sim, Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scenario " + path + ": " + e.getMessage()
                    + " (use demo, empty, or a YAML file of manifests)", e);
        }
        List<JsonNode> docs = Manifests.parse(text);
        boolean needsRollouts = docs.stream().anyMatch(d -> "Rollout".equals(d.path("kind").asText()));
        for (SimCluster c : sim.clusters()) {
            if (needsRollouts && c.rollouts() == null) c.installRolloutsCrd();
            for (JsonNode d : docs) {
                String target = Json.str(d, "", "metadata", "annotations", "sim.shipdeck.dev/cluster");
                if (target.isEmpty() || target.equals(c.name())) {
                    c.apply(Json.text(d));
                }
            }
        }
        settle(sim, 10);
    }
}

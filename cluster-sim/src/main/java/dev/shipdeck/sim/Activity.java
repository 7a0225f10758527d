package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Background activity for the demo: every so often CI ships a new patch version of some Deployment. */
final class Activity implements AutoCloseable {
    private static final Duration EVERY = Duration.ofSeconds(45);

    private final ClusterSim sim;
    private final Random random = new Random();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sim-activity");
        t.setDaemon(true);
        return t;
    });
    private Instant next;

    Activity(ClusterSim sim) {
        this.sim = sim;
    }

    void start() {
        next = sim.clock().now().plus(EVERY);
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            if (sim.clock().now().isBefore(next)) return;
            next = sim.clock().now().plus(EVERY);
            shipOne();
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(Activity.class.getName()).fine("activity skipped: " + e);
        }
    }

    private void shipOne() {
        List<SimCluster> clusters = sim.clusters();
        SimCluster cluster = clusters.get(random.nextInt(clusters.size()));
        List<ObjectNode> deployments = new ArrayList<>(cluster.store().list(Resources.DEPLOYMENTS, null,
                o -> !Json.str(o, "", "metadata", "labels", "shipdeck.dev/component-name").isEmpty()).items());
        if (deployments.isEmpty()) return;
        ObjectNode d = deployments.get(random.nextInt(deployments.size()));
        String version = Json.str(d, "", "spec", "template", "metadata", "labels", "shipdeck.dev/version");
        if (version.isEmpty()) return;
        String next = Workloads.bump(version).get(0);
        cluster.store().mutate(Resources.DEPLOYMENTS, Json.namespace(d), Json.name(d), null, o -> {
            ObjectNode tpl = Json.with(o, "spec", "template");
            Json.with(tpl, "metadata", "labels").put("shipdeck.dev/version", next);
            var containers = tpl.path("spec").path("containers");
            if (containers.size() > 0) {
                ObjectNode c0 = (ObjectNode) containers.get(0);
                String image = c0.path("image").asText();
                c0.put("image", image.substring(0, image.lastIndexOf(':') + 1) + next);
            }
            String sha = Workloads.sha(Json.name(o) + "@" + next);
            Json.with(o, "metadata", "annotations").put("shipdeck.dev/commit-sha", sha)
                    .put("kubernetes.io/change-cause", "deploy " + next + " (activity)");
            return true;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package dev.shipdeck.sim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Json;
import dev.shipdeck.sim.Patches;
import dev.shipdeck.sim.ResourceType;
import dev.shipdeck.sim.SimCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link TestCluster} on one simulated cluster named after the context (objects go straight into its store). */
final class SimTestCluster extends TestCluster {
    private final ClusterSim sim;
    private final SimCluster cluster;
    private final String context;
    private final double speed;
    private final Path dir;

    SimTestCluster(String context, double speed, boolean rollouts, Path dir) {
        this.sim = ClusterSim.builder().clusters(context).scenario("empty").speed(speed).start();
        this.cluster = sim.cluster(context);
        this.context = context;
        this.speed = speed;
        this.dir = dir;
        if (rollouts) cluster.installRolloutsCrd();
    }

    @Override
    public boolean real() {
        return false;
    }

    @Override
    public String context() {
        return context;
    }

    @Override
    public Path kubeconfig(String user) {
        return sim.writeKubeconfig(dir.resolve(user + ".kubeconfig"), user);
    }

    @Override
    public String token(String user) {
        return sim.token(user);
    }

    @Override
    public String ns(String base) {
        cluster.ensureNamespace(base);
        return base;
    }

    @Override
    public void apply(String manifests) {
        cluster.apply(manifests);
    }

    private ResourceType type(Kind kind) {
        ResourceType t = cluster.store().resources().byStoreKey(kind.group() + "/" + kind.plural());
        if (t == null) throw new IllegalArgumentException("cluster-sim has no " + kind.plural() + "." + kind.group() + " (install its CRD first)");
        return t;
    }

    @Override
    public ObjectNode get(Kind kind, String ns, String name) {
        return cluster.store().find(type(kind), ns, name);
    }

    @Override
    public List<ObjectNode> list(Kind kind, String ns) {
        return cluster.store().list(type(kind), ns, o -> true).items();
    }

    @Override
    public void mergePatch(Kind kind, String ns, String name, String subresource, String patch) {
        JsonNode p = Json.parseYaml(patch);
        cluster.store().mutate(type(kind), ns, name, subresource, o -> {
            JsonNode patched = Patches.mergePatch(o, p);
            o.removeAll();
            o.setAll((ObjectNode) patched);
            return true;
        });
    }

    @Override
    public void delete(Kind kind, String ns, String name) {
        if (get(kind, ns, name) != null) cluster.store().delete(type(kind), ns, name);
    }

    @Override
    public void advance(Duration d) {
        sim.clock().advance(d);
    }

    @Override
    public boolean awaitQuiet(Duration max) {
        return cluster.awaitQuiet(max);
    }

    @Override
    public Duration patience() {
        return Duration.ofSeconds(30);
    }

    @Override
    public void stopApiServer() {
        cluster.faults().unreachable();
    }

    @Override
    public void startApiServer() {
        cluster.faults().reachable();
    }

    @Override
    public Optional<ClusterSim> sim() {
        return Optional.of(sim);
    }

    @Override
    protected double speed() {
        return speed;
    }

    @Override
    public void close() {
        sim.close();
    }
}

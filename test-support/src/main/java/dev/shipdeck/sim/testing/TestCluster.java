package dev.shipdeck.sim.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.SimCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * For tests: the cluster an integration test runs against — cluster-sim (the default, fast, simulated clock, faults)
 * or, in the real tier ({@code -Dshipdeck.tier=real}, which {@code realcluster/test.sh} sets), the real control plane
 * of {@link RealCluster}. A test sets up and inspects objects through this class and connects Shipdeck through
 * {@link #kubeconfig(String)}, as a user would; the same test then holds on both.
 *
 * <p>Differences a test must allow for: on the real control plane namespaces are shared by every test class of the
 * run, so names come from {@link #ns(String)}; time is the wall clock ({@link #advance(Duration)} waits); there is no
 * fault injection beyond stopping the API server ({@link #sim()} is empty).
 */
public abstract class TestCluster implements AutoCloseable {
    public static final String ADMIN = ClusterSim.ADMIN;
    public static final String VIEWER = ClusterSim.VIEWER;
    /** {@code -Dshipdeck.tier=real}: run against the real control plane. */
    public static final String TIER_PROPERTY = "shipdeck.tier";

    /**
     * Pod template label that the real control plane's kwok Stages read: {@code never} (Running, never Ready) or
     * {@code slow} (Ready after {@link #READY_AFTER}); without it pods are Ready at once. cluster-sim reads its own
     * annotations instead ({@code sim.shipdeck.dev/never-ready}, {@code sim.shipdeck.dev/ready-after-seconds}).
     */
    public static final String READY_LABEL = "test.shipdeck.dev/ready";
    public static final String READY_AFTER = "test.shipdeck.dev/ready-after";
    public static final String SIM_NEVER_READY = "sim.shipdeck.dev/never-ready";
    public static final String SIM_READY_AFTER = "sim.shipdeck.dev/ready-after-seconds";

    /** A kind of object the tests set up and read. */
    public record Kind(String group, String version, String plural, boolean namespaced) {
        public static final Kind NAMESPACES = new Kind("", "v1", "namespaces", false);
        public static final Kind PODS = new Kind("", "v1", "pods", true);
        public static final Kind SERVICE_ACCOUNTS = new Kind("", "v1", "serviceaccounts", true);
        public static final Kind DEPLOYMENTS = new Kind("apps", "v1", "deployments", true);
        public static final Kind REPLICA_SETS = new Kind("apps", "v1", "replicasets", true);
        public static final Kind ROLLOUTS = new Kind("argoproj.io", "v1alpha1", "rollouts", true);
        public static final Kind ANALYSIS_RUNS = new Kind("argoproj.io", "v1alpha1", "analysisruns", true);
        public static final Kind SERVICES = new Kind("", "v1", "services", true);
        public static final Kind RELEASES = new Kind("shipdeck.dev", "v1alpha1", "releases", true);
        public static final Kind RELEASE_COMMANDS = new Kind("shipdeck.dev", "v1alpha1", "releasecommands", true);
        public static final Kind LEASES = new Kind("coordination.k8s.io", "v1", "leases", true);
        public static final Kind CRDS = new Kind("apiextensions.k8s.io", "v1", "customresourcedefinitions", false);

        private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "Node", "ClusterRole", "ClusterRoleBinding",
                "CustomResourceDefinition", "PriorityClass", "StorageClass", "PersistentVolume", "APIService");

        /** The kind of a manifest ({@code apiVersion}, {@code kind}), its plural made as Kubernetes makes it. */
        public static Kind of(String apiVersion, String kind) {
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
            String lower = kind.toLowerCase(Locale.ROOT);
            String plural = lower.endsWith("s") ? lower + "es" : lower.endsWith("y") ? lower.substring(0, lower.length() - 1) + "ies" : lower + "s";
            return new Kind(group, version, plural, !CLUSTER_SCOPED.contains(kind));
        }

        public String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        /** The REST path of the collection in {@code ns} (cluster-wide when null), or of one object when {@code name} is set. */
        public String path(String ns, String name) {
            StringBuilder p = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
            if (namespaced && ns != null) p.append("/namespaces/").append(ns);
            p.append('/').append(plural);
            if (name != null) p.append('/').append(name);
            return p.toString();
        }
    }

    /** How to start one. */
    public static final class Builder {
        private String context = "sim";
        private String tag = "t";
        private double speed = 1;
        private boolean rollouts;

        /** The kubeconfig context name (on cluster-sim: the simulated cluster's name). Default {@code sim}. */
        public Builder context(String c) { this.context = Objects.requireNonNull(c); return this; }

        /** A short word that keeps this test class's namespaces apart on the shared real control plane. */
        public Builder tag(String t) { this.tag = Objects.requireNonNull(t); return this; }

        /** cluster-sim's simulated time runs this many times faster; on the real control plane only {@link #readyAfter(int)} uses it. */
        public Builder speed(double s) { this.speed = s; return this; }

        /** With the Argo Rollouts CRD (cluster-sim installs it; the real control plane always has it). */
        public Builder rollouts() { this.rollouts = true; return this; }

        /** Starts cluster-sim, or connects to the real control plane in the real tier; kubeconfigs are written to {@code dir}. */
        public TestCluster start(Path dir) {
            if (realTier()) {
                RealCluster real = RealCluster.find().orElseThrow(() -> new IllegalStateException(
                        "-D" + TIER_PROPERTY + "=real needs a running real control plane (" + RealCluster.ENV
                                + " is not set): run the real tier with realcluster/test.sh"));
                return new RealTestCluster(real, context, tag, speed, dir);
            }
            return startSim(dir);
        }

        /** cluster-sim, in either tier (e.g. to compare it with the real control plane). */
        public TestCluster startSim(Path dir) {
            return new SimTestCluster(context, speed, rollouts, dir);
        }

        /** The real control plane, in either tier; the calling test is skipped (with a notice) without one. */
        public TestCluster startReal(Path dir) {
            return new RealTestCluster(RealCluster.require(), context, tag, speed, dir);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether this run is the real tier ({@code -Dshipdeck.tier=real}). */
    public static boolean realTier() {
        return "real".equals(System.getProperty(TIER_PROPERTY, "sim"));
    }

    /** True on the real control plane. */
    public abstract boolean real();

    /** The context of {@link #kubeconfig(String)}. */
    public abstract String context();

    /** A kubeconfig file with the context {@link #context()} for {@code user} ({@link #ADMIN} or {@link #VIEWER}). */
    public abstract Path kubeconfig(String user);

    public abstract String token(String user);

    /** A namespace for this test class, created if needed: {@code base} on cluster-sim, {@code base-<tag>-<n>} on the real one. */
    public abstract String ns(String base);

    /** Like {@link #ns(String)}, but only the name: the test creates it (it is still deleted at {@link #close()}). */
    public String newNamespaceName(String base) {
        return real() ? ns(base, false) : base;
    }

    /** The real control plane's namespace name for {@code base}, created when {@code create}. */
    String ns(String base, boolean create) {
        return ns(base);
    }

    /** Creates or replaces every object of a YAML/JSON stream (spec and metadata; then the status, where given). */
    public abstract void apply(String manifests);

    /** The object, or null when there is none. */
    public abstract ObjectNode get(Kind kind, String ns, String name);

    /** The objects of a kind in {@code ns} (every namespace when null). */
    public abstract List<ObjectNode> list(Kind kind, String ns);

    /** A JSON merge patch, on the object or its {@code subresource} (e.g. {@code status}; null for none). */
    public abstract void mergePatch(Kind kind, String ns, String name, String subresource, String patch);

    public abstract void delete(Kind kind, String ns, String name);

    /** Lets {@code d} of cluster time pass: cluster-sim moves its clock; on the real control plane this waits. */
    public abstract void advance(Duration d);

    /** Waits until the controllers have nothing left to do right now (cluster-sim); true at once on the real one. */
    public abstract boolean awaitQuiet(Duration max);

    /** How long a test may wait for the controllers to reach a state. */
    public abstract Duration patience();

    /** Makes the API server unreachable (cluster-sim: a fault; real: the kube-apiserver process stops). */
    public abstract void stopApiServer();

    /** The API server is back (real: started again, /readyz answered). */
    public abstract void startApiServer();

    /** Real control plane only: stops kube-controller-manager (no Deployment or ReplicaSet controller runs until started). */
    public void stopControllerManager() {
        throw new UnsupportedOperationException("cluster-sim's controllers cannot be stopped");
    }

    public void startControllerManager() {
        throw new UnsupportedOperationException("cluster-sim's controllers cannot be stopped");
    }

    /** cluster-sim itself, for what only a simulation can do (faults, the clock, the store); empty on the real one. */
    public Optional<ClusterSim> sim() {
        return Optional.empty();
    }

    /** The simulated cluster named {@link #context()}; empty on the real control plane. */
    public Optional<SimCluster> simCluster() {
        return sim().map(s -> s.cluster(context()));
    }

    /**
     * Pod template annotations and labels that make pods Ready {@code simSeconds} of cluster-sim time after they start
     * (on the real control plane: after {@code simSeconds / speed} wall seconds, the same wall time as on the sim).
     */
    public void readyAfter(ObjectNode template, int simSeconds) {
        ObjectNode meta = template.withObject("/metadata");
        meta.withObject("/annotations").put(SIM_READY_AFTER, Integer.toString(simSeconds));
        long millis = Math.round(simSeconds * 1000 / speed());
        if (millis >= 1000) {
            meta.withObject("/labels").put(READY_LABEL, "slow");
            meta.withObject("/annotations").put(READY_AFTER, millis + "ms");
        }
    }

    /** Pod template annotations and labels that make pods run but never become Ready, on either cluster. */
    public static void neverReady(ObjectNode template) {
        ObjectNode meta = template.withObject("/metadata");
        meta.withObject("/annotations").put(SIM_NEVER_READY, "true");
        meta.withObject("/labels").put(READY_LABEL, "never");
    }

    /** The speed given to the builder. */
    protected abstract double speed();

    public Kubectl kubectl(Path cacheDir) {
        return new Kubectl(kubeconfig(ADMIN), cacheDir);
    }

    @Override
    public abstract void close();
}

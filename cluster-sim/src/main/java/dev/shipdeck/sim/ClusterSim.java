package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of simulated clusters sharing one CA, one clock and one set of users, as tests and the desktop's demo
 * mode embed it: {@code ClusterSim.builder().scenario("demo").start()}, then {@link #writeKubeconfig(Path)}.
 */
public final class ClusterSim implements AutoCloseable {
    /** The built-in users: {@code admin} may do anything, {@code viewer} may only read. */
    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    private final Map<String, SimCluster> clusters = new LinkedHashMap<>();
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Certificates certs;
    private final SimClock clock;
    private Activity activity;

    private ClusterSim(List<String> names, SimClock clock) throws IOException {
        this.clock = clock;
        this.certs = Certificates.generate();
        for (String n : names) {
            clusters.put(n, new SimCluster(n, clock, certs));
        }
        addUser(ADMIN, List.of("system:masters"), List.of(Authz.Rule.all()));
        addUser(VIEWER, List.of("viewers"), List.of(Authz.Rule.readOnly()));
    }

    public static Builder builder() { return new Builder(); }

    /** How to start a simulation. */
    public static final class Builder {
        private List<String> clusters;
        private String scenario = "empty";
        private int components = 0;
        private double speed = 1;
        private boolean activity;
        private boolean releaseRecords;

        public Builder clusters(List<String> names) { this.clusters = List.copyOf(names); return this; }

        public Builder clusters(String... names) { return clusters(List.of(names)); }

        /** {@code empty}, {@code demo}, or a path to a YAML file of manifests. */
        public Builder scenario(String s) { this.scenario = s; return this; }

        /** Generates this many extra components (for benchmarks), spread over the clusters. */
        public Builder components(int n) { this.components = n; return this; }

        /** Simulated time runs this many times faster than the wall clock. */
        public Builder speed(double s) { this.speed = s; return this; }

        /** Ships a new version now and then so a demo stays alive. */
        public Builder activity(boolean on) { this.activity = on; return this; }

        /**
         * The demo as if the Shipdeck agent had been recording it for weeks: the Shipdeck CRDs and Release records with
         * failures, restores and commit times (see {@link DemoHistory}); only with the demo scenario.
         */
        public Builder releaseRecords(boolean on) { this.releaseRecords = on; return this; }

        public ClusterSim start() {
            List<String> names = clusters != null ? clusters
                    : scenario.equals("demo") ? Scenarios.DEMO_CLUSTERS : List.of("sim");
            boolean seeded = scenario.equals("demo") || components > 0;
            Instant start = seeded ? Instant.now().minus(Scenarios.HISTORY).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            try {
                ClusterSim sim = new ClusterSim(names, new SimClock(speed, start));
                sim.clusters.values().forEach(SimCluster::start);
                Scenarios.seed(sim, scenario, components);
                sim.clock.advanceTo(Instant.now());
                if (releaseRecords && scenario.equals("demo")) {
                    DemoHistory.write(sim);
                }
                if (activity) {
                    sim.activity = new Activity(sim);
                    sim.activity.start();
                }
                return sim;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the simulated cluster: " + e.getMessage(), e);
            }
        }
    }

    /** Adds a user with a fresh token on every cluster; returns the token. */
    public String addUser(String name, List<String> groups, List<Authz.Rule> rules) {
        String token = name + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        tokens.put(name, token);
        for (SimCluster c : clusters.values()) {
            c.authz().addUser(token, new Authz.User(name, groups, rules));
        }
        return token;
    }

    public String token(String user) {
        String t = tokens.get(user);
        if (t == null) throw new IllegalArgumentException("no such simulated user: " + user);
        return t;
    }

    public List<String> users() { return List.copyOf(tokens.keySet()); }

    public SimCluster cluster(String name) {
        SimCluster c = clusters.get(name);
        if (c == null) throw new IllegalArgumentException("no such simulated cluster: " + name + " (have " + clusters.keySet() + ")");
        return c;
    }

    public List<SimCluster> clusters() { return List.copyOf(clusters.values()); }

    public SimClock clock() { return clock; }

    /** Waits until every cluster's controllers are quiet. */
    public boolean awaitQuiet(Duration max) {
        List<SimCluster> all = List.copyOf(clusters.values());
        long[] start = new long[all.size()];
        for (int i = 0; i < start.length; i++) start[i] = all.get(i).controllers().cycles();
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            boolean quiet = true;
            for (int i = 0; i < start.length && quiet; i++) {
                ControllerManager m = all.get(i).controllers();
                quiet = m.cycles() >= start[i] + 2 && m.isIdle();
            }
            if (quiet) return true;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * A kubeconfig with one context per cluster (named after the cluster, user {@code defaultUser}) and, for
     * every user, a user entry {@code <cluster>-<user>} so {@code kubectl --user prod-eu-viewer} works.
     */
    public String kubeconfig(String defaultUser) {
        token(defaultUser);
        ObjectNode cfg = Json.object();
        cfg.put("apiVersion", "v1").put("kind", "Config");
        ObjectNode prefs = cfg.putObject("preferences");
        prefs.removeAll();
        ArrayNode cl = cfg.putArray("clusters");
        ArrayNode us = cfg.putArray("users");
        ArrayNode cx = cfg.putArray("contexts");
        for (SimCluster c : clusters.values()) {
            ObjectNode entry = cl.addObject();
            entry.put("name", c.name());
            entry.putObject("cluster").put("server", c.url()).put("certificate-authority-data", certs.caData());
            for (var u : tokens.entrySet()) {
                ObjectNode ue = us.addObject();
                ue.put("name", c.name() + "-" + u.getKey());
                ue.putObject("user").put("token", u.getValue());
            }
            ObjectNode ctx = cx.addObject();
            ctx.put("name", c.name());
            ctx.putObject("context").put("cluster", c.name()).put("user", c.name() + "-" + defaultUser).put("namespace", "default");
        }
        cfg.put("current-context", clusters.keySet().iterator().next());
        try {
            return Json.YAML.writeValueAsString(cfg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String kubeconfig() { return kubeconfig(ADMIN); }

    /** Writes the admin kubeconfig (mode 600 where the file system allows). */
    public Path writeKubeconfig(Path file) {
        return writeKubeconfig(file, ADMIN);
    }

    public Path writeKubeconfig(Path file, String defaultUser) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(file, kubeconfig(defaultUser));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kubeconfig " + file + ": " + e.getMessage(), e);
        }
    }

    public List<String> contexts() { return new ArrayList<>(clusters.keySet()); }

    @Override
    public void close() {
        if (activity != null) activity.close();
        clusters.values().forEach(SimCluster::close);
    }
}

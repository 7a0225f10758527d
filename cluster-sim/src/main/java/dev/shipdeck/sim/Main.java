package dev.shipdeck.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code java -jar cluster-sim.jar --kubeconfig FILE [--scenario demo|empty|PATH] ...}: serves until SIGTERM. */
public final class Main {
    private static final String USAGE = """
            Usage: java -jar cluster-sim.jar --kubeconfig FILE [options]

            Starts simulated Kubernetes clusters on 127.0.0.1 (HTTPS, bearer tokens) and writes a kubeconfig
            with one context per cluster. Prints one READY line when serving; stops cleanly on SIGTERM/Ctrl+C.

            Options:
              --kubeconfig FILE     where to write the kubeconfig (required)
              --scenario S          demo | empty | PATH to a YAML file of manifests (default: empty)
              --clusters N|a,b,c    number of clusters or their names (default: demo → prod-eu,staging,dev; else sim)
              --components N        also generate N components (benchmarks)
              --speed X             simulated time runs X times faster than the wall clock (default 1)
              --activity            ship a new version now and then (keeps a demo alive)
              --release-records     demo: the Shipdeck CRDs and weeks of Release records, as the agent writes them
              --user NAME           user of the contexts: admin (default) or viewer
              -h, --help            show this help

            Faults (every cluster, or the one a --fault names with cluster=NAME; change them later over HTTP
            with POST/DELETE /_sim/faults, see cluster-sim/README.md):
              --fault SPEC          fail matching requests, repeatable: comma-separated path=PART (of the request
                                    path), method=GET, watch=true|false, status=503, count=N (0: until cleared),
                                    retryAfter=SECONDS, latency=DURATION, cluster=NAME
              --latency DURATION    every request waits this long (500ms, 5s, 1m)
              --unreachable MODE    hang (accept, never answer), refuse (nothing listens) or drop (close at once)
              --unreachable-for D   ... only for this long after the start
              --drop-watches-every D  close every open watch this often
              --gone-watches N      the next N watches that resume from a resourceVersion get 410 Gone
              --expire-token USER   the user's token gets 401 (repeatable)

            Examples:
              # the demo clusters, then point kubectl at them
              java -jar cluster-sim/target/cluster-sim.jar --kubeconfig /tmp/sim.kubeconfig --scenario demo
              KUBECONFIG=/tmp/sim.kubeconfig kubectl get deploy,rs,pods,rollouts -A
              # rollouts lists fail with 503 five times, every request takes 2 s
              java -jar cluster-sim/target/cluster-sim.jar --kubeconfig /tmp/sim.kubeconfig --scenario demo \\
                  --fault 'path=/rollouts,status=503,count=5' --latency 2s
            """;

    private Main() {}

    public static void main(String[] args) {
        Logger.getLogger("").setLevel(Level.WARNING);
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("Run 'java -jar cluster-sim.jar --help' for usage.");
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(USAGE);
            return;
        }
        long t0 = System.nanoTime();
        ClusterSim sim;
        try {
            ClusterSim.Builder b = ClusterSim.builder().scenario(o.scenario).components(o.components).speed(o.speed).activity(o.activity)
                    .releaseRecords(o.releaseRecords);
            if (o.clusters != null) b.clusters(o.clusters);
            sim = b.start();
            sim.writeKubeconfig(o.kubeconfig, o.user);
            o.applyFaults(sim);
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "sim-shutdown"));
        List<String> servers = new ArrayList<>();
        sim.clusters().forEach(c -> servers.add(c.name() + "=" + c.url()));
        System.out.printf("READY kubeconfig=%s contexts=%s servers=%s startup-ms=%d%n",
                o.kubeconfig.toAbsolutePath(), String.join(",", sim.contexts()), String.join(",", servers),
                (System.nanoTime() - t0) / 1_000_000);
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Parsed command line. */
    static final class Options {
        Path kubeconfig;
        String scenario = "empty";
        List<String> clusters;
        int components;
        double speed = 1;
        boolean activity;
        boolean releaseRecords;
        boolean help;
        String user = ClusterSim.ADMIN;
        final List<String> faults = new ArrayList<>();
        java.time.Duration latency;
        Faults.Unreachable unreachable;
        java.time.Duration unreachableFor;
        java.time.Duration dropWatchesEvery;
        int goneWatches;
        final List<String> expireTokens = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = null;
                if (a.startsWith("--") && a.contains("=")) {
                    v = a.substring(a.indexOf('=') + 1);
                    a = a.substring(0, a.indexOf('='));
                }
                switch (a) {
                    case "-h", "--help" -> o.help = true;
                    case "--activity" -> o.activity = true;
                    case "--release-records" -> o.releaseRecords = true;
                    case "--kubeconfig" -> o.kubeconfig = Path.of(v != null ? v : value(args, ++i, a));
                    case "--scenario" -> o.scenario = v != null ? v : value(args, ++i, a);
                    case "--clusters" -> o.clusters = clusters(v != null ? v : value(args, ++i, a));
                    case "--components" -> o.components = nonNegative(v != null ? v : value(args, ++i, a), a);
                    case "--speed" -> o.speed = speed(v != null ? v : value(args, ++i, a));
                    case "--user" -> o.user = user(v != null ? v : value(args, ++i, a));
                    case "--fault" -> o.faults.add(v != null ? v : value(args, ++i, a));
                    case "--latency" -> o.latency = duration(v != null ? v : value(args, ++i, a), a);
                    case "--unreachable" -> o.unreachable = mode(v != null ? v : value(args, ++i, a));
                    case "--unreachable-for" -> o.unreachableFor = duration(v != null ? v : value(args, ++i, a), a);
                    case "--drop-watches-every" -> o.dropWatchesEvery = duration(v != null ? v : value(args, ++i, a), a);
                    case "--gone-watches" -> o.goneWatches = nonNegative(v != null ? v : value(args, ++i, a), a);
                    case "--expire-token" -> o.expireTokens.add(user(v != null ? v : value(args, ++i, a)));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!o.help && o.kubeconfig == null) {
                throw new IllegalArgumentException("--kubeconfig FILE is required (where to write the kubeconfig)");
            }
            if (!o.scenario.equals("demo") && !o.scenario.equals("empty") && !java.nio.file.Files.isRegularFile(Path.of(o.scenario))) {
                throw new IllegalArgumentException("--scenario must be demo, empty or a YAML file; no file " + o.scenario);
            }
            if (o.unreachableFor != null && o.unreachable == null) {
                throw new IllegalArgumentException("--unreachable-for needs --unreachable MODE");
            }
            List<String> names = o.clusters != null ? o.clusters : o.scenario.equals("demo") ? Scenarios.DEMO_CLUSTERS : List.of("sim");
            for (String f : o.faults) {
                FaultSpec.parseRule(FaultSpec.withoutCluster(f));
                String cluster = FaultSpec.clusterOf(f);
                if (cluster != null && !names.contains(cluster)) {
                    throw new IllegalArgumentException("--fault '" + f + "' names cluster " + cluster + ", but the clusters are " + String.join(",", names));
                }
            }
            return o;
        }

        /** Injects the faults of the command line into the running clusters. */
        void applyFaults(ClusterSim sim) {
            for (SimCluster c : sim.clusters()) {
                Faults f = c.faults();
                for (String spec : faults) {
                    String cluster = FaultSpec.clusterOf(spec);
                    if (cluster == null || cluster.equals(c.name())) f.add(FaultSpec.parseRule(FaultSpec.withoutCluster(spec)));
                }
                if (latency != null) f.latency(latency);
                if (dropWatchesEvery != null) f.dropWatchesEvery(dropWatchesEvery);
                if (goneWatches > 0) f.expireNextWatches(goneWatches);
                expireTokens.forEach(f::expireUser);
                if (unreachable != null) f.unreachable(unreachable, unreachableFor);
            }
        }

        private static java.time.Duration duration(String v, String flag) {
            try {
                return Durations.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(flag + ": " + e.getMessage());
            }
        }

        private static Faults.Unreachable mode(String v) {
            Faults.Unreachable m = FaultSpec.mode(v);
            if (m == Faults.Unreachable.NONE) throw new IllegalArgumentException("--unreachable must be hang, refuse or drop");
            return m;
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
            return args[i];
        }

        private static List<String> clusters(String v) {
            if (v.matches("\\d+")) {
                int n = Integer.parseInt(v);
                if (n < 1 || n > 50) throw new IllegalArgumentException("--clusters must be between 1 and 50");
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= n; i++) names.add(n == 1 ? "sim" : "cluster-" + i);
                return names;
            }
            List<String> names = List.of(v.split(","));
            for (String n : names) {
                if (!n.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                    throw new IllegalArgumentException("invalid cluster name '" + n + "' (lower-case letters, digits and '-')");
                }
            }
            return names;
        }

        private static int nonNegative(String v, String flag) {
            try {
                int n = Integer.parseInt(v);
                if (n < 0) throw new NumberFormatException();
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " must be a whole number ≥ 0, got '" + v + "'");
            }
        }

        private static double speed(String v) {
            try {
                double d = Double.parseDouble(v);
                if (d <= 0 || d > 10_000) throw new NumberFormatException();
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--speed must be a number between 0 and 10000, got '" + v + "'");
            }
        }

        private static String user(String v) {
            if (!v.equals(ClusterSim.ADMIN) && !v.equals(ClusterSim.VIEWER)) {
                throw new IllegalArgumentException("--user and --expire-token take admin or viewer, got '" + v + "'");
            }
            return v;
        }
    }
}

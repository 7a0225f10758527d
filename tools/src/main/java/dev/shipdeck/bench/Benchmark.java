package dev.shipdeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.core.Environments;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.live.LiveView;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.sim.ClusterSim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * "At 5,000 components shipdeck is no slower than kubectl reading the same data." For each size N this starts
 * cluster-sim with N generated components, then measures, as medians of {@code --runs} runs after one unmeasured
 * warm-up run (which also checks that both tools see all N components):
 * <ol>
 *   <li>in this JVM: kubeconfig → {@link LiveView} started → first complete snapshot ({@code awaitSynced});</li>
 *   <li>{@code java -jar shipdeck.jar components -o json --kubeconfig K} as a whole process, output discarded;</li>
 *   <li>{@code kubectl get deploy,rs,pods,rollouts -A -o json --kubeconfig K} as a whole process, output discarded;</li>
 * </ol>
 * plus the peak resident memory of both processes. Prints progress on stderr and a Markdown table on stdout.
 * <p>
 * Run from the tools jar, which holds cluster-sim (shipdeck.jar does not):
 * {@code java -jar tools/target/shipdeck-tools.jar benchmark --sizes 100,1000,5000 --runs 5}
 */
public final class Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TIME = Path.of("/usr/bin/time");
    private static final String USAGE = """
            Usage: java -jar tools/target/shipdeck-tools.jar benchmark [options]

            Times shipdeck against kubectl on simulated clusters with N components and prints a Markdown table.

            Options:
              --sizes N,N,...   numbers of components (default 100,1000,5000)
              --runs R          measured runs per size, after one warm-up (default 5)
              --jar FILE        the shipdeck.jar to time (default: agent-headless/target/shipdeck.jar)
              --kubectl CMD     the kubectl to time (default kubectl)
              -h, --help        show this help
            """;

    /** One whole-process measurement. */
    record ProcessRun(long millis, long peakKb) {}

    /** The medians for one size. */
    record Row(int components, long snapshotMs, long shipdeckMs, long kubectlMs, long shipdeckPeakKb, long kubectlPeakKb) {
        String markdown() {
            return String.format("| %,d | %,d | %,d | %,d | %.2f | %,d | %,d |", components, snapshotMs, shipdeckMs, kubectlMs,
                    (double) shipdeckMs / kubectlMs, shipdeckPeakKb / 1024, kubectlPeakKb / 1024);
        }
    }

    private final List<Integer> sizes;
    private final int runs;
    private final Path jar;
    private final String kubectl;
    private final Path work;

    private Benchmark(List<Integer> sizes, int runs, Path jar, String kubectl, Path work) {
        this.sizes = sizes;
        this.runs = runs;
        this.jar = jar;
        this.kubectl = kubectl;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.WARNING);
        List<Integer> sizes = List.of(100, 1000, 5000);
        int runs = 5;
        Path jar = null;
        String kubectl = "kubectl";
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--sizes" -> sizes = Arrays.stream(Bench.value(args, ++i).split(",")).map(s -> Bench.positive(s, "--sizes")).toList();
                    case "--runs" -> runs = Bench.positive(Bench.value(args, ++i), "--runs");
                    case "--jar" -> jar = Path.of(Bench.value(args, ++i));
                    case "--kubectl" -> kubectl = Bench.value(args, ++i);
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (jar == null) jar = Bench.defaultShipdeckJar();
            if (!Files.isRegularFile(jar)) throw new IllegalArgumentException("no shipdeck jar at " + jar + " (build it, or pass --jar FILE)");
            Class.forName("dev.shipdeck.sim.ClusterSim");
            requireKubectl(kubectl);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + " (run with --help for usage)");
            System.exit(2);
            return;
        } catch (ClassNotFoundException e) {
            System.err.println("error: cluster-sim is not on the class path (run it from tools/target/shipdeck-tools.jar)");
            System.exit(2);
            return;
        }
        Path work = Files.createTempDirectory("shipdeck-bench");
        Benchmark bench = new Benchmark(sizes, runs, jar, kubectl, work);
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) rows.add(bench.measure(n));
        System.out.println(bench.facts());
        System.out.println();
        System.out.println("| N | snapshot ms | shipdeck ms | kubectl ms | ratio shipdeck/kubectl | shipdeck peak MB | kubectl peak MB |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(r -> System.out.println(r.markdown()));
        System.exit(0);
    }

    private Row measure(int n) throws Exception {
        long t0 = System.nanoTime();
        try (ClusterSim sim = ClusterSim.builder().scenario("empty").clusters("bench").components(n).start()) {
            Path kubeconfig = sim.writeKubeconfig(work.resolve("bench-" + n + ".kubeconfig"));
            progress("N=%d: cluster-sim ready in %d ms", n, ms(t0));
            List<String> shipdeck = List.of(javaBinary(), "-jar", jar.toString(), "components", "-o", "json", "--kubeconfig", kubeconfig.toString());
            List<String> kube = List.of(kubectl, "get", "deploy,rs,pods,rollouts", "-A", "-o", "json", "--kubeconfig", kubeconfig.toString(),
                    "--cache-dir", work.resolve("kube-cache-" + n).toString());

            check("shipdeck", shipdeck, n, JsonNode::size);
            check("kubectl", kube, n, Benchmark::deployments);
            snapshot(kubeconfig, n);

            List<Long> snapshots = new ArrayList<>();
            List<ProcessRun> shipdeckRuns = new ArrayList<>();
            List<ProcessRun> kubectlRuns = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                snapshots.add(snapshot(kubeconfig, n));
                shipdeckRuns.add(run(shipdeck));
                kubectlRuns.add(run(kube));
                progress("N=%d run %d/%d: snapshot %d ms, shipdeck %d ms (%d MB), kubectl %d ms (%d MB)", n, r, runs,
                        snapshots.get(r - 1), shipdeckRuns.get(r - 1).millis(), shipdeckRuns.get(r - 1).peakKb() / 1024,
                        kubectlRuns.get(r - 1).millis(), kubectlRuns.get(r - 1).peakKb() / 1024);
            }
            return new Row(n, median(snapshots), median(shipdeckRuns.stream().map(ProcessRun::millis).toList()),
                    median(kubectlRuns.stream().map(ProcessRun::millis).toList()),
                    median(shipdeckRuns.stream().map(ProcessRun::peakKb).toList()),
                    median(kubectlRuns.stream().map(ProcessRun::peakKb).toList()));
        }
    }

    /**
     * Kubeconfig → LiveView → first snapshot with all {@code n} components, in this JVM. When {@code awaitSynced}
     * completes before the informers' handlers have delivered every object, the clock runs on until a published
     * snapshot is complete, and the shortfall is reported.
     */
    private static long snapshot(Path kubeconfig, int n) throws Exception {
        long t0 = System.nanoTime();
        Kubeconfig kc = Kubeconfig.load(List.of(kubeconfig), true);
        try (KubeClients clients = new KubeClients(kc, KubeClients.Options.CLI);
             LiveView view = new LiveView(clients, Environments.resolve(kc, null), Duration.ofMillis(50))) {
            Snapshot synced = view.start().awaitSynced(Duration.ofMinutes(5)).get();
            long syncedMs = ms(t0);
            long count = synced.components().count();
            if (count != n) {
                CompletableFuture<Snapshot> complete = new CompletableFuture<>();
                try (AutoCloseable subscription = view.subscribe(s -> {
                    if (s.components().count() == n) complete.complete(s);
                })) {
                    complete.get(5, TimeUnit.MINUTES);
                }
                progress("N=%d: awaitSynced returned %d of %d components after %d ms; complete after %d ms", n, count, n,
                        syncedMs, ms(t0));
            }
            return ms(t0);
        }
    }

    /** How a tool's JSON output is counted. */
    private interface Counter {
        int count(JsonNode output);
    }

    private static int deployments(JsonNode kubectlList) {
        int count = 0;
        for (JsonNode item : kubectlList.path("items")) {
            if ("Deployment".equals(item.path("kind").asText())) count++;
        }
        return count;
    }

    /** The warm-up run: its output is kept and must list all {@code n} components. */
    private void check(String tool, List<String> command, int n, Counter counter) throws IOException, InterruptedException {
        Path out = work.resolve(tool + "-" + n + ".json");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
        }
        int count = counter.count(JSON.readTree(out.toFile()));
        if (count != n) throw new IllegalStateException(tool + " listed " + count + " components, expected " + n);
        Files.delete(out);
    }

    /** One measured run: wall time of the whole process and its peak resident set. */
    private ProcessRun run(List<String> command) throws IOException, InterruptedException {
        Path rusage = work.resolve("rusage.txt");
        List<String> cmd = new ArrayList<>();
        boolean timed = Files.isExecutable(TIME);
        if (timed) cmd.addAll(List.of(TIME.toString(), "-f", "%M", "-o", rusage.toString()));
        cmd.addAll(command);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long peakKb = 0;
        if (timed) {
            p.waitFor();
        } else {
            while (!p.waitFor(5, TimeUnit.MILLISECONDS)) peakKb = Math.max(peakKb, vmHwmKb(p.pid()));
        }
        long millis = ms(t0);
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + " failed with exit " + p.exitValue());
        if (timed) peakKb = Long.parseLong(Files.readString(rusage).strip().lines().reduce((a, b) -> b).orElse("0"));
        return new ProcessRun(millis, peakKb);
    }

    /** VmHWM (peak resident set) of a running process, in KiB; 0 once it is gone. */
    private static long vmHwmKb(long pid) {
        return Bench.procStatusKb(pid, "VmHWM:");
    }

    private String facts() throws IOException, InterruptedException, TimeoutException {
        return Bench.facts() + "; " + output(List.of(kubectl, "version", "--client")).lines().findFirst().orElse("kubectl ?")
                + "; medians of " + runs + " runs after one warm-up";
    }

    private static void requireKubectl(String kubectl) throws InterruptedException {
        try {
            output(List.of(kubectl, "version", "--client"));
        } catch (IOException | TimeoutException e) {
            throw new IllegalArgumentException("cannot run '" + kubectl + " version --client' (" + e.getMessage()
                    + "); install kubectl or pass --kubectl CMD");
        }
    }

    private static String output(List<String> command) throws IOException, InterruptedException, TimeoutException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) throw new TimeoutException(String.join(" ", command));
        return out;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void progress(String format, Object... args) {
        Bench.progress(format, args);
    }

    private static String javaBinary() {
        return Bench.javaBinary();
    }
}

package dev.shipdeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Json;
import dev.shipdeck.sim.ResourceType;
import dev.shipdeck.sim.Resources;
import dev.shipdeck.sim.SimCluster;
import dev.shipdeck.sim.Store;
import dev.shipdeck.sim.Workloads;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent under load: cluster-sim with N generated components (two revisions each) in this JVM, {@code shipdeck agent
 * run} against it as a child process, then a steady churn of rollouts (a new version of a random component at a fixed
 * rate). Reports what a person running the agent cares about: records written, the lag from a rollout's end (its
 * Deployment fully rolled out, as the simulated controller writes it) to its record saying SUCCESS (p50/p95/max), the
 * agent's resident memory over time (VmRSS from /proc) and its growth after the first minute, and an audit of every
 * revision in the cluster against the records: lost (no record), duplicated (more than one) and wrong status (not what
 * KUBERNETES.md and the agent's evidence rule give). Progress on stderr, a Markdown report on stdout.
 * <p>
 * {@code java -jar tools/target/shipdeck-tools.jar agent-load --components 5000 --rate 2 --duration 10m}
 */
public final class AgentLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String NS_PREFIX = "bench-";
    private static final String USAGE = """
            Usage: java -jar tools/target/shipdeck-tools.jar agent-load [options]

            Runs the Shipdeck agent against a simulated cluster with N components and a steady churn of rollouts, and
            prints a Markdown report: records written, lag from rollout end to record status, the agent's RSS over
            time, and lost / duplicated / wrong-status records.

            Options:
              --components N    generated components (default 5000)
              --rate R          rollouts per second during the churn (default 2)
              --duration D      how long the churn lasts, e.g. 90s, 10m (default 10m)
              --sample D        how often the agent's RSS is sampled (default 10s)
              --agent-opts O    JVM options of the agent process (default: -Xmx512m, the pod's memory limit)
              --seed S          which components are rolled out, in what order (default 1)
              --jar FILE        the shipdeck.jar to run the agent from (default: agent-headless/target/shipdeck.jar)
              --agent-log FILE  also write the agent's log lines to FILE
              -h, --help        show this help
            """;
    private static final Pattern PORT = Pattern.compile("\"msg\":\"agent started\".*\"port\":(\\d+)");

    /** One rollout the churn started: a new version of a component. */
    static final class Rollout {
        final String key;
        final String version;
        final long appliedNanos;
        volatile long endedNanos;
        volatile long recordedNanos;
        /** the next rollout of the same component started before this one ended */
        volatile boolean superseded;

        Rollout(String key, String version, long appliedNanos) {
            this.key = key;
            this.version = version;
            this.appliedNanos = appliedNanos;
        }
    }

    /** One RSS sample: seconds since the churn started, kB. */
    record Sample(long seconds, long rssKb) {}

    private final int components;
    private final double rate;
    private final Duration duration;
    private final Duration sample;
    private final List<String> agentOpts;
    private final long seed;
    private final Path jar;
    private final Path work;
    private Path agentLog;

    private final Map<String, Rollout> pending = new ConcurrentHashMap<>();
    private final Map<String, List<Rollout>> byComponent = new ConcurrentHashMap<>();
    private final List<Rollout> rollouts = Collections.synchronizedList(new ArrayList<>());
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong agentLogLines = new AtomicLong();
    private final AtomicLong agentRecordLines = new AtomicLong();
    private final AtomicLong agentErrors = new AtomicLong();
    private final List<String> agentProblems = Collections.synchronizedList(new ArrayList<>());

    private AgentLoad(int components, double rate, Duration duration, Duration sample, List<String> agentOpts, long seed, Path jar, Path work) {
        this.components = components;
        this.rate = rate;
        this.duration = duration;
        this.sample = sample;
        this.agentOpts = agentOpts;
        this.seed = seed;
        this.jar = jar;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.WARNING);
        int components = 5000;
        double rate = 2;
        Duration duration = Duration.ofMinutes(10);
        Duration sample = Duration.ofSeconds(10);
        List<String> agentOpts = List.of("-Xmx512m");
        long seed = 1;
        Path jar = null;
        Path agentLog = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--components" -> components = Bench.positive(Bench.value(args, ++i), "--components");
                    case "--rate" -> rate = positiveDouble(Bench.value(args, ++i));
                    case "--duration" -> duration = Bench.duration(Bench.value(args, ++i), "--duration");
                    case "--sample" -> sample = Bench.duration(Bench.value(args, ++i), "--sample");
                    case "--agent-opts" -> {
                        String v = Bench.value(args, ++i).trim();
                        agentOpts = v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
                    }
                    case "--seed" -> seed = Long.parseLong(Bench.value(args, ++i));
                    case "--jar" -> jar = Path.of(Bench.value(args, ++i));
                    case "--agent-log" -> agentLog = Path.of(Bench.value(args, ++i));
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
        } catch (NumberFormatException e) {
            System.err.println("error: --seed must be a whole number (run with --help for usage)");
            System.exit(2);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + " (run with --help for usage)");
            System.exit(2);
            return;
        } catch (ClassNotFoundException e) {
            System.err.println("error: cluster-sim is not on the class path (run it from tools/target/shipdeck-tools.jar)");
            System.exit(2);
            return;
        }
        AgentLoad load = new AgentLoad(components, rate, duration, sample, agentOpts, seed, jar, Files.createTempDirectory("shipdeck-agent-load"));
        load.agentLog = agentLog;
        int code = load.run();
        System.exit(code);
    }

    private static double positiveDouble(String s) {
        try {
            double d = Double.parseDouble(s);
            if (d > 0) return d;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new IllegalArgumentException("--rate must be a positive number, got " + s);
    }

    private int run() throws Exception {
        long t0 = System.nanoTime();
        Bench.progress("seeding cluster-sim with %d components (two revisions each)…", components);
        try (ClusterSim sim = ClusterSim.builder().scenario("empty").clusters("bench").components(components).start()) {
            SimCluster cluster = sim.cluster("bench");
            cluster.apply(String.join("---\n", Crds.yaml()));
            ResourceType releases = cluster.store().resources().lookup("shipdeck.dev", "v1alpha1", "releases");
            Path kubeconfig = sim.writeKubeconfig(work.resolve("bench.kubeconfig"));
            Bench.progress("cluster-sim ready in %d s", secs(t0));
            Store.Subscription watching = cluster.store().watch(null, null, o -> true, cluster.store().currentResourceVersion(),
                    e -> onEvent(e, releases));
            int initialRevisions = cluster.store().list(Resources.REPLICA_SETS, null, o -> true).items().size();

            Process agent = startAgent(kubeconfig);
            long pid = agent.pid();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> readLog(agent, port), "agent-log");
            reader.setDaemon(true);
            reader.start();
            int p = port.orTimeout(120, TimeUnit.SECONDS).join();
            long tStart = System.nanoTime();
            Bench.progress("agent started (pid %d, port %d); waiting for it to record the %d revisions it finds", pid, p, initialRevisions);
            waitFor(Duration.ofMinutes(15), () -> ready(p) && recordsWithStatus(cluster, releases) >= initialRevisions);
            long backfillSeconds = secs(tStart);
            long backfillWrites = metric(p, "shipdeck_record_writes_total");
            long rssAfterBackfill = rssKb(pid);
            Bench.progress("backfill done in %d s: %d records, %d writes, RSS %d MB", backfillSeconds, recordsWithStatus(cluster, releases),
                    backfillWrites, rssAfterBackfill / 1024);

            ScheduledExecutorService churn = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "churn");
                t.setDaemon(true);
                return t;
            });
            Random rnd = new Random(seed);
            long churnStart = System.nanoTime();
            AtomicLong next = new AtomicLong();
            long periodMicros = Math.max(1, Math.round(1_000_000 / rate));
            churn.scheduleAtFixedRate(() -> rollOut(cluster, rnd, next.incrementAndGet()), 0, periodMicros, TimeUnit.MICROSECONDS);
            churn.scheduleAtFixedRate(() -> samples.add(new Sample(secs(churnStart), rssKb(pid))), 0, sample.toMillis(), TimeUnit.MILLISECONDS);
            long end = churnStart + duration.toNanos();
            long lastReport = System.nanoTime();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                if (!agent.isAlive()) throw new IllegalStateException("the agent exited: " + agentProblems);
                if (System.nanoTime() - lastReport > 30_000_000_000L) {
                    lastReport = System.nanoTime();
                    Bench.progress("churn %d s: %d rollouts, %d recorded, RSS %d MB", secs(churnStart), rollouts.size(),
                            rollouts.stream().filter(r -> r.recordedNanos != 0).count(), rssKb(pid) / 1024);
                }
            }
            churn.shutdown();
            churn.awaitTermination(10, TimeUnit.SECONDS);
            samples.add(new Sample(secs(churnStart), rssKb(pid)));
            Bench.progress("churn over: %d rollouts; waiting for the records of the last ones", rollouts.size());
            waitFor(Duration.ofMinutes(5), () -> cluster.awaitQuiet(Duration.ofSeconds(5)) && allSettled(cluster, releases));
            long writes = metric(p, "shipdeck_record_writes_total");
            long conflicts = metric(p, "shipdeck_record_write_conflicts_total");
            long cpuTicks = cpuTicks(pid);
            Audit audit = audit(cluster, releases);
            watching.close();
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
            System.out.println(report(initialRevisions, backfillSeconds, backfillWrites, rssAfterBackfill, writes, conflicts, cpuTicks, audit));
            return audit.lost() + audit.duplicated() + audit.wrong() == 0 ? 0 : 1;
        }
    }

    // ------------------------------------------------------------------ the agent process

    private Process startAgent(Path kubeconfig) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Bench.javaBinary());
        cmd.addAll(agentOpts);
        cmd.addAll(List.of("-cp", jar.toString(), "dev.shipdeck.cli.Shipdeck", "agent", "run", "--kubeconfig", kubeconfig.toString(),
                "--context", "bench", "--port", "0", "--identity", "bench-agent", "--lease-namespace", "default"));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Counts the agent's log lines and keeps its warnings and errors (it logs JSON lines on stderr). */
    private void readLog(Process agent, CompletableFuture<Integer> port) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(agent.getErrorStream(), StandardCharsets.UTF_8));
             java.io.Writer copy = agentLog == null ? java.io.Writer.nullWriter() : Files.newBufferedWriter(agentLog)) {
            for (String line; (line = in.readLine()) != null; ) {
                copy.write(line);
                copy.write('\n');
                agentLogLines.incrementAndGet();
                Matcher m = PORT.matcher(line);
                if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                if (line.contains("\"msg\":\"release record written\"")) agentRecordLines.incrementAndGet();
                if (line.contains("\"level\":\"error\"") || line.contains("\"msg\":\"reconcile failed")) {
                    agentErrors.incrementAndGet();
                    if (agentProblems.size() < 20) agentProblems.add(line);
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("the agent exited before it started: " + agentProblems));
    }

    private static boolean ready(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long metric(int port, String name) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (line.startsWith(name + " ")) return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** VmRSS of a process in kB, from /proc (0 where there is no /proc). */
    static long rssKb(long pid) {
        return Bench.procStatusKb(pid, "VmRSS:");
    }

    /** utime + stime of a process, in clock ticks. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ the churn

    private void rollOut(SimCluster cluster, Random rnd, long n) {
        try {
            int i;
            synchronized (rnd) {
                i = rnd.nextInt(components);
            }
            String name = String.format("svc-%05d", i);
            String ns = NS_PREFIX + (i % 10);
            String version = "2." + n + ".0";
            String key = ns + "/" + name;
            Rollout r = new Rollout(key, version, System.nanoTime());
            Rollout before = pending.put(key + "@" + version, r);
            List<Rollout> history = byComponent.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()));
            synchronized (history) {
                if (!history.isEmpty() && history.get(history.size() - 1).endedNanos == 0) history.get(history.size() - 1).superseded = true;
                history.add(r);
            }
            rollouts.add(r);
            Workloads.Spec s = new Workloads.Spec(name, ns, version, 1 + i % 2, "team:t" + (i % 10) + ", role:" + (i % 3 == 0 ? "worker" : "web"),
                    false, false, false, Map.of());
            cluster.apply(Json.text(Workloads.build(s)));
            if (before != null) throw new IllegalStateException("version " + version + " rolled out twice");
        } catch (RuntimeException e) {
            Bench.progress("a rollout failed to apply: %s", e);
        }
    }

    /** Called by the store with its lock held: only looks at the object and sets times. */
    private void onEvent(Store.Event e, ResourceType releases) {
        if (e.resource().key().equals(Resources.DEPLOYMENTS.key())) {
            JsonNode d = e.object();
            String key = Json.str(d, "", "metadata", "namespace") + "/" + Json.str(d, "", "metadata", "name");
            String version = Json.str(d, "", "spec", "template", "metadata", "labels", "shipdeck.dev/version");
            Rollout r = pending.get(key + "@" + version);
            if (r != null && r.endedNanos == 0 && Workloads.rolledOut(d)) r.endedNanos = System.nanoTime();
        } else if (releases != null && e.resource().key().equals(releases.key())) {
            JsonNode rec = e.object();
            if (!"SUCCESS".equals(Json.str(rec, "", "status", "phase"))) return;
            String key = Json.str(rec, "", "metadata", "namespace") + "/" + Json.str(rec, "", "spec", "workload", "name");
            Rollout r = pending.get(key + "@" + Json.str(rec, "", "spec", "version"));
            if (r != null && r.recordedNanos == 0) r.recordedNanos = System.nanoTime();
        }
    }

    private static int recordsWithStatus(SimCluster cluster, ResourceType releases) {
        return cluster.store().list(releases, null, o -> !Json.str(o, "", "status", "phase").isEmpty()).items().size();
    }

    /** Every revision has a finished record, except the current ones, which are SUCCESS once rolled out. */
    private boolean allSettled(SimCluster cluster, ResourceType releases) {
        for (Rollout r : rollouts) {
            if (r.superseded) continue;
            List<Rollout> h = byComponent.get(r.key);
            if (h.get(h.size() - 1) == r && r.recordedNanos == 0) return false;
        }
        return cluster.store().list(releases, null, o -> {
            String phase = Json.str(o, "", "status", "phase");
            return phase.isEmpty() || phase.equals("RUNNING") || phase.equals("PENDING");
        }).items().isEmpty();
    }

    // ------------------------------------------------------------------ the audit

    /** What the records say against what the cluster did. */
    record Audit(int revisions, int records, int lost, int duplicated, int wrong, List<String> examples, Map<String, Integer> byStatus) {}

    /**
     * Every ReplicaSet revision of every component has exactly one record, with the status KUBERNETES.md and the
     * evidence rule give: the current revision SUCCESS; a churned revision SUCCESS when it rolled out before the next
     * one started, else CANCELLED (superseded); a seeded older revision CANCELLED (it was superseded before the agent
     * ran, and its ReplicaSet keeps no trace of having been available).
     */
    private Audit audit(SimCluster cluster, ResourceType releases) {
        Map<String, List<JsonNode>> recordsByRevision = new HashMap<>();
        List<JsonNode> records = cluster.store().list(releases, null, o -> true).items().stream().map(o -> (JsonNode) o).toList();
        Map<String, Integer> byStatus = new java.util.TreeMap<>();
        for (JsonNode rec : records) {
            String k = Json.str(rec, "", "spec", "workload", "uid") + "#" + Json.num(rec, 0, "spec", "workload", "revision");
            recordsByRevision.computeIfAbsent(k, x -> new ArrayList<>()).add(rec);
            byStatus.merge(Json.str(rec, "none", "status", "phase"), 1, Integer::sum);
        }
        Map<String, Rollout> churned = new HashMap<>();
        rollouts.forEach(r -> churned.put(r.key + "@" + r.version, r));
        int revisions = 0;
        int lost = 0;
        int duplicated = 0;
        int wrong = 0;
        List<String> examples = new ArrayList<>();
        for (JsonNode d : cluster.store().list(Resources.DEPLOYMENTS, null, o -> true).items()) {
            String uid = Json.str(d, "", "metadata", "uid");
            String key = Json.str(d, "", "metadata", "namespace") + "/" + Json.str(d, "", "metadata", "name");
            List<JsonNode> rss = new ArrayList<>(cluster.store().list(Resources.REPLICA_SETS, Json.str(d, "", "metadata", "namespace"),
                    rs -> uid.equals(ownerUid(rs))).items());
            rss.sort(java.util.Comparator.comparingLong(rs -> revision(rs)));
            for (int i = 0; i < rss.size(); i++) {
                JsonNode rs = rss.get(i);
                revisions++;
                long rev = revision(rs);
                List<JsonNode> found = recordsByRevision.getOrDefault(uid + "#" + rev, List.of());
                String version = Json.str(rs, "", "spec", "template", "metadata", "labels", "shipdeck.dev/version");
                if (found.isEmpty()) {
                    lost++;
                    if (examples.size() < 10) examples.add("lost: " + key + " revision " + rev + " (" + version + ")");
                    continue;
                }
                if (found.size() > 1) {
                    duplicated += found.size() - 1;
                    if (examples.size() < 10) examples.add("duplicated: " + key + " revision " + rev + " x" + found.size());
                }
                boolean current = i == rss.size() - 1;
                Rollout r = churned.get(key + "@" + version);
                String expected;
                if (current) {
                    expected = "SUCCESS";
                } else if (r != null) {
                    expected = r.superseded ? "CANCELLED" : "SUCCESS";
                } else {
                    // seeded before the agent ran: the newest of them was current when it started
                    boolean newestSeeded = rss.subList(i + 1, rss.size()).stream()
                            .allMatch(x -> churned.containsKey(key + "@" + Json.str(x, "", "spec", "template", "metadata", "labels", "shipdeck.dev/version")));
                    expected = newestSeeded ? "SUCCESS" : "CANCELLED";
                }
                String actual = Json.str(found.get(0), "", "status", "phase");
                if (!expected.equals(actual)) {
                    wrong++;
                    if (examples.size() < 10) {
                        examples.add("wrong: " + key + " revision " + rev + " (" + version + ") is " + actual + ", expected " + expected
                                + " (" + Json.str(found.get(0), "", "status", "message") + ")");
                    }
                }
            }
        }
        return new Audit(revisions, records.size(), lost, duplicated, wrong, examples, byStatus);
    }

    private static String ownerUid(JsonNode o) {
        for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) return ref.path("uid").asText();
        }
        return "";
    }

    private static long revision(JsonNode rs) {
        try {
            return Long.parseLong(Json.str(rs, "0", "metadata", "annotations", "deployment.kubernetes.io/revision"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ the report

    private String report(int initialRevisions, long backfillSeconds, long backfillWrites, long rssAfterBackfill, long writes,
                          long conflicts, long cpuTicks, Audit audit) {
        List<Long> lags = new ArrayList<>();
        int superseded = 0;
        int unrecorded = 0;
        for (Rollout r : rollouts) {
            if (r.superseded) {
                superseded++;
            } else if (r.endedNanos != 0 && r.recordedNanos != 0) {
                lags.add(Math.max(0, r.recordedNanos - r.endedNanos) / 1_000_000);
            } else {
                unrecorded++;
            }
        }
        Collections.sort(lags);
        List<Sample> s = new ArrayList<>(samples);
        Sample firstMinute = s.stream().filter(x -> x.seconds() >= 60).findFirst().orElse(s.isEmpty() ? new Sample(0, 0) : s.get(s.size() - 1));
        Sample last = s.isEmpty() ? new Sample(0, 0) : s.get(s.size() - 1);
        long peak = s.stream().mapToLong(Sample::rssKb).max().orElse(0);
        double growth = firstMinute.rssKb() == 0 ? 0 : 100.0 * (last.rssKb() - firstMinute.rssKb()) / firstMinute.rssKb();
        StringBuilder sb = new StringBuilder();
        sb.append(Bench.facts()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "Agent under load: %,d components, %,d revisions when it started, churn %.1f rollouts/s for %d s (%,d rollouts), agent JVM %s%n%n",
                components, initialRevisions, rate, duration.toSeconds(), rollouts.size(), agentOpts.isEmpty() ? "(defaults)" : String.join(" ", agentOpts)));
        sb.append("| measure | value |\n|---|---:|\n");
        sb.append(row("backfill: first records of every revision found at start", backfillSeconds + " s, " + String.format("%,d", backfillWrites) + " writes"));
        sb.append(row("records written (creates, status updates, deletes)", String.format("%,d", writes)));
        sb.append(row("write conflicts (retried)", String.format("%,d", conflicts)));
        sb.append(row("records in the cluster", String.format("%,d (%s)", audit.records(), audit.byStatus())));
        sb.append(row("rollouts that finished / superseded while rolling out", (rollouts.size() - superseded) + " / " + superseded));
        sb.append(row("lag rollout end → record SUCCESS, p50", pct(lags, 50) + " ms"));
        sb.append(row("lag rollout end → record SUCCESS, p95", pct(lags, 95) + " ms"));
        sb.append(row("lag rollout end → record SUCCESS, max", (lags.isEmpty() ? 0 : lags.get(lags.size() - 1)) + " ms"));
        sb.append(row("finished rollouts without a SUCCESS record", Integer.toString(unrecorded)));
        sb.append(row("RSS after backfill", rssAfterBackfill / 1024 + " MB"));
        sb.append(row("RSS at 1 min of churn → at the end (peak)", firstMinute.rssKb() / 1024 + " MB → " + last.rssKb() / 1024 + " MB (" + peak / 1024 + " MB)"));
        sb.append(row("RSS growth after the first minute", String.format(Locale.ROOT, "%+.1f %%", growth)));
        sb.append(row("agent CPU (user + system)", cpuTicks < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f s", cpuTicks / 100.0)));
        sb.append(row("agent log lines / errors", agentLogLines.get() + " / " + agentErrors.get()));
        sb.append(row("revisions audited", String.format("%,d", audit.revisions())));
        sb.append(row("lost / duplicated / wrong status", audit.lost() + " / " + audit.duplicated() + " / " + audit.wrong()));
        sb.append("\nRSS over time (s: MB): ");
        sb.append(String.join(", ", s.stream().map(x -> x.seconds() + ": " + x.rssKb() / 1024).toList()));
        if (!audit.examples().isEmpty()) sb.append("\n\nFirst problems:\n- ").append(String.join("\n- ", audit.examples()));
        if (!agentProblems.isEmpty()) sb.append("\n\nAgent errors:\n- ").append(String.join("\n- ", agentProblems));
        return sb.toString();
    }

    private static String row(String what, String value) {
        return "| " + what + " | " + value + " |\n";
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static long secs(long t0) {
        return (System.nanoTime() - t0) / 1_000_000_000L;
    }

    private static void waitFor(Duration max, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("not done within " + max.toSeconds() + " s");
            Thread.sleep(500);
        }
    }

    @SuppressWarnings("unused")
    private static Instant now() {
        return Instant.now();
    }
}

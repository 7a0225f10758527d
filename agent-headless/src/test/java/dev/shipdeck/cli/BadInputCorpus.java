package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.sim.Authz;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.SimCluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus ({@code bad-inputs.yaml}) and what it needs to run: the simulated clusters with its workloads
 * and users, the servers that misbehave on purpose, the fixture files and kubeconfigs. {@link #run} runs one case
 * in this JVM (picocli entry point) or as {@code java -jar shipdeck.jar}; {@link #check} asserts what a person sees.
 */
final class BadInputCorpus implements AutoCloseable {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final String PLANTED_KEY_PEM = "-----BEGIN PRIVATE KEY-----\nPLANTEDPRIVATEKEYMATERIAL0123456789abcdefABCDEF\n"
            + "-----END PRIVATE KEY-----\n";
    private static final List<String> STACK_TRACE_MARKS = List.of("Exception", "\tat ", "at dev.", "at java.", "at io.fabric8", "Caused by");

    /** One case of the corpus, as the YAML says it. */
    record Case(String name, List<String> args, String kubeconfig, Map<String, String> env, List<JsonNode> faults, Duration latency,
                List<List<String>> before, int exit, String line, String message, String hint, boolean jar, Double maxSeconds) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What one run printed and returned, and how long it took. */
    record Run(Case c, List<String> args, int exitCode, String out, String err, long millis) {
        List<String> errLines() {
            return err.isBlank() ? List.of() : err.strip().lines().toList();
        }

        @Override
        public String toString() {
            return "[" + c.name() + "] shipdeck " + String.join(" ", args) + "\n  exit " + exitCode + " after " + millis + " ms"
                    + "\n  stdout: " + out.strip() + "\n  stderr: " + err.strip();
        }
    }

    private final JsonNode root;
    private final Path dir;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> secrets = new HashSet<>();
    private final List<Socket> silentConnections = new CopyOnWriteArrayList<>();
    private ClusterSim sim;
    private ServerSocket silent;
    private ServerSocket plainHttp;

    private BadInputCorpus(JsonNode root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    /** The cases of the corpus (no cluster needed to list them). */
    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (JsonNode c : load().path("cases")) out.add(parse(c));
        return out;
    }

    private static JsonNode load() {
        try (InputStream in = BadInputCorpus.class.getResourceAsStream("/bad-inputs.yaml")) {
            if (in == null) throw new IllegalStateException("bad-inputs.yaml is missing from the test resources");
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Case parse(JsonNode c) {
        Map<String, String> env = new LinkedHashMap<>();
        c.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        List<JsonNode> faults = new ArrayList<>();
        c.path("faults").forEach(faults::add);
        List<List<String>> before = new ArrayList<>();
        c.path("before").forEach(b -> before.add(strings(b)));
        String latency = c.path("latency").asText("");
        return new Case(c.path("name").asText(), strings(c.path("args")), c.path("kubeconfig").asText("sim"), env, faults,
                latency.isEmpty() ? null : new DurationConverter().convert(latency), before, c.path("exit").asInt(-1),
                c.path("line").asText("error"), c.path("message").asText(""), c.path("hint").asText(""), c.path("jar").asBoolean(false),
                c.has("maxSeconds") ? c.path("maxSeconds").asDouble() : null);
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Starts the clusters and servers and writes every fixture under {@code dir}. */
    static BadInputCorpus start(Path dir) throws IOException {
        BadInputCorpus corpus = new BadInputCorpus(load(), dir);
        corpus.startEverything();
        return corpus;
    }

    private void startEverything() throws IOException {
        root.path("secrets").forEach(s -> secrets.add(s.asText()));
        // "sim" keeps Release records (the Shipdeck CRDs); "bare" does not, so its history is derived from ReplicaSets
        sim = ClusterSim.builder().clusters("sim", "bare").scenario("empty").start();
        for (var u : root.path("users").properties()) {
            List<Authz.Rule> rules = new ArrayList<>();
            for (JsonNode r : u.getValue()) {
                rules.add(new Authz.Rule(Set.copyOf(strings(r.path("verbs"))), Set.copyOf(strings(r.path("groups"))),
                        Set.copyOf(strings(r.path("resources"))), Set.of("*")));
            }
            sim.addUser(u.getKey(), List.of(), rules);
        }
        for (SimCluster c : sim.clusters()) {
            c.installRolloutsCrd();
            c.apply(root.path("cluster").asText());
        }
        sim.cluster("sim").apply(String.join("---\n", Crds.yaml()));
        for (String user : sim.users()) secrets.add(sim.token(user));
        assertThat(sim.awaitQuiet(Duration.ofSeconds(30))).as("the simulated clusters settle").isTrue();

        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    silentConnections.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "corpus-silent-server");
        accept.setDaemon(true);
        accept.start();
        // answers every connection at once in plain HTTP, as a web server does on a port a kubeconfig mistook for TLS
        plainHttp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread plain = new Thread(() -> {
            while (!plainHttp.isClosed()) {
                try (Socket s = plainHttp.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    if (plainHttp.isClosed()) return;
                }
            }
        }, "corpus-plain-http-server");
        plain.setDaemon(true);
        plain.start();

        String otherCa;
        try (ClusterSim other = ClusterSim.builder().clusters("other").scenario("empty").start()) {
            otherCa = YAML.readTree(other.kubeconfig()).path("clusters").get(0).path("cluster").path("certificate-authority-data").asText();
        }
        JsonNode simConfig = YAML.readTree(sim.kubeconfig());
        String plantedKeyData = Base64.getEncoder().encodeToString(PLANTED_KEY_PEM.getBytes(StandardCharsets.US_ASCII));
        secrets.add(plantedKeyData);
        values.put("dir", dir.toString());
        values.put("closedPort", Integer.toString(Kubeconfigs.closedPort()));
        values.put("silentPort", Integer.toString(silent.getLocalPort()));
        values.put("plainHttpPort", Integer.toString(plainHttp.getLocalPort()));
        values.put("simServer", sim.cluster("sim").url());
        values.put("simCaData", simConfig.path("clusters").get(0).path("cluster").path("certificate-authority-data").asText());
        values.put("otherCaData", otherCa);
        values.put("plantedKeyData", plantedKeyData);
        values.put("garbageCertData", Base64.getEncoder().encodeToString(
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII)));
        values.put("plantedToken", root.path("secrets").get(0).asText());

        Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(dir.resolve("empty-home"));
        for (var f : root.path("files").properties()) writeFile(f.getKey(), f.getValue());
        for (var k : root.path("kubeconfigs").properties()) writeKubeconfig(k.getKey(), k.getValue());
    }

    private void writeFile(String name, JsonNode spec) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        if (spec.has("bytes")) {
            Files.write(file, Base64.getDecoder().decode(spec.path("bytes").asText()));
        } else {
            Files.writeString(file, resolve(spec.path("text").asText("")));
        }
        if (spec.path("executable").asBoolean(false)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** {@code dir/NAME.yaml}: the sim's kubeconfig as {@code base} (its {@code context} only), edited as the fixture says. */
    private void writeKubeconfig(String name, JsonNode spec) throws IOException {
        ObjectNode cfg = only((ObjectNode) YAML.readTree(sim.kubeconfig(spec.path("base").asText(ClusterSim.ADMIN))),
                spec.path("context").asText("sim"));
        for (JsonNode path : spec.path("remove")) remove(cfg, path.asText());
        for (var e : spec.path("set").properties()) set(cfg, e.getKey(), resolveTree(e.getValue()));
        Files.writeString(dir.resolve(name + ".yaml"), YAML.writeValueAsString(cfg));
    }

    /** The kubeconfig with one context, its cluster and every user entry (a user list like kubectl's own). */
    private static ObjectNode only(ObjectNode cfg, String context) {
        ArrayNode contexts = JsonNodeFactory.instance.arrayNode();
        String cluster = "";
        for (JsonNode c : cfg.path("contexts")) {
            if (c.path("name").asText().equals(context)) {
                contexts.add(c);
                cluster = c.path("context").path("cluster").asText();
            }
        }
        ArrayNode clusters = JsonNodeFactory.instance.arrayNode();
        for (JsonNode c : cfg.path("clusters")) {
            if (c.path("name").asText().equals(cluster)) clusters.add(c);
        }
        ArrayNode users = JsonNodeFactory.instance.arrayNode();
        for (JsonNode u : cfg.path("users")) {
            if (u.path("name").asText().startsWith(cluster + "-")) users.add(u);
        }
        cfg.set("contexts", contexts);
        cfg.set("clusters", clusters);
        cfg.set("users", users);
        cfg.put("current-context", context);
        return cfg;
    }

    private static void remove(JsonNode cfg, String path) {
        String[] parts = path.split("/");
        JsonNode parent = walk(cfg, parts, parts.length - 1);
        String last = parts[parts.length - 1];
        if (parent instanceof ObjectNode o) o.remove(last);
        else if (parent instanceof ArrayNode a) a.remove(Integer.parseInt(last));
    }

    private static void set(JsonNode cfg, String path, JsonNode value) {
        String[] parts = path.split("/");
        JsonNode parent = walk(cfg, parts, parts.length - 1);
        String last = parts[parts.length - 1];
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else if (parent instanceof ArrayNode a) {
            int i = Integer.parseInt(last);
            if (i == a.size()) a.add(value);
            else a.set(i, value);
        }
    }

    private static JsonNode walk(JsonNode node, String[] parts, int n) {
        JsonNode cur = node;
        for (int i = 0; i < n; i++) {
            cur = cur.isArray() ? cur.get(Integer.parseInt(parts[i])) : cur.get(parts[i]);
            if (cur == null) throw new IllegalArgumentException("no " + String.join("/", parts) + " in the fixture's kubeconfig");
        }
        return cur;
    }

    private JsonNode resolveTree(JsonNode n) {
        if (n.isTextual()) return TextNode.valueOf(resolve(n.asText()));
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(e.getKey(), resolveTree(e.getValue()));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> a.add(resolveTree(x)));
            return a;
        }
        return n;
    }

    /** Replaces the known {@code {placeholders}}; other braces (JSON in scripts) stay as they are. */
    String resolve(String s) {
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The environment of a case: the fixture's kubeconfig and an empty HOME, with the case's overrides. */
    Map<String, String> environment(Case c) {
        Map<String, String> env = new HashMap<>();
        env.put("KUBECONFIG", dir.resolve(c.kubeconfig() + ".yaml").toString());
        env.put("HOME", dir.resolve("home").toString());
        c.env().forEach((k, v) -> {
            if (v == null) env.remove(k);
            else env.put(k, resolve(v));
        });
        return env;
    }

    /** Runs a case, in this JVM or as {@code java -jar jar}, with its faults in place for that run only. */
    Run run(Case c, Path jar) {
        Map<String, String> env = environment(c);
        for (List<String> b : c.before()) {
            Cli.Result r = Cli.run(env, b.stream().map(this::resolve).toArray(String[]::new));
            assertThat(r.exitCode()).as("setup of [%s]: %s", c.name(), r).isZero();
        }
        List<String> args = c.args().stream().map(this::resolve).toList();
        for (SimCluster cluster : sim.clusters()) {
            for (JsonNode f : c.faults()) {
                String path = f.path("path").asText();
                cluster.faults().fail(call -> call.path().contains(path), f.path("status").asInt(), f.path("count").asInt(Integer.MAX_VALUE));
            }
            if (c.latency() != null) cluster.faults().latency(c.latency());
        }
        try {
            long t0 = System.nanoTime();
            if (jar == null) {
                Cli.Result r = Cli.run(env, args.toArray(String[]::new));
                return new Run(c, args, r.exitCode(), r.out(), r.err(), (System.nanoTime() - t0) / 1_000_000);
            }
            return process(c, jar, env, args, t0);
        } finally {
            sim.clusters().forEach(cluster -> cluster.faults().clear());
        }
    }

    private Run process(Case c, Path jar, Map<String, String> env, List<String> args, long t0) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("SHIPDECK_CONFIG_DIR", dir.resolve("config").toString());
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile(dir, "stdout", ".txt");
            Path err = Files.createTempFile(dir, "stderr", ".txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("[" + c.name() + "] java -jar shipdeck.jar did not end within 120 s");
            }
            return new Run(c, args, p.exitValue(), Files.readString(out), Files.readString(err), (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * What a person must see: the exit code, exactly one stderr line of the expected kind with the message and (for
     * an error) a hint in parentheses at its end, no stack trace and no planted secret anywhere.
     */
    void check(Run r, long extraMillis) {
        Case c = r.c();
        assertThat(r.exitCode()).as("exit code of %s", r).isEqualTo(c.exit());
        assertThat(r.errLines()).as("one stderr line: %s", r).hasSize(1);
        String line = r.errLines().get(0);
        assertThat(line).as("%s", r).startsWith(c.line() + ": ").contains(resolve(c.message()));
        if (c.line().equals("error")) {
            assertThat(line).as("an error line ends with what to do, in parentheses: %s", r).matches(".*\\S \\(.+\\)$");
            String hint = line.substring(hintStart(line) + 1, line.length() - 1);
            assertThat(hint).as("the hint of %s", r).contains(resolve(c.hint()));
        }
        for (String mark : STACK_TRACE_MARKS) {
            assertThat(r.out() + r.err()).as("no stack trace: %s", r).doesNotContain(mark);
        }
        for (String secret : secrets) {
            assertThat(r.out() + r.err()).as("a planted secret in %s", r).doesNotContain(secret);
        }
        assertThat(r.out() + r.err()).as("no private key material: %s", r).doesNotContain("PLANTEDPRIVATEKEY").doesNotContain("BEGIN PRIVATE KEY");
        if (c.maxSeconds() != null) {
            assertThat(r.millis()).as("took no longer than %s s (+%d ms to start a JVM): %s", c.maxSeconds(), extraMillis, r)
                    .isLessThan((long) (c.maxSeconds() * 1000) + extraMillis);
        }
    }

    /** The index of the '(' that opens the final, balanced parenthesis of a line. */
    private static int hintStart(String line) {
        int depth = 0;
        for (int i = line.length() - 1; i >= 0; i--) {
            char ch = line.charAt(i);
            if (ch == ')') depth++;
            if (ch == '(' && --depth == 0) return i;
        }
        throw new AssertionError("no hint in parentheses: " + line);
    }

    /** Every secret that must never be printed: planted ones, the clusters' tokens, the planted key. */
    Set<String> secrets() {
        return Set.copyOf(secrets);
    }

    @Override
    public void close() throws IOException {
        if (sim != null) sim.close();
        if (plainHttp != null) plainHttp.close();
        if (silent != null) silent.close();
        for (Socket s : silentConnections) s.close();
    }
}

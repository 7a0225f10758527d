package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code shipdeck agent run} in a child JVM, as it runs in a pod: its JSON log lines, its port, and SIGKILL. */
final class AgentProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String identity;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);

    private AgentProcess(String identity, Process process) {
        this.identity = identity;
        this.process = process;
        Thread reader = new Thread(this::read, "agent-log-" + identity);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts an agent with a short lease (4 s) against the {@code sim} context of {@code kubeconfig}; {@code extra}
     * options are added, and replace the defaults of the same name.
     */
    static AgentProcess start(Path kubeconfig, String identity, String... extra) {
        // C1 only and the serial collector: a short-lived agent starts with far less CPU on a busy build machine
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.shipdeck.cli.Shipdeck", "agent", "run",
                "--kubeconfig", kubeconfig.toString(), "--context", "sim", "--port", "0", "--identity", identity));
        List<String> more = List.of(extra);
        String[][] defaults = {{"--lease-duration", "4s"}, {"--renew-deadline", "3s"}, {"--retry-period", "1s"}, {"--resync", "1s"}};
        for (String[] d : defaults) {
            if (!more.contains(d[0])) cmd.addAll(List.of(d));
        }
        cmd.addAll(more);
        try {
            return new AgentProcess(identity, new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code shipdeck ARGS...} exactly (e.g. the arguments an installed Deployment gives the agent). */
    static AgentProcess startWithArgs(String identity, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.shipdeck.cli.Shipdeck"));
        cmd.addAll(args);
        try {
            return new AgentProcess(identity, new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read() {
        Pattern portField = Pattern.compile("\"msg\":\"agent started\".*\"port\":(\\d+)");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
                Matcher m = portField.matcher(line);
                if (m.find()) port.complete(Integer.parseInt(m.group(1)));
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        } finally {
            drained.countDown();
        }
        port.completeExceptionally(new IllegalStateException("agent " + identity + " exited: " + lines));
    }

    int port() {
        return port.orTimeout(120, TimeUnit.SECONDS).join();
    }

    /** GET on the agent's HTTP port: status code and body. */
    HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A sample of /metrics, e.g. {@code shipdeck_leader} or {@code shipdeck_releases{status="running"}}. */
    long metric(String sample) {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ")) return Long.parseLong(line.substring(sample.length() + 1).trim());
        }
        throw new AssertionError("no sample " + sample + " in /metrics of " + identity);
    }

    boolean leading() {
        return alive() && metric("shipdeck_leader") == 1;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Every log line, each parsed as JSON (fails on a line that is not). */
    List<JsonNode> log() {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines) {
            try {
                out.add(JSON.readTree(l));
            } catch (IOException e) {
                throw new AssertionError("not a JSON log line: " + l, e);
            }
        }
        return out;
    }

    /** SIGTERM, as Kubernetes stops a pod: the agent gives its lease up and exits; waits for it and its last log lines. */
    void stop() {
        // through the handle: Process.destroy() would also close the pipes, losing the lines the agent logs as it stops
        process.toHandle().destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("agent " + identity + " did not stop on SIGTERM");
            drained.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: no shutdown hook runs, the lease is not released. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
    }

    @Override
    public String toString() {
        return identity + ": " + String.join("\n", lines);
    }
}

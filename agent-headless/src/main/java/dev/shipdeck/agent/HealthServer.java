package dev.shipdeck.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code /healthz} (the agent's loop is alive), {@code /readyz} (it has read the cluster) and {@code /metrics}. */
final class HealthServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shipdeck-agent-http");
        t.setDaemon(true);
        return t;
    });

    /** @param notReady why the agent is not ready, or null when it is */
    HealthServer(int port, BooleanSupplier healthy, Supplier<String> notReady, Supplier<String> metrics) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/healthz", ex -> probe(ex, healthy.getAsBoolean() ? null : "the agent's loop is stuck"));
        server.createContext("/readyz", ex -> probe(ex, notReady.get()));
        server.createContext("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.start();
    }

    int port() { return server.getAddress().getPort(); }

    /** 200 "ok", or 503 with why not. */
    private static void probe(HttpExchange ex, String problem) throws IOException {
        send(ex, problem == null ? 200 : 503, "text/plain; charset=utf-8", problem == null ? "ok\n" : "not ready: " + problem + "\n");
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.core.ShipdeckException;
import io.fabric8.kubernetes.client.OAuthTokenProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a kubeconfig {@code exec} credential plugin ({@code aws eks get-token}, {@code gke-gcloud-auth-plugin},
 * {@code kubelogin}) the way kubectl does: stdout carries the ExecCredential JSON, stderr is kept apart and shown only
 * when the plugin fails, and the token is cached until shortly before its {@code expirationTimestamp}.
 * Never call it on a UI thread: a plugin may take seconds.
 */
public final class ExecCredentials implements OAuthTokenProvider {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EARLY_REFRESH = Duration.ofSeconds(30);

    private final String context;
    private final JsonNode exec;
    private final Clock clock;
    private final Duration timeout;
    private String token;
    private Instant refreshAt;
    private String lastStderr = "";
    private final Set<String> issued = new LinkedHashSet<>();

    public ExecCredentials(String context, JsonNode exec, Clock clock, Duration timeout) {
        this.context = context;
        this.exec = exec;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** The cached token, or a fresh one from the plugin when none is cached or it is about to expire. */
    @Override
    public synchronized String getToken() {
        if (token != null && (refreshAt == null || clock.instant().isBefore(refreshAt))) {
            return token;
        }
        run();
        return token;
    }

    /** Forgets the cached token (after a 401), so the next request runs the plugin again. */
    public synchronized void invalidate() {
        token = null;
        refreshAt = null;
    }

    /** The tokens this plugin has returned, so that messages can be scrubbed of them. */
    public synchronized Set<String> secrets() { return Set.copyOf(issued); }

    /** What the plugin last wrote to stderr (redacted), for diagnostics. */
    public synchronized String lastStderr() { return lastStderr; }

    private String command() { return exec.path("command").asText(""); }

    private void run() {
        String cmd = command();
        if (cmd.isEmpty()) {
            throw new ShipdeckException("context \"" + context + "\": the exec credential plugin has no command", "fix the user's exec section in the kubeconfig");
        }
        List<String> argv = new ArrayList<>();
        argv.add(cmd);
        exec.path("args").forEach(a -> argv.add(a.asText()));
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> env = pb.environment();
        exec.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        String apiVersion = exec.path("apiVersion").asText("client.authentication.k8s.io/v1");
        env.put("KUBERNETES_EXEC_INFO", "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}");
        pb.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            String hint = exec.path("installHint").asText("");
            throw new ShipdeckException("context \"" + context + "\": cannot run exec credential plugin \"" + cmd + "\" (" + reason(e) + ")",
                    hint.isBlank() ? "install it or put it on the PATH, then try again" : hint.trim());
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ShipdeckException("context \"" + context + "\": interrupted while waiting for \"" + cmd + "\"", "");
        }
        if (!done) {
            p.destroyForcibly();
            throw new ShipdeckException("context \"" + context + "\": exec credential plugin \"" + cmd + "\" did not answer within "
                    + timeout.toSeconds() + " s", "run it yourself to see whether it waits for input or a login");
        }
        String stdout = new String(out.join(), StandardCharsets.UTF_8);
        lastStderr = Redact.text(new String(err.join(), StandardCharsets.UTF_8), issued).strip();
        if (p.exitValue() != 0) {
            throw new ShipdeckException("context \"" + context + "\": exec credential plugin \"" + cmd + "\" failed with exit code "
                    + p.exitValue() + (lastStderr.isEmpty() ? "" : ": " + tail(lastStderr)),
                    "run the plugin yourself (or kubectl) to log in again");
        }
        parse(cmd, stdout);
    }

    private void parse(String cmd, String stdout) {
        JsonNode cred;
        try {
            cred = JSON.readTree(stdout);
        } catch (IOException e) {
            cred = null;
        }
        if (cred == null || !cred.isObject() || !"ExecCredential".equals(cred.path("kind").asText())) {
            throw new ShipdeckException("context \"" + context + "\": exec credential plugin \"" + cmd + "\" did not print an ExecCredential",
                    "the plugin must print ExecCredential JSON on stdout; check its version");
        }
        String want = exec.path("apiVersion").asText("client.authentication.k8s.io/v1");
        String got = cred.path("apiVersion").asText("");
        if (!got.equals(want)) {
            // as client-go: the plugin must answer in the version the kubeconfig asked for
            throw new ShipdeckException("context \"" + context + "\": exec credential plugin \"" + cmd + "\" returned "
                    + (got.isEmpty() ? "no apiVersion" : "apiVersion \"" + got + "\"") + ", but the kubeconfig asks for \"" + want + "\"",
                    "set the user's exec.apiVersion to the version the plugin prints, or update the plugin");
        }
        JsonNode status = cred.path("status");
        String t = status.path("token").asText("");
        if (t.isEmpty()) {
            String why = status.has("clientCertificateData") ? " (it returned a client certificate, which Shipdeck does not support yet)" : "";
            throw new ShipdeckException("context \"" + context + "\": exec credential plugin \"" + cmd + "\" returned no token" + why,
                    "use a plugin mode that returns a bearer token");
        }
        String exp = status.path("expirationTimestamp").asText("");
        token = t;
        issued.add(t);
        refreshAt = exp.isEmpty() ? null : refreshAt(Instant.parse(exp));
    }

    /**
     * A little before {@code expires} ({@link #EARLY_REFRESH}, but at most a quarter of the token's lifetime, so a
     * short-lived token is still used until shortly before it expires instead of running the plugin for every request).
     */
    private Instant refreshAt(Instant expires) {
        Duration lifetime = Duration.between(clock.instant(), expires);
        if (lifetime.isNegative()) return expires;
        Duration early = lifetime.dividedBy(4);
        return expires.minus(early.compareTo(EARLY_REFRESH) < 0 ? early : EARLY_REFRESH);
    }

    private static String tail(String s) {
        String[] lines = s.split("\\R");
        List<String> last = new ArrayList<>();
        for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) {
            if (!lines[i].isBlank()) last.add(lines[i].strip());
        }
        String joined = String.join(" | ", last);
        return joined.length() > 400 ? joined.substring(joined.length() - 400) : joined;
    }

    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("error=2") ? "not found" : m.contains("error=13") ? "permission denied" : m;
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** Reads a pipe on its own thread, so a plugin writing much to stderr never blocks on a full pipe. */
    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
                in.transferTo(buf);
                f.complete(buf.toByteArray());
            } catch (IOException e) {
                f.complete(new byte[0]);
            }
        }, "exec-plugin-pipe");
        t.setDaemon(true);
        t.start();
        return f;
    }
}

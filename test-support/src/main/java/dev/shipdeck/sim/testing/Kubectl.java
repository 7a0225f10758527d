package dev.shipdeck.sim.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * For tests: runs the real {@code kubectl} binary against one kubeconfig (and a private discovery cache), as a user
 * would: stdout, stderr and the exit code come back separately, every run has a timeout, and {@code kubectl get -w}
 * can run in the background while a test reads its lines. JUnit is a {@code provided} dependency of cluster-sim: only
 * tests, which have it, may use this class.
 */
public final class Kubectl {
    public static final String SKIP_NOTICE = "kubectl not on PATH: skipping kubectl conformance tests";
    /** Set to {@code 1} (as {@code .ci/run} does) and a missing kubectl fails the tests that need it instead of skipping them. */
    public static final String REQUIRE_VARIABLE = "SHIPDECK_REQUIRE_KUBECTL";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static Boolean available;

    private final Path kubeconfig;
    private final Path cacheDir;

    public Kubectl(Path kubeconfig, Path cacheDir) {
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    /** What one kubectl run printed and returned; {@code timedOut} when it was killed at its timeout. */
    public record Result(List<String> command, int exitCode, String out, String err, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        public List<String> outLines() {
            return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\n  exit " + (timedOut ? "(timed out)" : exitCode)
                    + "\n  stdout: " + out.strip() + "\n  stderr: " + err.strip();
        }
    }

    /** Whether a kubectl binary answers {@code kubectl version --client}. */
    public static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
                p.getOutputStream().close();
                p.getInputStream().transferTo(OutputStream.nullOutputStream());
                available = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        return available;
    }

    /**
     * Skips the calling test (class) with a clear notice when there is no kubectl — or fails it, when the environment
     * variable {@value #REQUIRE_VARIABLE} is {@code 1} or {@code true} (CI sets it: there the oracle must not be off).
     */
    public static void assumeAvailable() {
        assumeAvailable(available(), System.getenv());
    }

    /** {@link #assumeAvailable()} with the answer and the environment given (for tests of the rule). */
    public static void assumeAvailable(boolean available, Map<String, String> env) {
        if (available) return;
        String required = env.getOrDefault(REQUIRE_VARIABLE, "");
        if (required.equals("1") || required.equalsIgnoreCase("true")) {
            throw new AssertionError("kubectl is not on the PATH, but " + REQUIRE_VARIABLE + "=" + required
                    + " requires the kubectl conformance and oracle tests: install kubectl (CI: .ci/install-deps), or unset "
                    + REQUIRE_VARIABLE + " to skip them");
        }
        System.out.println(SKIP_NOTICE);
        Assumptions.abort(SKIP_NOTICE);
    }

    public Result run(String... args) {
        return run(DEFAULT_TIMEOUT, args);
    }

    public Result run(Duration timeout, String... args) {
        return runWithInput(timeout, "", args);
    }

    /** Runs kubectl with {@code input} on its stdin (e.g. {@code apply -f -}). */
    public Result runWithInput(Duration timeout, String input, String... args) {
        return exec(command(args), input, timeout);
    }

    /** Runs a command (without the caller's KUBECONFIG) with {@code input} on its stdin; killed at {@code timeout}. */
    static Result exec(List<String> cmd, String input, Duration timeout) {
        Process p = start(cmd, input);
        FutureTask<String> out = drain(p.getInputStream());
        FutureTask<String> err = drain(p.getErrorStream());
        try {
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            return new Result(cmd, done ? p.exitValue() : -1, out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS), !done);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the output of " + cmd, e);
        }
    }

    /**
     * Runs a kubectl plugin ({@code kubectl argo rollouts …}): kubectl refuses flags before a plugin's name, so the
     * kubeconfig and cache flags go after the plugin's own arguments (plugins built on kubectl's flags read them there).
     */
    public Result plugin(String... args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--kubeconfig", kubeconfig.toString(), "--cache-dir", cacheDir.toString()));
        return exec(cmd, "", DEFAULT_TIMEOUT);
    }

    /** Whether {@code kubectl argo rollouts version} answers (the kubectl-argo-rollouts plugin is on the PATH). */
    public static boolean argoPluginAvailable() {
        try {
            Process p = new ProcessBuilder("kubectl", "argo", "rollouts", "version", "--short").redirectErrorStream(true).start();
            p.getOutputStream().close();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static final String ARGO_SKIP_NOTICE = "kubectl-argo-rollouts not on PATH: skipping the Argo plugin oracle (realcluster/test.sh runs it)";

    /** Skips the calling test (class) with a clear notice when there is no Argo Rollouts plugin. */
    public static void assumeArgoPlugin() {
        assumeAvailable();
        boolean there = argoPluginAvailable();
        if (!there) System.out.println(ARGO_SKIP_NOTICE);
        Assumptions.assumeTrue(there, ARGO_SKIP_NOTICE);
    }

    /** Runs kubectl, fails the test unless it succeeded, and returns its stdout. */
    public String out(String... args) {
        Result r = run(args);
        if (!r.ok()) {
            throw new AssertionError("kubectl should succeed: " + r);
        }
        return r.out();
    }

    /** Starts a long-running kubectl (e.g. {@code get deploy -w}) whose stdout lines are collected as they come. */
    public Watch watch(String... args) {
        return new Watch(command(args));
    }

    /** A kubectl running in the background; {@link #close()} stops it. */
    public static final class Watch implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final FutureTask<String> err;

        private Watch(List<String> command) {
            this.command = command;
            this.process = start(command, "");
            this.err = drain(process.getErrorStream());
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("<read failed: " + e + ">");
                }
            }, "kubectl-watch");
            reader.setDaemon(true);
            reader.start();
        }

        /** The stdout lines printed so far. */
        public List<String> lines() {
            return List.copyOf(lines);
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public String toString() {
            String stderr = err.isDone() ? stderrNow() : "(still running)";
            return String.join(" ", command) + "\n  lines: " + String.join("\n         ", lines) + "\n  stderr: " + stderr;
        }

        private String stderrNow() {
            try {
                return err.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "(interrupted)";
            } catch (ExecutionException e) {
                return "(unreadable: " + e.getCause() + ")";
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir", cacheDir.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts kubectl without the caller's KUBECONFIG, writes {@code input} to its stdin and closes it. */
    private static Process start(List<String> cmd, String input) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("KUBECONFIG");
        try {
            Process p = pb.start();
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    private static FutureTask<String> drain(InputStream in) {
        FutureTask<String> task = new FutureTask<>(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
        Thread t = new Thread(task, "kubectl-output");
        t.setDaemon(true);
        t.start();
        return task;
    }
}

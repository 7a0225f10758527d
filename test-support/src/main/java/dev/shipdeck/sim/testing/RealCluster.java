package dev.shipdeck.sim.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * For tests: the real control plane that {@code realcluster/run.sh} (or {@code up.sh}) started — real etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler, kwok and the Argo Rollouts controller on 127.0.0.1 —
 * found through the state directory in {@code SHIPDECK_REALCLUSTER}. Users: {@code admin} (system:masters) and
 * {@code viewer} (the ClusterRole {@code view}, which includes reading Rollouts and Shipdeck's records).
 */
public final class RealCluster {
    public static final String ENV = "SHIPDECK_REALCLUSTER";
    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";
    public static final String SKIP_NOTICE = "no real control plane (" + ENV + " is not set): skipping; realcluster/test.sh runs the real tier";

    private static RealCluster found;

    private final Path state;

    private RealCluster(Path state) {
        this.state = state;
    }

    /** The running real control plane, if the tests were started under realcluster/run.sh. */
    public static synchronized Optional<RealCluster> find() {
        if (found == null) {
            String dir = System.getenv(ENV);
            if (dir == null || dir.isBlank()) dir = System.getProperty("shipdeck.realcluster", "");
            if (dir.isBlank()) return Optional.empty();
            Path state = Path.of(dir);
            if (!Files.isRegularFile(state.resolve("kubeconfig"))) {
                throw new IllegalStateException(ENV + "=" + dir + " is not the state directory of a running real control plane");
            }
            found = new RealCluster(state);
        }
        return Optional.of(found);
    }

    /** The real control plane, or the calling test (class) is skipped with a notice. */
    public static RealCluster require() {
        Optional<RealCluster> r = find();
        if (r.isEmpty()) System.out.println(SKIP_NOTICE);
        Assumptions.assumeTrue(r.isPresent(), SKIP_NOTICE);
        return r.get();
    }

    public Path state() {
        return state;
    }

    public String server() {
        return read("server").strip();
    }

    public String caPem() {
        return read("pki/ca.crt");
    }

    public String token(String user) {
        return read("tokens/" + user).strip();
    }

    /** Where realcluster/build.sh put kubectl, kubectl-argo-rollouts, helm and the control plane's binaries. */
    public Path bin() {
        return state.resolve("bin");
    }

    public Path binary(String name) {
        return bin().resolve(name);
    }

    public KubeRest rest(String user) {
        return new KubeRest(server(), caPem(), token(user));
    }

    /** The API server's audit log: one JSON event per request of a ServiceAccount (what installed agents did). */
    public Path auditLog() {
        return state.resolve("logs/audit.log");
    }

    /** A kubeconfig with one context {@code context} (namespace {@code namespace}) that authenticates with {@code token}. */
    public String kubeconfigWithToken(String context, String token, String namespace) {
        String ca = Base64.getEncoder().encodeToString(caPem().getBytes(StandardCharsets.US_ASCII));
        return "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: " + context + "\n  cluster:\n    server: \"" + server() + "\"\n    certificate-authority-data: \"" + ca + "\"\n"
                + "users:\n- name: " + context + "-user\n  user:\n    token: \"" + token + "\"\n"
                + "contexts:\n- name: " + context + "\n  context:\n    cluster: " + context + "\n    user: " + context + "-user\n    namespace: " + namespace + "\n"
                + "current-context: " + context + "\n";
    }

    public Path writeKubeconfig(Path file, String context, String user) {
        return write(file, kubeconfigWithToken(context, token(user), "default"));
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops one process of the control plane ({@code kube-apiserver}, {@code kube-controller-manager}) with SIGTERM. */
    public void stop(String component) {
        ctl("stop", component);
    }

    /** Starts it again with the same flags and port (the kube-apiserver: and waits for its /readyz). */
    public void start(String component) {
        ctl("start", component);
    }

    private void ctl(String... args) {
        Path script = Path.of(read("home").strip(), "ctl.sh");
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(ENV, state.toString());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(Duration.ofMinutes(3).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " timed out: " + out);
            }
            if (p.exitValue() != 0) throw new IllegalStateException(cmd + " failed (" + p.exitValue() + "): " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String read(String relative) {
        try {
            return Files.readString(state.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + state.resolve(relative) + " (is the real control plane still running?)", e);
        }
    }
}

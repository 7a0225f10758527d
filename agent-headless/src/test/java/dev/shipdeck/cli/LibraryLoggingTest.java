package dev.shipdeck.cli;

import dev.shipdeck.core.records.Crds;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The terminal of a person running {@code shipdeck} shows shipdeck's own lines only: the fabric8 warning about the
 * unstable {@code v1alpha1} API of the Release records (and any other library logging) only with {@code -v}.
 * Runs the CLI as a process, as a person does: logging is set up once per JVM.
 */
class LibraryLoggingTest {
    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Path kubeconfig;

    /** What one {@code java ... dev.shipdeck.cli.Shipdeck ARGS} printed and returned. */
    record Run(List<String> args, int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "shipdeck " + String.join(" ", args) + "\n  exit " + exitCode + "\n  stdout: " + out.strip() + "\n  stderr: " + err.strip();
        }
    }

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").start();
        sim.cluster("sim").apply(String.join("---\n", Crds.yaml()));
        sim.cluster("sim").apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: checkout, namespace: shop, labels: {shipdeck.dev/component-name: checkout}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: checkout}}
                  template:
                    metadata: {labels: {app: checkout, shipdeck.dev/version: "1.4.1"}}
                    spec: {containers: [{name: app, image: "example/checkout:1.4.1"}]}
                """);
        kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    static Run shipdeck(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Shipdeck.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("HOME", dir.toString());
        pb.environment().remove("SHIPDECK_CONFIG_DIR");
        pb.environment().remove("XDG_CONFIG_HOME");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("shipdeck " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Run(List.of(args), p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void releaseRecordCommandsPrintNothingButTheirOwnOutput() {
        Run plan = shipdeck("release", "plan", "--environment-name", "sim", "--component-name", "checkout", "--target-version", "1.5.0",
                "--namespace", "shop");
        assertThat(plan.exitCode()).as("%s", plan).isZero();
        assertThat(plan.err()).as("%s", plan).isEmpty();

        for (String[] args : List.of(new String[] {"timeline"}, new String[] {"timeline", "--component", "checkout", "-o", "json"},
                new String[] {"components"}, new String[] {"release", "update", "--component-name", "checkout", "-n", "shop",
                        "--status", "running"})) {
            Run r = shipdeck(args);
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.err()).as("%s", r).isEmpty();
        }
    }

    @Test
    void verboseShowsWhatTheLibrariesLog() {
        Run before = shipdeck("-v", "timeline");
        Run after = shipdeck("timeline", "--verbose");

        for (Run r : List.of(before, after)) {
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.err()).as("%s", r).contains("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils")
                    .contains("unstable version 'v1alpha1'");
        }
        assertThat(after.out()).as("stdout is the same table").isEqualTo(shipdeck("timeline").out());
    }
}

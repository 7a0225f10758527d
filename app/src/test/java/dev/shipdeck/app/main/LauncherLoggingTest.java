package dev.shipdeck.app.main;

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
 * The terminal that started the desktop app stays clean: JavaFX's, fabric8's and okhttp's logging (the "unsupported
 * JavaFX configuration" warning, the v1alpha1 warning about Rollouts, a stack trace from a connection closed at
 * exit) appear only with {@code -v}. Starts the app's launcher as a process on the demo cluster with
 * {@code --measure} (it exits once every environment shows its data), headless on Monocle like the UI tests.
 */
class LauncherLoggingTest {
    /** The headless toolkit settings the UI tests run with (the surefire argLine), passed on to the child JVM. */
    private static final List<String> HEADLESS = List.of("testfx.headless", "prism.order", "glass.platform", "monocle.platform",
            "headless.geometry", "java.awt.headless", "prism.text", "javafx.cachedir");

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    Run desktop(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String key : HEADLESS) {
            if (System.getProperty(key) != null) cmd.add("-D" + key + "=" + System.getProperty(key));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.shipdeck.app.Launcher"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SHIPDECK_CONFIG_DIR", dir.resolve("config").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the desktop app did not exit within 180 s; stderr so far is not available");
        }
        return new Run(p.exitValue(), out.join(), err.join());
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
    void libraryLoggingReachesTheTerminalOnlyWithVerbose() throws Exception {
        Run quiet = desktop("--demo", "--measure");
        assertThat(quiet.exitCode()).as("stderr: %s", quiet.err()).isZero();
        assertThat(quiet.out()).contains("SHIPDECK_STARTUP").contains("components=36");
        assertThat(quiet.err()).as("nothing but Shipdeck's own lines; there are none here").isEmpty();

        Run verbose = desktop("--demo", "--measure", "-v");
        assertThat(verbose.exitCode()).as("stderr: %s", verbose.err()).isZero();
        assertThat(verbose.err()).contains("Unsupported JavaFX configuration")
                .contains("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils");
    }
}

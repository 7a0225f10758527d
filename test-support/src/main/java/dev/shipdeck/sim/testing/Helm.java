package dev.shipdeck.sim.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * For tests: runs the real {@code helm} (the one realcluster/build.sh builds from the Go module proxy is on the PATH
 * in the real tier), with its caches and config in a directory of the test's own. Without helm, the tests that need
 * it are skipped with {@link #SKIP_NOTICE}.
 */
public final class Helm {
    public static final String SKIP_NOTICE = "helm not on PATH: skipping the Helm chart checks (realcluster/test.sh runs them with the helm it builds)";

    private static Boolean available;

    private final Path home;
    private final Path kubeconfig;

    /** {@code kubeconfig} may be null for commands that need no cluster (lint, template). */
    public Helm(Path home, Path kubeconfig) {
        this.home = home;
        this.kubeconfig = kubeconfig;
    }

    public static synchronized boolean available() {
        if (available == null) {
            try {
                available = Kubectl.exec(List.of("helm", "version", "--short"), "", Duration.ofSeconds(20)).ok();
            } catch (java.io.UncheckedIOException e) {
                available = false;
            }
        }
        return available;
    }

    public static void assumeAvailable() {
        if (!available()) System.out.println(SKIP_NOTICE);
        Assumptions.assumeTrue(available(), SKIP_NOTICE);
    }

    public Kubectl.Result run(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "HELM_CACHE_HOME=" + home.resolve("cache"), "HELM_CONFIG_HOME=" + home.resolve("config"),
                "HELM_DATA_HOME=" + home.resolve("data"), "helm"));
        cmd.addAll(List.of(args));
        if (kubeconfig != null) cmd.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        return Kubectl.exec(cmd, "", timeout);
    }

    public Kubectl.Result run(String... args) {
        return run(Duration.ofSeconds(60), args);
    }
}

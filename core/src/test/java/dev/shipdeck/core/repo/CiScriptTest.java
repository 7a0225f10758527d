package dev.shipdeck.core.repo;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI is honest: when apt-get cannot install what the tests need, {@code .ci/run} stops with an error instead of going
 * on with those tests skipped, and it makes the kubectl tests required. Runs {@code .ci/install-deps} with a stand-in
 * apt-get first on the PATH.
 */
class CiScriptTest {
    @TempDir
    Path dir;
    Path calls;

    record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void onlyWithBash() {
        Assumptions.assumeFalse(System.getProperty("os.name", "").toLowerCase().startsWith("windows"), "the CI scripts are bash");
        calls = dir.resolve("apt-get.calls");
    }

    /** A stand-in apt-get that records its arguments and exits with {@code exit}. */
    void aptGet(int exit, String output) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path stub = bin.resolve("apt-get");
        Files.writeString(stub, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\necho '" + output + "'\nexit " + exit + "\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Run installDeps(String... packages) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", Repository.root().resolve(".ci/install-deps").toString()));
        cmd.addAll(List.of(packages));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", dir.resolve("bin") + java.io.File.pathSeparator + System.getenv("PATH"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void aFailedInstallFailsWithWhatAptGetSaid() throws Exception {
        aptGet(100, "E: Unable to locate package kubernetes-client");

        Run r = installDeps("kubernetes-client", "xvfb");

        assertThat(r.exitCode()).as("%s", r).isNotZero();
        assertThat(r.err()).contains("E: Unable to locate package kubernetes-client")
                .contains("error: apt-get could not install kubernetes-client xvfb");
    }

    @Test
    void aSuccessfulInstallUpdatesThenInstallsAndNothingNeededCallsNothing() throws Exception {
        aptGet(0, "ok");
        assertThat(installDeps("fakeroot").exitCode()).isZero();
        assertThat(Files.readAllLines(calls)).containsExactly("update -qq", "install -y -qq fakeroot");

        Files.delete(calls);
        assertThat(installDeps().exitCode()).isZero();
        assertThat(calls).doesNotExist();
    }

    @Test
    void ciInstallsFirstAndRequiresKubectlForTheTests() throws IOException {
        List<String> lines = Files.readAllLines(Repository.root().resolve(".ci/run")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

        assertThat(lines).startsWith("set -euo pipefail");
        int install = lines.indexOf(".ci/install-deps --missing");
        int require = lines.indexOf("export SHIPDECK_REQUIRE_KUBECTL=1");
        int verify = lines.indexOf("./mvnw -B verify");
        assertThat(install).as("the install step").isPositive();
        assertThat(require).as("kubectl required").isGreaterThan(install);
        assertThat(verify).as("the tests run after both").isGreaterThan(require);
    }
}

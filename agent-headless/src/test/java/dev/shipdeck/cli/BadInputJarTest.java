package dev.shipdeck.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corpus cases marked {@code jar: true}, as a person runs them: {@code java -jar shipdeck.jar} in its own
 * process, with only PATH, HOME and KUBECONFIG set. Runs after {@code package} (the surefire execution
 * {@code jar-tests} of this module), where {@code shipdeck.jar} exists.
 */
class BadInputJarTest {
    @TempDir
    static Path dir;
    static BadInputCorpus corpus;
    static Path jar;
    static long startupMillis;

    @BeforeAll
    static void start() throws Exception {
        String property = System.getProperty("shipdeck.jar");
        // -Dtest=... also selects this class in the test phase, before the jar of this build exists: it runs in jar-tests
        Assumptions.assumeTrue(property != null, "runs in the jar-tests execution, after package");
        jar = Path.of(property).toAbsolutePath();
        assertThat(jar).as("shipdeck.jar is built by 'package' before this test runs").isRegularFile();
        corpus = BadInputCorpus.start(dir);
        // what starting a JVM costs on this machine now: added to the time bounds of the cases that have one
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "--version")
                .redirectErrorStream(true).redirectOutput(Files.createTempFile(dir, "version", ".txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        startupMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    @AfterAll
    static void stop() throws Exception {
        if (corpus != null) corpus.close();
    }

    static List<BadInputCorpus.Case> cases() {
        return BadInputCorpus.cases().stream().filter(BadInputCorpus.Case::jar).toList();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void badInputGetsItsOwnMessageFromTheJar(BadInputCorpus.Case c) {
        corpus.check(corpus.run(c, jar), 2 * startupMillis + 2_000);
    }
}

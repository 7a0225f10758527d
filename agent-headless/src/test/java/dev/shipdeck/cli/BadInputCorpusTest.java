package dev.shipdeck.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every case of the bad-input corpus ({@code src/test/resources/bad-inputs.yaml}) through the picocli entry point:
 * the exit code, one clear stderr line with what to do, no stack trace, no secret. {@link BadInputJarTest} runs the
 * cases marked {@code jar: true} as {@code java -jar shipdeck.jar}.
 */
class BadInputCorpusTest {
    @TempDir
    static Path dir;
    static BadInputCorpus corpus;

    @BeforeAll
    static void start() throws Exception {
        corpus = BadInputCorpus.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (corpus != null) corpus.close();
    }

    static List<BadInputCorpus.Case> cases() {
        return BadInputCorpus.cases();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void badInputGetsItsOwnMessage(BadInputCorpus.Case c) {
        corpus.check(corpus.run(c, null), 0);
    }

    @Test
    void theCorpusCoversEveryArea() {
        List<BadInputCorpus.Case> all = cases();
        assertThat(all).hasSizeGreaterThanOrEqualTo(80);
        assertThat(all).extracting(BadInputCorpus.Case::name).doesNotHaveDuplicates();
        assertThat(all).allSatisfy(c -> {
            assertThat(c.exit()).as(c.name()).isBetween(0, 7);
            assertThat(c.message()).as(c.name()).isNotBlank();
        });
        assertThat(all).filteredOn(BadInputCorpus.Case::jar).hasSizeGreaterThanOrEqualTo(5);
        assertThat(corpus.secrets()).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void helpAndVersionGoToStdout() {
        Map<String, String> env = Map.of("HOME", dir.toString());
        Cli.Result help = Cli.run(env, "components", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).startsWith("List components with their version, status and replicas.")
                .contains("Examples:", "  # Every component in every environment", "Options:", "--label=KEY:VALUE", "--kind=KIND", "Usage:");

        Cli.Result version = Cli.run(env, "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("shipdeck ");

        Cli.Result codes = Cli.run(env, "--help");
        assertThat(codes.out()).contains("Exit codes:", "7   what was asked for could not be read");
    }
}

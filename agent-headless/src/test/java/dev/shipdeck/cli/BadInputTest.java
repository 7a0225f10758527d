package dev.shipdeck.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input ends with one clear {@code error:} line on stderr, nothing on stdout, the right exit code,
 * and never a stack trace. None of these needs a cluster: they are all caught before the first request.
 */
class BadInputTest {
    @TempDir
    static Path dir;
    private static Map<String, String> env;

    @BeforeAll
    static void kubeconfig() throws Exception {
        Path kc = Kubeconfigs.unreachable(dir.resolve("kubeconfig"), "prod-eu");
        Files.writeString(dir.resolve("malformed.yaml"), "apiVersion: v1\nclusters: [\n  - name: x\n");
        Files.writeString(dir.resolve("not-a-map.yaml"), "just some text\n");
        Files.writeString(dir.resolve("envs.yaml"), "environments:\n  - name: production\n");
        env = Map.of("KUBECONFIG", kc.toString(), "HOME", dir.toString());
    }

    private static Cli.Result failsWithOneLine(Map<String, String> environment, int exitCode, String... args) {
        Cli.Result r = Cli.run(environment, args);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(exitCode);
        assertThat(r.errLines()).as("%s", r).hasSize(1);
        assertThat(r.err()).as("%s", r).startsWith("error: ").doesNotContain("Exception").doesNotContain("at dev.")
                .doesNotContain("at picocli.").doesNotContain("at java.");
        assertThat(r.out()).as("%s", r).isEmpty();
        return r;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "components --kubeconfig {dir}/nope.yaml              | 2 | kubeconfig {dir}/nope.yaml does not exist",
        "components --kubeconfig {dir}/malformed.yaml         | 2 | is not valid YAML at line",
        "environments --kubeconfig {dir}/not-a-map.yaml       | 2 | is not a kubeconfig",
        "components --environments-file {dir}/nope.yaml       | 2 | environments file {dir}/nope.yaml does not exist",
        "components --environments-file {dir}/envs.yaml       | 2 | has no context",
        "components --context staging                         | 3 | context \"staging\" is not in the kubeconfig (it has: prod-eu)",
        "environments --context staging                       | 3 | context \"staging\" is not in the kubeconfig",
        "components --environment staging                     | 3 | unknown environment \"staging\" (known environments: prod-eu)",
        "timeline --environment staging                       | 3 | unknown environment \"staging\"",
        "components --label team                              | 2 | label \"team\" has no value (write it as key:value",
        "components --label team:                             | 2 | label \"team:\" has no value",
        "components --label :x                                | 2 | label \":x\" has no key",
        "components -l team:a:b                               | 2 | has more than one ':'",
        "timeline --label team                                | 2 | label \"team\" has no value",
        "components --bogus                                   | 2 | Unknown option: '--bogus' (Run 'shipdeck components --help' for usage.)",
        "--bogus                                              | 2 | Unknown option: '--bogus' (Run 'shipdeck --help' for usage.)",
        "components --lable team:x                            | 2 | did you mean --label?",
        "components -o xml                                    | 2 | unknown output format 'xml', use one of table, json, yaml",
        "environments --output=wide                           | 2 | unknown output format 'wide'",
        "timeline --status bogus                              | 2 | unknown status \"bogus\" (use one of pending, running",
        "timeline --limit 0                                   | 2 | --limit must be at least 1",
        "timeline --limit many                                | 2 | 'many' is not an int",
        "components --request-timeout soon                    | 2 | 'soon' is not a duration",
        "compnents                                            | 2 | unknown command \"compnents\" for \"shipdeck\" (did you mean components?",
        "components --kubeconfig                              | 2 | Missing required parameter for option '--kubeconfig'"})
    void badInputEndsWithOneClearLine(String args, int exitCode, String message) {
        Cli.Result r = failsWithOneLine(env, exitCode, args.replace("{dir}", dir.toString()).split(" "));

        assertThat(r.err()).contains(message.replace("{dir}", dir.toString()));
    }

    @Test
    void missingKubeconfigFilesAreNamed() {
        Cli.Result none = failsWithOneLine(Map.of("KUBECONFIG", dir + "/a.yaml:" + dir + "/b.yaml"), ExitCodes.USAGE, "components");
        assertThat(none.err()).contains("none of the KUBECONFIG files exists").contains(dir + "/a.yaml");

        Cli.Result noHome = failsWithOneLine(Map.of("HOME", dir.resolve("empty-home").toString()), ExitCodes.USAGE, "environments");
        assertThat(noHome.err()).contains("no kubeconfig at " + dir.resolve("empty-home/.kube/config"))
                .contains("pass --kubeconfig FILE");
    }

    @Test
    void helpAndVersionGoToStdout() {
        Cli.Result help = Cli.run(env, "components", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).startsWith("List components with their version, status and replicas.")
                .contains("Examples:", "  # Every component in every environment", "Options:", "--label=KEY:VALUE", "Usage:");

        Cli.Result version = Cli.run(env, "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("shipdeck ");
    }
}

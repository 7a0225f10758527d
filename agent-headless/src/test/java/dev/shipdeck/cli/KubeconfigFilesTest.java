package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** KUBECONFIG with several files, as kubectl reads it, and {@code --kubeconfig} overriding it. */
class KubeconfigFilesTest {
    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Path all;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("demo").start();
        all = sim.writeKubeconfig(dir.resolve("all.kubeconfig"));
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    private static Map<String, String> kubeconfigEnv(Path... files) {
        return Map.of("KUBECONFIG", String.join(File.pathSeparator, List.of(files).stream().map(Path::toString).toList()),
                "HOME", dir.toString());
    }

    /** environment/component → version, as {@code components -o json} prints them. */
    private static Map<String, String> versions(Map<String, String> env, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("components", "-o", "json"));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(env, args.toArray(String[]::new));
        assertThat(r.exitCode()).as("%s", r).isZero();
        return Cli.items(r.json()).stream().collect(Collectors.toMap(
                c -> c.path("environment").asText() + "/" + c.path("name").asText(), c -> c.path("version").asText()));
    }

    @Test
    void contextsFromEveryFileReachTheirOwnCluster() {
        Path first = Kubeconfigs.only(all, dir.resolve("prod.kubeconfig"), "prod-eu");
        Path second = Kubeconfigs.only(all, dir.resolve("others.kubeconfig"), "staging", "dev");

        Map<String, String> split = versions(kubeconfigEnv(first, second));

        assertThat(split).hasSize(36).isEqualTo(versions(kubeconfigEnv(all)));
        assertThat(split).containsEntry("prod-eu/search-api", "1.7.2").containsEntry("staging/search-api", "1.7.3")
                .containsEntry("dev/search-api", "1.8.0");
    }

    @Test
    void anUnreachableClusterInTheSecondFileIsReportedNotConfused() {
        Path dead = Kubeconfigs.unreachable(dir.resolve("dead.kubeconfig"), "dead");

        Cli.Result r = Cli.run(kubeconfigEnv(all, dead), "environments", "-o", "json");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(Cli.items(r.json())).extracting(e -> e.path("name").asText() + " " + e.path("connection").asText())
                .containsExactly("prod-eu connected", "staging connected", "dev connected", "dead unreachable (connection refused)");
        assertThat(r.errLines()).containsExactly("warning: environment dead: unreachable (connection refused)");
    }

    @Test
    void missingFilesInTheListAreSkippedAsKubectlSkipsThem() {
        assertThat(versions(kubeconfigEnv(dir.resolve("missing.kubeconfig"), all))).hasSize(36);
    }

    @Test
    void theKubeconfigOptionOverridesTheVariable() {
        Path dead = Kubeconfigs.unreachable(dir.resolve("only-dead.kubeconfig"), "dead");

        Cli.Result r = Cli.run(kubeconfigEnv(dead), "environments", "-o", "json", "--kubeconfig", all.toString());

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(Cli.items(r.json())).extracting(e -> e.path("name").asText()).containsExactly("prod-eu", "staging", "dev");
        assertThat(Cli.items(r.json())).extracting(e -> e.path("connection").asText()).containsOnly("connected");
    }

    @Test
    void theKubeconfigAndTheEnvironmentsFileAreFoundUnderHomeAsKubectlFindsThem() throws Exception {
        Path home = dir.resolve("another-home");
        java.nio.file.Files.createDirectories(home.resolve(".kube"));
        java.nio.file.Files.copy(all, home.resolve(".kube/config"));
        java.nio.file.Files.createDirectories(home.resolve(".config/shipdeck"));
        java.nio.file.Files.writeString(home.resolve(".config/shipdeck/environments.yaml"),
                "environments:\n  - context: staging\n    name: pre-production\n");

        Cli.Result r = Cli.run(Map.of("HOME", home.toString()), "environments", "-o", "json");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(Cli.items(r.json())).extracting(e -> e.path("name").asText()).containsExactly("pre-production", "prod-eu", "dev");

        Cli.Result none = Cli.run(Map.of("HOME", dir.resolve("empty-home").toString()), "environments");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).startsWith("error: no kubeconfig at " + dir.resolve("empty-home/.kube/config"));
    }

    @Test
    void theViewerUserReadsAsWell() {
        Path viewer = sim.writeKubeconfig(dir.resolve("viewer.kubeconfig"), ClusterSim.VIEWER);

        Cli.Result r = Cli.run(kubeconfigEnv(viewer), "components", "-o", "json", "--context", "staging");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(Cli.items(r.json())).hasSize(12).extracting(JsonNode::toString).allSatisfy(c -> assertThat(c).contains("staging"));
    }
}

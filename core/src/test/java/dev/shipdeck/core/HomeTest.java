package dev.shipdeck.core;

import dev.shipdeck.core.kube.Kubeconfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ~} is kubectl's home: {@code $HOME} (not the JVM's user.home), and on Windows client-go's rule. */
class HomeTest {
    @TempDir
    Path dir;

    /** What a process started with {@code HOME=dir} reports as its default kubeconfig and settings files. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                Kubeconfig.load((String) null);
                System.out.println("kubeconfig loaded");
            } catch (Kubeconfig.NoKubeconfigException e) {
                System.out.println(e.getMessage());
            }
            System.out.println("environments " + Environments.defaultFile());
        }
    }

    @Test
    void aProcessWhoseHomeIsElsewhereLooksForTheKubeconfigThere() throws Exception {
        Path home = Files.createDirectories(dir.resolve("someone-else"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("KUBECONFIG");
        pb.environment().remove("SHIPDECK_CONFIG_DIR");
        pb.environment().remove("XDG_CONFIG_HOME");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(out).contains("no kubeconfig at " + home.resolve(".kube").resolve("config"))
                .contains("environments " + home.resolve(".config").resolve("shipdeck").resolve("environments.yaml"));
    }

    @Test
    void anInjectedHomeIsWhereTheKubeconfigAndTheSettingsAre() throws IOException {
        Map<String, String> env = Map.of("HOME", dir.toString());

        assertThatThrownBy(() -> Kubeconfig.load(null, env)).isInstanceOf(Kubeconfig.NoKubeconfigException.class)
                .hasMessage("no kubeconfig at " + dir.resolve(".kube/config"));
        assertThat(Environments.defaultFile(env)).isEqualTo(dir.resolve(".config/shipdeck/environments.yaml"));
        assertThat(Environments.defaultFile(Map.of("HOME", dir.toString(), "XDG_CONFIG_HOME", dir.resolve("xdg").toString())))
                .isEqualTo(dir.resolve("xdg/shipdeck/environments.yaml"));

        Files.createDirectories(dir.resolve(".kube"));
        Files.writeString(dir.resolve(".kube/config"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {}}]
                contexts: [{name: from-home, context: {cluster: c, user: u}}]
                current-context: from-home
                """);
        assertThat(Kubeconfig.load(null, env).contextNames()).containsExactly("from-home");
        assertThat(Kubeconfig.load("~/.kube/config", env).files()).containsExactly(dir.resolve(".kube/config"));
    }

    @Test
    void onWindowsTheFirstHomeWithAKubeconfigWins() {
        Map<String, String> env = Map.of("HOME", "C:\\h", "HOMEDRIVE", "D:", "HOMEPATH", "\\dp", "USERPROFILE", "C:\\Users\\p");
        Set<String> none = Set.of();

        // a .kube\config decides first, in the order HOME, HOMEDRIVE+HOMEPATH, USERPROFILE
        assertThat(resolve(env, Set.of("D:\\dp", "C:\\Users\\p"), none, none)).isEqualTo("D:\\dp");
        assertThat(resolve(env, Set.of("C:\\Users\\p"), none, none)).isEqualTo("C:\\Users\\p");
        // else a writable folder, in the order HOME, USERPROFILE, HOMEDRIVE+HOMEPATH
        assertThat(resolve(env, none, Set.of("C:\\Users\\p", "D:\\dp"), none)).isEqualTo("C:\\Users\\p");
        // else one that exists, else the first that is set
        assertThat(resolve(env, none, none, Set.of("D:\\dp"))).isEqualTo("D:\\dp");
        assertThat(resolve(env, none, none, none)).isEqualTo("C:\\h");
        assertThat(resolve(Map.of("HOMEDRIVE", "D:", "USERPROFILE", "C:\\Users\\p"), none, none, none))
                .as("HOMEDRIVE counts only with HOMEPATH").isEqualTo("C:\\Users\\p");
    }

    @Test
    void withoutHomeTheJvmsUserHomeIsTheLastResort() {
        assertThat(Home.resolve(Map.of(), false, p -> false, p -> false, p -> false)).isEqualTo(System.getProperty("user.home"));
        assertThat(Home.resolve(Map.of("HOME", "/home/x"), false, p -> false, p -> false, p -> false)).isEqualTo("/home/x");
    }

    /** Windows paths checked by name (the test runs on any OS): the folders that hold a kubeconfig, are writable, exist. */
    private static String resolve(Map<String, String> env, Set<String> withKubeconfig, Set<String> writable, Set<String> existing) {
        return Home.resolve(env, true, p -> withKubeconfig.stream().anyMatch(h -> p.equals(Path.of(h, ".kube", "config"))),
                p -> writable.contains(p.toString()), p -> existing.contains(p.toString()));
    }
}

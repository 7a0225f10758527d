package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.SimHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The command line ({@link Main}) in a child JVM on the test classpath, as {@code java -jar cluster-sim.jar} runs
 * it: one READY line, a kubeconfig kubectl can use, a clean stop on SIGTERM, one error line for bad flags, and the
 * faults of its command line and of its control endpoint seen by a client in this process.
 */
class KubectlMainTest {
    @TempDir
    Path dir;

    private static ProcessBuilder main(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    @Test
    void servesUntilSigterm() throws Exception {
        Kubectl.assumeAvailable();
        Path kubeconfig = dir.resolve("sim.kubeconfig");
        Path stderr = dir.resolve("sim.stderr");
        Process p = main("--kubeconfig", kubeconfig.toString(), "--scenario", "demo").redirectError(stderr.toFile()).start();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            Future<String> first = reader.submit(out::readLine);
            String ready = first.get(60, TimeUnit.SECONDS);

            assertThat(ready).as("first line of stdout; stderr: %s", Files.readString(stderr)).startsWith("READY ").contains("kubeconfig=" + kubeconfig.toAbsolutePath())
                    .contains("contexts=prod-eu,staging,dev").containsPattern("startup-ms=\\d+$");
            assertThat(Files.readString(kubeconfig)).contains("current-context: prod-eu");

            Kubectl kubectl = new Kubectl(kubeconfig, dir.resolve("kube-cache"));
            assertThat(kubectl.out("get", "deploy", "-n", "payments", "-o", "name").lines())
                    .contains("deployment.apps/payments-api", "deployment.apps/ledger-worker");
            assertThat(kubectl.out("--context", "staging", "get", "rollouts", "-A", "-o", "name").lines())
                    .contains("rollout.argoproj.io/checkout", "rollout.argoproj.io/cart");

            long t0 = System.nanoTime();
            p.destroy();
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("the sim exits within 5 s of SIGTERM").isTrue();
            System.out.printf("cluster-sim stopped %d ms after SIGTERM%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(kubectl.run("get", "ns", "--request-timeout=5s").ok()).as("nothing serves after the stop").isFalse();
        } finally {
            p.destroyForcibly();
            reader.shutdownNow();
        }
    }

    @Test
    void faultsFromTheCommandLineAndTheControlEndpointReachTheProcess() throws Exception {
        Path kubeconfig = dir.resolve("faulty.kubeconfig");
        Path stderr = dir.resolve("faulty.stderr");
        Process p = main("--kubeconfig", kubeconfig.toString(), "--scenario", "empty",
                "--fault", "path=/configmaps,status=503,count=2,retryAfter=4", "--latency", "300ms", "--expire-token", "viewer")
                .redirectError(stderr.toFile()).start();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = reader.submit(out::readLine).get(60, TimeUnit.SECONDS);
            assertThat(ready).as("stderr: %s", Files.readString(stderr)).startsWith("READY ");
            SimHttp admin = SimHttp.fromKubeconfig(kubeconfig);
            SimHttp viewer = SimHttp.fromKubeconfig(kubeconfig, null, "sim-viewer");

            long t0 = System.nanoTime();
            SimHttp.Response first = admin.get("/api/v1/namespaces/default/configmaps");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(first.status()).as("%s", first).isEqualTo(503);
            assertThat(first.header("Retry-After")).isEqualTo("4");
            assertThat(admin.get("/api/v1/namespaces/default/configmaps").status()).isEqualTo(503);
            assertThat(admin.get("/api/v1/namespaces/default/configmaps").status()).isEqualTo(200);
            assertThat(viewer.get("/api/v1/namespaces").status()).isEqualTo(401);

            JsonNode state = admin.faults().inject("{\"unreachable\": \"refuse\", \"for\": \"1s\"}");
            assertThat(state.path("unreachable").asText()).isEqualTo("refuse");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> admin.get("/version").status() == 200);
            assertThat(admin.faults().clear().path("latency").asText()).isEqualTo("0s");
            assertThat(viewer.get("/api/v1/namespaces").status()).as("clear gives tokens back").isEqualTo(200);
        } finally {
            p.destroyForcibly();
            reader.shutdownNow();
        }
    }

    @Test
    void startedHangingTheProcessAnswersNothingButItsControlEndpoint() throws Exception {
        Path kubeconfig = dir.resolve("hanging.kubeconfig");
        Process p = main("--kubeconfig", kubeconfig.toString(), "--unreachable", "hang").start();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(reader.submit(out::readLine).get(60, TimeUnit.SECONDS)).startsWith("READY ");
            SimHttp admin = SimHttp.fromKubeconfig(kubeconfig);
            assertThatThrownBy(() -> admin.sendOrThrow("GET", "/version", null, null, Map.of(), Duration.ofSeconds(1)))
                    .isInstanceOf(HttpTimeoutException.class);

            admin.faults().clear();

            assertThat(admin.get("/version").status()).isEqualTo(200);
        } finally {
            p.destroyForcibly();
            reader.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--speed x", "--nope", "--user root", "--scenario /no/such/file.yaml", "--fault status=700",
            "--fault path=/x", "--fault cluster=nope,status=503", "--latency soon", "--unreachable sideways",
            "--unreachable-for 5s", "--expire-token root", "--gone-watches -1"})
    void badFlagsPrintOneErrorLineAndExitNonZero(String flags) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--kubeconfig", dir.resolve("never.kubeconfig").toString()));
        args.addAll(List.of(flags.split(" ")));
        Process p = main(args.toArray(String[]::new)).start();
        p.getOutputStream().close();

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits promptly").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as("exit code; stderr: %s", err).isNotZero();
        assertThat(out).isEmpty();
        assertThat(err.lines().filter(l -> l.startsWith("error: "))).as(err).hasSize(1);
        assertThat(err.lines().filter(l -> !l.isBlank())).as(err).allMatch(l -> l.startsWith("error: ") || l.startsWith("Run '"));
        assertThat(Files.exists(dir.resolve("never.kubeconfig"))).isFalse();
    }
}

package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Deploy markers from CI: plan, update and log, as {@code shipdeck timeline} then shows them; and the command audit. */
class MarkersTest {
    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Map<String, String> env;
    private static KubeClients clients;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
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
        Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
        env = Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", dir.toString());
        clients = new KubeClients(Kubeconfig.load(kubeconfig.toString()), KubeClients.Options.CLI);
    }

    @AfterAll
    static void stop() {
        if (clients != null) clients.close();
        if (sim != null) sim.close();
    }

    private static Cli.Result ok(Map<String, String> vars, String... args) {
        Cli.Result r = Cli.run(vars, args);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.OK);
        return r;
    }

    private static JsonNode marker(String version) {
        Cli.Result r = ok(env, "timeline", "--component", "checkout", "-o", "json");
        for (JsonNode row : Cli.items(r.json())) {
            if (row.path("version").asText().equals(version) && row.path("source").asText().equals("marker")) return row;
        }
        throw new AssertionError("no marker for " + version + " in " + r);
    }

    @Test
    void aCommitTimeFromCiIsKeptInUtcAndIsWhatTheLeadTimeIsMeasuredFrom() {
        String name = ok(env, "release", "plan", "--component-name", "checkout", "--target-version", "1.9.0", "-n", "shop",
                "--commit-time", "2026-11-30T15:05:00+01:00").out().strip();
        ReleaseRecords records = new ReleaseRecords(clients.clientNow("sim"));
        assertThat(records.get("shop", name).spec().trigger().commitTime()).isEqualTo(Instant.parse("2026-11-30T14:05:00Z"));

        // a marker planned without one gets it on its update (GitLab: CI_COMMIT_TIMESTAMP when the flag is left out)
        String later = ok(env, "release", "plan", "--component-name", "checkout", "--target-version", "1.9.1", "-n", "shop").out().strip();
        assertThat(records.get("shop", later).spec().trigger().commitTime()).isNull();
        ok(env, "release", "update", later, "-n", "shop", "--status", "running", "--commit-time", "1796047500");
        ok(env, "release", "update", later, "-n", "shop", "--status", "success");
        ReleaseRecord done = records.get("shop", later);
        assertThat(done.spec().trigger().commitTime()).isEqualTo(Instant.ofEpochSecond(1796047500L));

        Map<String, String> gitlab = new HashMap<>(env);
        gitlab.put("GITLAB_CI", "true");
        gitlab.put("CI_COMMIT_TIMESTAMP", "2026-11-29T08:00:00+00:00");
        String fromGitlab = ok(gitlab, "release", "plan", "--component-name", "checkout", "--target-version", "1.9.2", "-n", "shop").out().strip();
        assertThat(records.get("shop", fromGitlab).spec().trigger().commitTime()).isEqualTo(Instant.parse("2026-11-29T08:00:00Z"));

        JsonNode in = Cli.run(env, "insights", "--component", "checkout", "--since", "1d", "-o", "json").json();
        assertThat(in.path("current").path("leadTimesKnown").asInt()).as("only 1.9.1 succeeded").isEqualTo(1);
        assertThat(in.path("current").path("leadTimeSeconds").asLong())
                .isEqualTo(done.status().endedAt().getEpochSecond() - 1796047500L);
    }

    @Test
    void planThenUpdateShowsPendingRunningSuccessAndAFinishedReleaseKeepsItsStatus() {
        String name = ok(env, "release", "plan", "--component-name", "checkout", "--target-version", "1.4.2", "-n", "shop",
                "--pipeline-url", "https://ci.example/pipelines/812", "--commit-sha", "a1b2c3d4e5").out().strip();
        assertThat(name).startsWith("checkout-1-4-2-");
        assertThat(marker("1.4.2").path("status").asText()).isEqualTo("PENDING");

        ok(env, "release", "update", name, "-n", "shop", "--status", "running");
        JsonNode running = marker("1.4.2");
        assertThat(running.path("status").asText()).isEqualTo("RUNNING");
        assertThat(running.path("endedAt").isNull()).isTrue();

        Cli.Result success = ok(env, "release", "update", name, "-n", "shop", "--status", "success", "-o", "json");
        assertThat(Cli.items(success.json()).get(0).path("status").asText()).isEqualTo("SUCCESS");
        JsonNode done = marker("1.4.2");
        assertThat(done.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(Instant.parse(done.path("endedAt").asText())).isAfterOrEqualTo(Instant.parse(done.path("startedAt").asText()));

        Cli.Result refused = Cli.run(env, "release", "update", name, "-n", "shop", "--status", "failed", "--failure-reason", "smoke tests");
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).startsWith("error: release " + name + " has already ended with status SUCCESS")
                .contains("it cannot become FAILED");
        assertThat(marker("1.4.2").path("status").asText()).isEqualTo("SUCCESS");

        ReleaseRecord stored = new ReleaseRecords(clients.clientNow("sim")).get("shop", name);
        assertThat(stored.spec().trigger().pipelineUrl()).isEqualTo("https://ci.example/pipelines/812");
        assertThat(stored.spec().trigger().commitSha()).isEqualTo("a1b2c3d4e5");
        assertThat(stored.status().observedBy()).isEqualTo(ClusterSim.ADMIN);
    }

    @Test
    void aFailedMarkerKeepsItsReasonAndLogShowsLogged() {
        String name = ok(env, "release", "plan", "--component-name", "checkout", "--target-version", "1.5.0", "-n", "shop",
                "--release-strategy", "progressive").out().strip();
        ok(env, "release", "update", "--component-name", "checkout", "-n", "shop", "--status", "failed", "--failure-reason", "smoke tests failed");
        ReleaseRecord failed = new ReleaseRecords(clients.clientNow("sim")).get("shop", name);
        assertThat(failed.status().failureReason()).isEqualTo("smoke tests failed");
        assertThat(marker("1.5.0").path("type").asText()).isEqualTo("PROGRESSIVE");

        Map<String, String> github = new HashMap<>(env);
        github.putAll(Map.of("GITHUB_RUN_ID", "77", "GITHUB_REPOSITORY", "acme/shop", "GITHUB_SERVER_URL", "https://github.com",
                "GITHUB_SHA", "0123456789abcdef"));
        String logged = ok(github, "release", "log", "--component-name", "checkout", "--target-version", "1.4.0-hotfix", "-n", "shop").out().strip();
        JsonNode row = marker("1.4.0-hotfix");
        assertThat(row.path("status").asText()).isEqualTo("LOGGED");
        assertThat(row.path("startedAt").asText()).isEqualTo(row.path("endedAt").asText());
        ReleaseRecord stored = new ReleaseRecords(clients.clientNow("sim")).get("shop", logged);
        assertThat(stored.spec().trigger().pipelineUrl()).isEqualTo("https://github.com/acme/shop/actions/runs/77");
        assertThat(stored.spec().trigger().commitUrl()).isEqualTo("https://github.com/acme/shop/commit/0123456789abcdef");

        Cli.Result unknown = Cli.run(env, "release", "update", "nope", "-n", "shop", "--status", "running");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        Cli.Result badStatus = Cli.run(env, "release", "update", name, "-n", "shop", "--status", "logged");
        assertThat(badStatus.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    private static JsonNode componentRow(String name) {
        for (JsonNode c : Cli.items(ok(env, "components", "-o", "json").json())) {
            if (c.path("name").asText().equals(name)) return c;
        }
        throw new AssertionError("components does not list " + name);
    }

    @Test
    void aComponentWhoseFirstMarkersCameBeforeItsWorkloadIsListedEverywhere() {
        ok(env, "release", "plan", "d1", "--environment-name", "sim", "--component-name", "bar-web", "--target-version", "7.1.0",
                "--namespace", "default");

        List<JsonNode> rows = Cli.items(ok(env, "timeline", "--component", "bar-web", "-o", "json").json());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("version").asText()).isEqualTo("7.1.0");
        assertThat(rows.get(0).path("status").asText()).isEqualTo("PENDING");
        assertThat(rows.get(0).path("source").asText()).isEqualTo("marker");

        JsonNode bar = componentRow("bar-web");
        assertThat(bar.path("noWorkloadYet").asBoolean()).isTrue();
        assertThat(bar.path("kind").isNull()).isTrue();
        assertThat(bar.path("version").isNull()).isTrue();
        assertThat(bar.path("status").asText()).isEqualTo("PENDING");
        assertThat(bar.path("namespace").asText()).isEqualTo("default");
        assertThat(componentRow("checkout").path("noWorkloadYet").asBoolean()).isFalse();
        assertThat(ok(env, "components").out().lines())
                .anySatisfy(l -> assertThat(l).matches("bar-web\\s+sim\\s+default\\s+<no workload yet>\\s+<none>\\s+PENDING\\s+0/0\\s+<none>"));

        ok(env, "release", "update", "d1", "-n", "default", "--status", "running");
        assertThat(Cli.items(ok(env, "timeline", "--component", "bar-web", "-o", "json").json()))
                .extracting(r -> r.path("status").asText()).containsExactly("RUNNING");
        assertThat(componentRow("bar-web").path("status").asText()).isEqualTo("RUNNING");

        ok(env, "release", "log", "--environment-name", "sim", "--component-name", "baz-jobs", "--target-version", "42", "-n", "default");
        assertThat(Cli.items(ok(env, "timeline", "--component", "baz-jobs", "-o", "json").json()))
                .extracting(r -> r.path("version").asText() + " " + r.path("status").asText()).containsExactly("42 LOGGED");
        assertThat(componentRow("baz-jobs").path("status").asText()).isEqualTo("LOGGED");
        assertThat(Cli.run(env, "timeline", "--component", "nope").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void theTimelineKeepsTheReplicaSetHistoryThatNoRecordCovers() {
        List<JsonNode> rows = Cli.items(ok(env, "timeline", "--component", "checkout", "-o", "json").json());

        assertThat(rows).anySatisfy(r -> {
            assertThat(r.path("version").asText()).isEqualTo("1.4.1");
            assertThat(r.path("source").asText()).isEqualTo("derived");
        });
    }

    @Test
    void aCommandQueuedFromTheCliIsListedByCommands() {
        Cli.Result queued = ok(env, "scale", "checkout", "-e", "sim", "--replicas", "3", "--queue", "--yes", "--reason", "black friday");
        assertThat(queued.out()).startsWith("queued scale of checkout for the Shipdeck agent: releasecommand shop/checkout-scale-");
        assertThat(clients.clientNow("sim").apps().deployments().inNamespace("shop").withName("checkout").get().getSpec().getReplicas())
                .as("queued, not sent").isEqualTo(1);

        List<JsonNode> rows = Cli.items(ok(env, "commands", "--component", "checkout", "-o", "json").json());

        assertThat(rows).anySatisfy(r -> {
            assertThat(r.path("action").asText()).isEqualTo("SCALE");
            assertThat(r.path("requester").asText()).isEqualTo(ClusterSim.ADMIN);
            assertThat(r.path("outcome").asText()).isEqualTo("QUEUED");
            assertThat(r.path("queued").asBoolean()).isTrue();
            assertThat(r.path("args").path("replicas").asText()).isEqualTo("3");
            assertThat(r.path("reason").asText()).isEqualTo("black friday");
        });
    }
}

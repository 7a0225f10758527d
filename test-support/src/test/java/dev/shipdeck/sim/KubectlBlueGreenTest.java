package dev.shipdeck.sim;

import com.sun.net.httpserver.HttpServer;
import dev.shipdeck.sim.testing.Kubectl;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * cluster-sim's blue-green Rollouts and AnalysisRuns through kubectl: the active and preview services' selectors, the
 * pause for promotion, the promotion, abort, retry and the delayed scale-down of the old ReplicaSet, each followed
 * with {@code kubectl get -o jsonpath}, moved with the patches the Argo Rollouts plugin sends (and, where the plugin is
 * installed, by the plugin itself, whose {@code get rollout} must read the sim's status as it reads Argo's); and a web
 * metric served by a stub in this test that fails the pre-promotion analysis and aborts the update with Argo's message.
 */
class KubectlBlueGreenTest {
    private static final String VIEW = "jsonpath={.status.phase}|{.status.stableRS}|{.status.currentPodHash}"
            + "|{.status.blueGreen.activeSelector}|{.status.blueGreen.previewSelector}|{.status.pauseConditions[*].reason}"
            + "|{.status.abort}|{.status.message}";
    private static final String HASH = "rollouts-pod-template-hash";

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;
    private static HttpServer metrics;
    private static volatile String metricBody = "{\"errorRate\": 0.01}";
    private static volatile String flagBody = "{\"ok\": true}";

    @BeforeAll
    static void start() throws IOException {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().clusters("sim").scenario("empty").speed(20).start();
        sim.cluster("sim").installRolloutsCrd();
        kubectl = new Kubectl(sim.writeKubeconfig(dir.resolve("kubeconfig")), dir.resolve("kube-cache"));
        metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        metrics.createContext("/metric", ex -> {
            byte[] body = metricBody.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        metrics.start();
    }

    @AfterAll
    static void stop() {
        if (metrics != null) metrics.stop(0);
        if (sim != null) sim.close();
    }

    private record View(String phase, String stable, String current, String active, String preview, String pauses,
                        String abort, String message) {}

    private static View view(String name) {
        String[] f = kubectl.out("get", "rollout", name, "-o", VIEW).split("\\|", -1);
        assertThat(f).hasSize(8);
        return new View(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250));
    }

    private static String selector(String service) {
        return kubectl.out("get", "service", service, "-o", "jsonpath={.spec.selector." + HASH + "}");
    }

    private static String replicas(String rollout, String hash) {
        return kubectl.out("get", "rs", rollout + "-" + hash, "-o", "jsonpath={.spec.replicas}");
    }

    static String services(String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s-active
                spec:
                  selector:
                    app: %1$s
                  ports:
                    - port: 80
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s-preview
                spec:
                  selector:
                    app: %1$s
                  ports:
                    - port: 80
                """.formatted(name);
    }

    static String blueGreen(String name, String version, String extra) {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata:
                  name: %1$s
                spec:
                  replicas: 3
                  selector:
                    matchLabels:
                      app: %1$s
                  template:
                    metadata:
                      labels:
                        app: %1$s
                    spec:
                      containers:
                        - name: app
                          image: registry.example.com/%1$s:%2$s
                  strategy:
                    blueGreen:
                      activeService: %1$s-active
                      previewService: %1$s-preview
                      autoPromotionEnabled: false
                      scaleDownDelaySeconds: 30
                %3$s""".formatted(name, version, extra);
    }

    private static void apply(String file, String yaml) {
        kubectl.out("apply", "-f", TestManifests.write(dir, file, yaml).toString());
    }

    /** Services, then the Rollout at 1.0 until Healthy; returns the stable hash. */
    private static String healthy(String name, String extra) {
        apply(name + "-svc.yaml", services(name));
        apply(name + ".yaml", blueGreen(name, "1.0", extra));
        eventually().untilAsserted(() -> {
            View v = view(name);
            assertThat(v.phase()).as("%s", v).isEqualTo("Healthy");
            assertThat(v.stable()).as("%s", v).isNotEmpty().isEqualTo(v.current()).isEqualTo(v.active()).isEqualTo(v.preview());
        });
        String stable = view(name).stable();
        assertThat(selector(name + "-active")).isEqualTo(stable);
        assertThat(selector(name + "-preview")).isEqualTo(stable);
        return stable;
    }

    /** Ships 1.1 and waits for the pause for promotion: the preview on the new ReplicaSet, the active on the old. */
    private static String pausedForPromotion(String name, String stable, String extra) {
        apply(name + ".yaml", blueGreen(name, "1.1", extra));
        eventually().untilAsserted(() -> {
            View v = view(name);
            assertThat(v.phase()).as("%s", v).isEqualTo("Paused");
            assertThat(v.message()).as("%s", v).isEqualTo("BlueGreenPause");
            assertThat(v.pauses()).as("%s", v).isEqualTo("BlueGreenPause");
            assertThat(v.current()).as("%s", v).isNotEqualTo(stable);
            assertThat(v.active()).as("%s", v).isEqualTo(stable);
            assertThat(v.preview()).as("%s", v).isEqualTo(v.current());
        });
        String preview = view(name).current();
        assertThat(selector(name + "-active")).isEqualTo(stable);
        assertThat(selector(name + "-preview")).isEqualTo(preview);
        assertThat(replicas(name, preview)).isEqualTo("3");
        assertThat(replicas(name, stable)).isEqualTo("3");
        return preview;
    }

    @Test
    void promotionSwitchesTheActiveServiceAndScalesTheOldReplicaSetDownAfterTheDelay() {
        String stable = healthy("promo", "");
        String preview = pausedForPromotion("promo", stable, "");

        // the plugin's promote: clear the pause conditions on the status subresource
        kubectl.out("patch", "rollout", "promo", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"pauseConditions\":null}}");

        eventually().untilAsserted(() -> {
            View v = view("promo");
            assertThat(v.phase()).as("%s", v).isEqualTo("Healthy");
            assertThat(v.stable()).as("%s", v).isEqualTo(preview).isEqualTo(v.active());
        });
        assertThat(selector("promo-active")).isEqualTo(preview);
        // the old ReplicaSet is still up during scaleDownDelaySeconds, marked with its deadline
        assertThat(replicas("promo", stable)).isEqualTo("3");
        assertThat(kubectl.out("get", "rs", "promo-" + stable, "-o", "jsonpath={.metadata.annotations.scale-down-deadline}")).isNotEmpty();
        eventually().untilAsserted(() -> assertThat(replicas("promo", stable)).isEqualTo("0"));
        assertThat(replicas("promo", preview)).isEqualTo("3");
        assertThat(kubectl.out("get", "events", "--field-selector", "involvedObject.name=promo", "-o", "jsonpath={.items[*].reason}"))
                .contains("SwitchService");
    }

    @Test
    void abortPointsTheActiveServiceBackAndRetryPausesAgain() {
        String stable = healthy("abort", "");
        String preview = pausedForPromotion("abort", stable, "");

        kubectl.out("patch", "rollout", "abort", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"abort\":true}}");
        eventually().untilAsserted(() -> {
            View v = view("abort");
            assertThat(v.phase()).as("%s", v).isEqualTo("Degraded");
            assertThat(v.message()).as("%s", v).isEqualTo("RolloutAborted: Rollout aborted update to revision 2");
            assertThat(v.abort()).as("%s", v).isEqualTo("true");
            assertThat(v.active()).as("%s", v).isEqualTo(stable);
            assertThat(v.pauses()).as("%s", v).isEmpty();
        });
        assertThat(selector("abort-active")).isEqualTo(stable);
        assertThat(selector("abort-preview")).isEqualTo(preview);
        // the preview is scaled down after abortScaleDownDelaySeconds (30 s by default)
        eventually().untilAsserted(() -> assertThat(replicas("abort", preview)).isEqualTo("0"));

        kubectl.out("patch", "rollout", "abort", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"abort\":false}}");
        eventually().untilAsserted(() -> {
            View v = view("abort");
            assertThat(v.phase()).as("%s", v).isEqualTo("Paused");
            assertThat(v.pauses()).as("%s", v).isEqualTo("BlueGreenPause");
            assertThat(v.active()).as("%s", v).isEqualTo(stable);
        });
        assertThat(replicas("abort", preview)).isEqualTo("3");
    }

    @Test
    void aFailingWebMetricAbortsBeforePromotionWithArgosMessage() {
        String port = String.valueOf(metrics.getAddress().getPort());
        apply("error-rate.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata:
                  name: error-rate
                spec:
                  args:
                    - name: port
                  metrics:
                    - name: error-rate
                      successCondition: result < 0.05
                      provider:
                        web:
                          url: http://127.0.0.1:{{args.port}}/metric
                          jsonPath: "{$.errorRate}"
                """);
        String analysis = """
                      prePromotionAnalysis:
                        templates:
                          - templateName: error-rate
                        args:
                          - name: port
                            value: "%s"
                """.formatted(port);
        metricBody = "{\"errorRate\": 0.01}";
        String stable = healthy("gated", analysis);
        metricBody = "{\"errorRate\": 0.25}";
        apply("gated.yaml", blueGreen("gated", "1.1", analysis));

        String expected = "RolloutAborted: Rollout aborted update to revision 2: Metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0)";
        eventually().untilAsserted(() -> {
            View v = view("gated");
            assertThat(v.phase()).as("%s", v).isEqualTo("Degraded");
            assertThat(v.message()).as("%s", v).isEqualTo(expected);
            assertThat(v.active()).as("%s", v).isEqualTo(stable);
        });
        String run = kubectl.out("get", "rollout", "gated", "-o", "jsonpath={.status.blueGreen.prePromotionAnalysisRunStatus.name}");
        String current = view("gated").current();
        assertThat(run).isEqualTo("gated-" + current + "-2-pre");
        assertThat(kubectl.out("get", "analysisrun", run, "-o",
                "jsonpath={.status.phase}|{.status.message}|{.status.metricResults[0].measurements[0].phase}|{.status.metricResults[0].measurements[0].value}"))
                .isEqualTo("Failed|Metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0)|Failed|0.25");
        assertThat(kubectl.out("get", "analysisrun", run, "-o", "jsonpath={.metadata.labels.rollout-type}|{.metadata.labels." + HASH + "}"))
                .isEqualTo("PrePromotion|" + current);
        assertThat(kubectl.out("get", "ar")).contains(run).contains("Failed");
    }

    @Test
    void aMissingTemplateHoldsThePromotionUntilItExists() {
        String port = String.valueOf(metrics.getAddress().getPort());
        String analysis = """
                      prePromotionAnalysis:
                        templates:
                          - templateName: later
                """;
        String stable = healthy("later", analysis);
        metricBody = "{\"errorRate\": 0.01}";
        apply("later.yaml", blueGreen("later", "1.1", analysis));
        eventually().untilAsserted(() -> assertThat(view("later").current()).isNotEqualTo(stable));
        // no template, no run: the preview is up and nothing is promoted or paused
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            View v = view("later");
            assertThat(v.phase()).as("%s", v).isEqualTo("Progressing");
            assertThat(v.active()).as("%s", v).isEqualTo(stable);
            assertThat(kubectl.out("get", "ar", "-l", "rollout-type=PrePromotion", "-o", "name")).isEmpty();
        });

        apply("later-template.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata:
                  name: later
                spec:
                  args:
                    - name: port
                      value: "%s"
                  metrics:
                    - name: error-rate
                      successCondition: result < 0.05
                      provider:
                        web:
                          url: http://127.0.0.1:{{args.port}}/metric
                          jsonPath: "{$.errorRate}"
                """.formatted(port));
        eventually().untilAsserted(() -> {
            View v = view("later");
            assertThat(v.phase()).as("%s", v).isEqualTo("Paused");
            assertThat(v.pauses()).as("%s", v).isEqualTo("BlueGreenPause");
        });
        assertThat(kubectl.out("get", "rollout", "later", "-o", "jsonpath={.status.blueGreen.prePromotionAnalysisRunStatus.status}"))
                .isEqualTo("Successful");
    }

    @Test
    void aFailingJobAfterThePromotionAbortsAndTheActiveServiceGoesBack() {
        apply("smoke.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata:
                  name: smoke
                spec:
                  metrics:
                    - name: smoke-test
                      provider:
                        job:
                          metadata:
                            annotations:
                              sim.shipdeck.dev/job-result: fail
                          spec:
                            template:
                              spec:
                                containers: [{name: smoke, image: busybox}]
                                restartPolicy: Never
                """);
        String analysis = """
                      postPromotionAnalysis:
                        templates:
                          - templateName: smoke
                """;
        String stable = healthy("post", analysis);
        String preview = pausedForPromotion("post", stable, analysis);

        kubectl.out("patch", "rollout", "post", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"pauseConditions\":null}}");

        eventually().untilAsserted(() -> {
            View v = view("post");
            assertThat(v.phase()).as("%s", v).isEqualTo("Degraded");
            assertThat(v.message()).as("%s", v).isEqualTo("RolloutAborted: Rollout aborted update to revision 2: "
                    + "Metric \"smoke-test\" assessed Failed due to failed (1) > failureLimit (0)");
            // switched to the preview for the post-promotion analysis, then back to the stable version
            assertThat(v.active()).as("%s", v).isEqualTo(stable);
            assertThat(v.stable()).as("%s", v).isEqualTo(stable);
        });
        String run = kubectl.out("get", "rollout", "post", "-o", "jsonpath={.status.blueGreen.postPromotionAnalysisRunStatus.name}");
        assertThat(run).isEqualTo("post-" + preview + "-2-post");
        assertThat(kubectl.out("get", "ar", run, "-o", "jsonpath={.metadata.labels.rollout-type}|{.status.metricResults[0].measurements[0].phase}"))
                .isEqualTo("PostPromotion|Failed");
        assertThat(kubectl.out("get", "events", "--field-selector", "involvedObject.name=post", "-o", "jsonpath={.items[*].message}"))
                .contains("Switched selector for service 'post-active' from '" + stable + "' to '" + preview + "'")
                .contains("Switched selector for service 'post-active' from '" + preview + "' to '" + stable + "'");
    }

    @Test
    void aCanaryAnalysisStepPassesOrAbortsOnItsRun() {
        String port = String.valueOf(metrics.getAddress().getPort());
        apply("ok-flag.yaml", """
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata:
                  name: ok-flag
                spec:
                  metrics:
                    - name: ok
                      count: 2
                      interval: 10s
                      successCondition: result == true
                      provider:
                        web:
                          url: http://127.0.0.1:%s/flag
                          jsonPath: "{$.ok}"
                """.formatted(port));
        metrics.createContext("/flag", ex -> {
            byte[] body = flagBody.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        String canary = """
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata:
                  name: steps
                spec:
                  replicas: 2
                  selector:
                    matchLabels:
                      app: steps
                  template:
                    metadata:
                      labels:
                        app: steps
                    spec:
                      containers:
                        - name: app
                          image: registry.example.com/steps:%s
                  strategy:
                    canary:
                      steps:
                        - setWeight: 50
                        - analysis:
                            templates:
                              - templateName: ok-flag
                """;
        apply("steps.yaml", canary.formatted("1.0"));
        eventually().untilAsserted(() -> assertThat(view("steps").phase()).isEqualTo("Healthy"));

        flagBody = "{\"ok\": true}";
        apply("steps.yaml", canary.formatted("1.1"));
        eventually().untilAsserted(() -> {
            View v = view("steps");
            assertThat(v.phase()).as("%s", v).isEqualTo("Healthy");
            assertThat(v.stable()).as("%s", v).isEqualTo(v.current());
        });
        // once the step is done the rollout forgets its run (as Argo does); the run stays, labelled with the step
        assertThat(kubectl.out("get", "rollout", "steps", "-o", "jsonpath={.status.canary.currentStepAnalysisRunStatus}")).isEmpty();
        String hash = view("steps").current();
        assertThat(kubectl.out("get", "analysisrun", "-l", "rollout-type=Step," + HASH + "=" + hash, "-o",
                "jsonpath={.items[*].metadata.name}|{.items[*].status.phase}|{.items[*].status.metricResults[0].count}|{.items[*].metadata.labels.step-index}"))
                .isEqualTo("steps-" + hash + "-2-1|Successful|2|1");

        flagBody = "{\"ok\": false}";
        apply("steps.yaml", canary.formatted("1.2"));
        eventually().untilAsserted(() -> {
            View v = view("steps");
            assertThat(v.phase()).as("%s", v).isEqualTo("Degraded");
            assertThat(v.message()).as("%s", v).isEqualTo("RolloutAborted: Rollout aborted update to revision 3: "
                    + "Metric \"ok\" assessed Failed due to failed (1) > failureLimit (0)");
            assertThat(v.abort()).isEqualTo("true");
        });
        assertThat(kubectl.out("get", "rollout", "steps", "-o", "jsonpath={.status.canary.currentStepAnalysisRunStatus.status}"))
                .isEqualTo("Failed");
    }

    @Test
    void thePluginReadsAndMovesABlueGreenRollout() {
        Kubectl.assumeArgoPlugin();
        String stable = healthy("plug", "");
        String preview = pausedForPromotion("plug", stable, "");

        Kubectl.Result get = kubectl.plugin("argo", "rollouts", "get", "rollout", "plug", "--no-color");
        assertThat(get.ok()).as("%s", get).isTrue();
        assertThat(get.out()).contains("Status:          ॥ Paused").contains("Message:         BlueGreenPause")
                .contains("Strategy:        BlueGreen")
                .contains("Images:          registry.example.com/plug:1.0 (stable, active)")
                .contains("registry.example.com/plug:1.1 (preview)")
                .containsPattern("plug-" + preview + "\\s+ReplicaSet\\s+✔ Healthy\\s+\\S+\\s+preview")
                .containsPattern("plug-" + stable + "\\s+ReplicaSet\\s+✔ Healthy\\s+\\S+\\s+stable,active");

        Kubectl.Result promote = kubectl.plugin("argo", "rollouts", "promote", "plug");
        assertThat(promote.ok()).as("%s", promote).isTrue();
        eventually().untilAsserted(() -> assertThat(view("plug").active()).isEqualTo(preview));
        eventually().untilAsserted(() -> assertThat(view("plug").phase()).isEqualTo("Healthy"));

        eventually().untilAsserted(() -> assertThat(replicas("plug", stable)).isEqualTo("0"));
        Kubectl.Result undo = kubectl.plugin("argo", "rollouts", "undo", "plug");
        assertThat(undo.ok()).as("%s", undo).isTrue();
        eventually().untilAsserted(() -> {
            View v = view("plug");
            // back to 1.0 once its ReplicaSet was scaled down: a new update of its own, paused for promotion again
            assertThat(v.current()).as("%s", v).isEqualTo(stable);
            assertThat(v.phase()).as("%s", v).isEqualTo("Paused");
            assertThat(v.active()).as("%s", v).isEqualTo(preview);
            assertThat(v.preview()).as("%s", v).isEqualTo(stable);
        });
        assertThat(kubectl.out("get", "rs", "plug-" + stable, "-o", "jsonpath={.metadata.annotations.rollout\\.argoproj\\.io/revision}"))
                .isEqualTo("3");
    }
}

package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.ResourceType;
import dev.shipdeck.sim.Resources;
import dev.shipdeck.sim.SimCluster;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every guard refuses (or skips) with a reason a UI can show, and sends nothing. */
class CommandsGuardsTest {
    private static final String ENV = "sim";
    private static final String[] STEPS = {"{\"setWeight\":20}", "{\"pause\":{}}"};

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static SimCluster cluster;
    private static ResourceType rollouts;
    private static Sim.Connection admin;
    /** component → the resourceVersion a refusal last found unchanged */
    private static final Map<String, String> verified = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        cluster = sim.cluster(ENV);
        cluster.installRolloutsCrd();
        rollouts = cluster.rollouts();
        admin = Sim.connect(sim, dir.resolve("kubeconfig"), ClusterSim.ADMIN);
    }

    @AfterAll
    static void stop() {
        if (admin != null) admin.close();
        if (sim != null) sim.close();
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion);
    }

    private static void apply(ObjectNode o) {
        cluster.apply(Sim.stream(List.of(o)));
    }

    /** Ships each version of a Deployment and waits for each to roll out. */
    private static void shipDeployment(String name, java.util.function.Consumer<ObjectNode> edit, String... versions) {
        for (String v : versions) {
            ObjectNode d = Sim.deployment(name, v, 1);
            edit.accept(d);
            apply(d);
            Sim.awaitDeploymentSettled(cluster, name);
        }
    }

    private static void healthyRollout(String name, ObjectNode manifest) {
        apply(manifest);
        eventually(() -> {
            ObjectNode r = Sim.get(cluster, rollouts, name);
            assertThat(r.at("/status/phase").asText()).isEqualTo("Healthy");
        });
    }

    private static void pausedRollout(String name, ObjectNode manifest) {
        apply(manifest);
        eventually(() -> {
            ObjectNode r = Sim.get(cluster, rollouts, name);
            assertThat(r.at("/status/phase").asText()).isEqualTo("Paused");
            assertThat(r.at("/status/currentStepIndex").asInt()).isEqualTo(1);
        });
    }

    /** Runs the action, asserts the outcome and the message, that nothing was sent and nothing changed. */
    private static CommandResult refused(Outcome expected, Action a, String component, Map<String, String> args, ResourceType type,
                                         String message) {
        String rvBefore = settledResourceVersion(type, component);
        CommandResult r = admin.commands().run(CommandRequest.of(a, ENV, component, args));
        assertThat(r.outcome()).as("%s %s: %s", a, component, r.message()).isEqualTo(expected);
        assertThat(r.message()).isEqualTo(message);
        assertThat(r.requests()).isEmpty();
        assertThat(r.record()).isNotNull();
        assertThat(r.record().outcome()).isEqualTo(expected);
        assertThat(r.record().message()).isEqualTo(message);
        assertThat(Sim.rv(Sim.get(cluster, type, component))).as("resourceVersion of %s", component).isEqualTo(rvBefore);
        verified.put(component, rvBefore);
        return r;
    }

    /** Waits until the controllers leave the object alone (same resourceVersion for 0.3 s, 6 simulated seconds). */
    private static String settledResourceVersion(ResourceType type, String name) {
        String now = Sim.rv(Sim.get(cluster, type, name));
        if (now.equals(verified.get(name))) return now; // unchanged since the last refusal checked it
        String[] last = {""};
        long[] since = {System.nanoTime()};
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            cluster.awaitQuiet(Duration.ofSeconds(5));
            String rv = Sim.rv(Sim.get(cluster, type, name));
            if (!rv.equals(last[0])) {
                last[0] = rv;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] > 300_000_000L;
        });
        return last[0];
    }

    /** What a desktop button would say: not available, with the guard's reason. */
    private static void unavailable(Action a, String component, String reason) {
        assertThat(Sim.availability(admin, ENV, component, a)).isEqualTo(Availability.no(reason));
    }

    private static void available(Action a, String component) {
        assertThat(Sim.availability(admin, ENV, component, a)).isEqualTo(Availability.YES);
    }

    @Test
    void aPausedDeploymentIsNeitherRestoredNorRestartedAsKubectlRefuses() {
        shipDeployment("paused-app", d -> { }, "1.0", "1.1");
        cluster.store().mutate(Resources.DEPLOYMENTS, Sim.NS, "paused-app", null, d -> {
            ((ObjectNode) d.get("spec")).put("paused", true);
            return true;
        });
        refused(Outcome.REFUSED, Action.RESTORE_VERSION, "paused-app", Map.of(), Resources.DEPLOYMENTS,
                "the Deployment is paused: kubectl refuses to roll back a paused deployment; resume it first (kubectl rollout resume)");
        refused(Outcome.REFUSED, Action.RESTART, "paused-app", Map.of(), Resources.DEPLOYMENTS,
                "the Deployment is paused: kubectl cannot restart a paused deployment; resume it first (kubectl rollout resume)");
        unavailable(Action.RESTORE_VERSION, "paused-app",
                "the Deployment is paused: kubectl refuses to roll back a paused deployment; resume it first (kubectl rollout resume)");
        unavailable(Action.RESTART, "paused-app",
                "the Deployment is paused: kubectl cannot restart a paused deployment; resume it first (kubectl rollout resume)");
        available(Action.SCALE, "paused-app");
        // scaling a paused Deployment is allowed, as kubectl scale does it
        CommandResult scale = admin.commands().plan(CommandRequest.of(Action.SCALE, ENV, "paused-app", Map.of("replicas", "2")));
        assertThat(scale.outcome()).isEqualTo(Outcome.PLANNED);
    }

    @Test
    void restoringTheVersionThatAlreadyRunsIsSkipped() {
        shipDeployment("same-app", d -> { }, "1.0", "1.1");
        refused(Outcome.SKIPPED, Action.RESTORE_VERSION, "same-app", Map.of("toVersion", "1.1"), Resources.DEPLOYMENTS,
                "skipped: same-app already runs version 1.1 (revision 2)");
        refused(Outcome.SKIPPED, Action.RESTORE_VERSION, "same-app", Map.of("toRevision", "2"), Resources.DEPLOYMENTS,
                "skipped: same-app already runs version 1.1 (revision 2)");
    }

    @Test
    void aPrunedVersionIsNoLongerAvailable() {
        shipDeployment("pruned-app", d -> ((ObjectNode) d.get("spec")).put("revisionHistoryLimit", 1), "1.0", "1.1", "1.2");
        eventually(() -> assertThat(Sim.replicaSets(cluster, Sim.deploymentIn(cluster, "pruned-app"))).hasSize(2));
        refused(Outcome.REFUSED, Action.RESTORE_VERSION, "pruned-app", Map.of("toVersion", "1.0"), Resources.DEPLOYMENTS,
                "version 1.0 is not restorable (outside revision history): no ReplicaSet of it is kept (pruned by revisionHistoryLimit, or never deployed). Kept: revision 3 = 1.2, revision 2 = 1.1");
        refused(Outcome.REFUSED, Action.RESTORE_VERSION, "pruned-app", Map.of("toRevision", "1"), Resources.DEPLOYMENTS,
                "revision 1 is not restorable (outside revision history): its ReplicaSet was pruned or never existed. Kept: revision 3 = 1.2, revision 2 = 1.1");
        // the kept one can still be restored
        assertThat(admin.commands().plan(CommandRequest.of(Action.RESTORE_VERSION, ENV, "pruned-app", Map.of())).outcome())
                .isEqualTo(Outcome.PLANNED);

        shipDeployment("no-history", d -> ((ObjectNode) d.get("spec")).put("revisionHistoryLimit", 0), "1.0", "1.1");
        eventually(() -> assertThat(Sim.replicaSets(cluster, Sim.deploymentIn(cluster, "no-history"))).hasSize(1));
        refused(Outcome.REFUSED, Action.RESTORE_VERSION, "no-history", Map.of(), Resources.DEPLOYMENTS,
                "no previous version to restore: older versions are not restorable (outside revision history); kept: revision 2 = 1.1");
        unavailable(Action.RESTORE_VERSION, "no-history", "no other version to restore: older versions are not restorable (outside revision history)"
                + " — their ReplicaSets are gone");
        available(Action.RESTORE_VERSION, "pruned-app");
    }

    @Test
    void scalingAWorkloadAnHpaManagesIsRefusedUnlessForcedAndItsRangeCanBeChangedInstead() {
        shipDeployment("autoscaled", d -> { }, "1.0");
        cluster.apply("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: autoscaled-hpa
                  namespace: apps
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: autoscaled
                  minReplicas: 2
                  maxReplicas: 4
                """);
        CommandResult refused = admin.commands().run(CommandRequest.of(Action.SCALE, ENV, "autoscaled", Map.of("replicas", "6")));
        assertThat(refused.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(refused.message()).isEqualTo("scaled by HorizontalPodAutoscaler autoscaled-hpa (min 2, max 4): change its range with"
                + " --hpa-min/--hpa-max, or --force to scale anyway (the autoscaler will change it back)");
        assertThat(refused.autoscaler()).isEqualTo(new Autoscaler("apps", "autoscaled-hpa", "autoscaling/v2", 2, 4));
        assertThat(refused.requests()).isEmpty();
        assertThat(Sim.deploymentIn(cluster, "autoscaled").at("/spec/replicas").asInt()).isEqualTo(1);

        CommandResult outside = admin.commands().run(CommandRequest.of(Action.SCALE, ENV, "autoscaled", Map.of("replicas", "6", "force", "true")));
        assertThat(outside.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outside.warnings()).containsExactly("HorizontalPodAutoscaler autoscaled-hpa (min 2, max 4) manages the replicas of autoscaled:"
                + " it will change them back into 2–4");
        assertThat(outside.message()).contains("forced although HorizontalPodAutoscaler autoscaled-hpa (min 2, max 4) manages them");
        assertThat(Sim.deploymentIn(cluster, "autoscaled").at("/spec/replicas").asInt()).isEqualTo(6);
        CommandResult inside = admin.commands().run(CommandRequest.of(Action.SCALE, ENV, "autoscaled", Map.of("replicas", "3", "force", "true")));
        assertThat(inside.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(inside.warnings()).containsExactly("HorizontalPodAutoscaler autoscaled-hpa (min 2, max 4) manages the replicas of autoscaled:"
                + " it will change them again as load changes");

        CommandResult range = admin.commands().plan(CommandRequest.of(Action.SCALE, ENV, "autoscaled", Map.of("hpaMin", "3", "hpaMax", "5")));
        assertThat(range.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(range.requests()).singleElement().satisfies(p -> {
            assertThat(p.method() + " " + p.path()).isEqualTo("PATCH /apis/autoscaling/v2/namespaces/apps/horizontalpodautoscalers/autoscaled-hpa");
            assertThat(p.body()).isEqualTo("{\"spec\":{\"minReplicas\":3,\"maxReplicas\":5}}");
        });
        assertThat(admin.commands().plan(CommandRequest.of(Action.SCALE, ENV, "autoscaled", Map.of("hpaMin", "2", "hpaMax", "4"))).outcome())
                .isEqualTo(Outcome.SKIPPED);
        assertThat(admin.commands().plan(CommandRequest.of(Action.SCALE, ENV, "autoscaled", Map.of("hpaMin", "0"))).message())
                .isEqualTo("the autoscaler's minimum must be 1 or more, got 0");
        // another workload's HPA does not warn
        shipDeployment("unscaled", d -> { }, "1.0");
        assertThat(admin.commands().plan(CommandRequest.of(Action.SCALE, ENV, "unscaled", Map.of("replicas", "3"))).warnings()).isEmpty();
    }

    @Test
    void rolloutOnlyActionsAreRefusedOnADeployment() {
        shipDeployment("plain-app", d -> { }, "1.0");
        for (Action a : List.of(Action.PROMOTE, Action.PROMOTE_FULL, Action.RETRY, Action.CANCEL)) {
            String word = a.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            refused(Outcome.REFUSED, a, "plain-app", Map.of(), Resources.DEPLOYMENTS,
                    word + " applies to Argo Rollouts only; plain-app is a Deployment");
            unavailable(a, "plain-app", word + " applies to Argo Rollouts only; plain-app is a Deployment");
        }
    }

    @Test
    void anActionTurnedOffByAnAnnotationIsRefused() {
        for (String prefix : List.of("shipdeck.dev/", "circleci.com/")) {
            String name = "off-" + prefix.substring(0, prefix.indexOf('.'));
            ObjectNode r = Sim.rollout(name, "1.0", 1, STEPS);
            for (Action a : Action.values()) r.withObject("/metadata/annotations").put(prefix + a.annotationWord() + "-enabled", "false");
            healthyRollout(name, r);
            for (Action a : Action.values()) {
                String reason = "turned off for this component by the annotation " + prefix + a.annotationWord() + "-enabled: \"false\"";
                refused(Outcome.REFUSED, a, name, Map.of("replicas", "2"), rollouts, reason);
                unavailable(a, name, reason);
            }
        }
        // a value other than "false" leaves it on
        ObjectNode on = Sim.deployment("on-app", "1.0", 1);
        on.withObject("/metadata/annotations").put("shipdeck.dev/scale-component-enabled", "true");
        apply(on);
        Sim.awaitDeploymentSettled(cluster, "on-app");
        assertThat(admin.commands().plan(CommandRequest.of(Action.SCALE, ENV, "on-app", Map.of("replicas", "2"))).outcome())
                .isEqualTo(Outcome.PLANNED);
        available(Action.SCALE, "on-app");
    }

    @Test
    void rolloutStateGuards() {
        healthyRollout("healthy-ro", Sim.rollout("healthy-ro", "1.0", 2, STEPS));
        refused(Outcome.REFUSED, Action.RETRY, "healthy-ro", Map.of(), rollouts, "only an aborted rollout can be retried");
        refused(Outcome.REFUSED, Action.CANCEL, "healthy-ro", Map.of(), rollouts,
                "only a progressing or paused rollout can be cancelled (it is Healthy)");
        refused(Outcome.REFUSED, Action.PROMOTE, "healthy-ro", Map.of(), rollouts, "nothing to promote: the rollout is fully promoted");
        refused(Outcome.REFUSED, Action.PROMOTE_FULL, "healthy-ro", Map.of(), rollouts, "nothing to promote: the rollout is fully promoted");
        unavailable(Action.RETRY, "healthy-ro", "only an aborted rollout can be retried");
        unavailable(Action.CANCEL, "healthy-ro", "only a progressing or paused rollout can be cancelled (it is Healthy)");
        unavailable(Action.PROMOTE, "healthy-ro", "nothing to promote: the rollout is fully promoted");
        available(Action.RESTART, "healthy-ro");

        pausedRollout("healthy-ro", Sim.rollout("healthy-ro", "1.1", 2, STEPS));
        refused(Outcome.REFUSED, Action.RETRY, "healthy-ro", Map.of(), rollouts, "only an aborted rollout can be retried");
        available(Action.PROMOTE, "healthy-ro");
        available(Action.PROMOTE_FULL, "healthy-ro");
        available(Action.CANCEL, "healthy-ro");
        CommandResult cancel = admin.commands().run(CommandRequest.of(Action.CANCEL, ENV, "healthy-ro", Map.of()));
        assertThat(cancel.outcome()).isEqualTo(Outcome.SUCCEEDED);
        eventually(() -> {
            ObjectNode r = Sim.get(cluster, rollouts, "healthy-ro");
            assertThat(r.at("/status/phase").asText()).isEqualTo("Degraded");
            assertThat(r.at("/status/replicas").asInt()).isEqualTo(2);
            assertThat(r.at("/status/availableReplicas").asInt()).isEqualTo(2);
        });

        refused(Outcome.REFUSED, Action.PROMOTE, "healthy-ro", Map.of(), rollouts, "the rollout is aborted: retry it before promoting");
        refused(Outcome.REFUSED, Action.PROMOTE_FULL, "healthy-ro", Map.of(), rollouts, "the rollout is aborted: retry it before promoting");
        refused(Outcome.REFUSED, Action.CANCEL, "healthy-ro", Map.of(), rollouts,
                "only a progressing or paused rollout can be cancelled (it is Degraded)");
        assertThat(admin.commands().plan(CommandRequest.of(Action.RETRY, ENV, "healthy-ro", Map.of())).outcome()).isEqualTo(Outcome.PLANNED);
        unavailable(Action.PROMOTE, "healthy-ro", "the rollout is aborted: retry it before promoting");
        unavailable(Action.CANCEL, "healthy-ro", "only a progressing or paused rollout can be cancelled (it is Degraded)");
        available(Action.RETRY, "healthy-ro");
    }

    @Test
    void aSecondRestartWithinTheSameSecondIsRefusedAsKubectlDoes() {
        shipDeployment("twice-app", d -> { }, "1.0");
        java.time.Clock frozen = java.time.Clock.fixed(java.time.Instant.parse("2030-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        try (Sim.Connection c = Sim.connect(sim, dir.resolve("frozen"), ClusterSim.ADMIN, frozen)) {
            CommandResult first = c.commands().run(CommandRequest.of(Action.RESTART, ENV, "twice-app", Map.of()));
            assertThat(first.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(first.requests().get(0).body())
                    .isEqualTo("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2030-01-01T00:00:00Z\"}}}}}");
            assertThat(first.record().at()).isEqualTo(java.time.Instant.parse("2030-01-01T00:00:00Z"));
            Sim.awaitDeploymentSettled(cluster, "twice-app");
            String rv = settledResourceVersion(Resources.DEPLOYMENTS, "twice-app");
            CommandResult second = c.commands().run(CommandRequest.of(Action.RESTART, ENV, "twice-app", Map.of()));
            assertThat(second.outcome()).isEqualTo(Outcome.REFUSED);
            assertThat(second.message()).isEqualTo("twice-app was restarted within the past second; wait a moment and try again");
            assertThat(second.requests()).isEmpty();
            assertThat(Sim.rv(Sim.deploymentIn(cluster, "twice-app"))).isEqualTo(rv);
        }
    }

    @Test
    void aRolloutWithAWorkloadRefIsNotRestoredFromItsOwnTemplate() {
        apply((ObjectNode) Sim.parse("""
                {"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout",
                 "metadata":{"name":"ref-ro","namespace":"apps","labels":{"shipdeck.dev/component-name":"ref-ro"}},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"ref-ro"}},
                         "workloadRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"ref-deploy"},
                         "strategy":{"canary":{"steps":[{"setWeight":50}]}}}}"""));
        refused(Outcome.REFUSED, Action.RESTORE_VERSION, "ref-ro", Map.of(), rollouts,
                "ref-ro takes its pod template from Deployment ref-deploy (spec.workloadRef): restore a version there,"
                        + " e.g. kubectl argo rollouts undo ref-ro");
    }

    @Test
    void badArgumentsAreRefused() {
        shipDeployment("args-app", d -> { }, "1.0", "1.1");
        refused(Outcome.REFUSED, Action.SCALE, "args-app", Map.of("replicas", "many"), Resources.DEPLOYMENTS,
                "replicas must be a whole number, got \"many\"");
        refused(Outcome.REFUSED, Action.SCALE, "args-app", Map.of("replicas", "-1"), Resources.DEPLOYMENTS,
                "replicas must be 0 or more, got -1");
        refused(Outcome.REFUSED, Action.RESTORE_VERSION, "args-app", Map.of("toRevision", "two"), Resources.DEPLOYMENTS,
                "revision must be a number, got \"two\"");
        refused(Outcome.REFUSED, Action.RESTORE_VERSION, "args-app", Map.of("toVersion", "9.9"), Resources.DEPLOYMENTS,
                "version 9.9 is not restorable (outside revision history): no ReplicaSet of it is kept (pruned by revisionHistoryLimit, or never deployed). Kept: revision 2 = 1.1, revision 1 = 1.0");
    }
}

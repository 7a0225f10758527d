package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.sim.Authz;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Faults;
import dev.shipdeck.sim.ResourceType;
import dev.shipdeck.sim.SimCluster;
import dev.shipdeck.sim.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Permissions are checked (SelfSubjectAccessReview) for every write before the first one is sent; a dry run sends
 * nothing and shows the exact requests; every executed action is recorded with who, what, when and the outcome.
 */
class CommandsPermissionsTest {
    private static final String ENV = "sim";
    private static final String[] STEPS = {"{\"setWeight\":20}", "{\"pause\":{}}"};

    @TempDir
    static Path dir;
    /** cluster-sim, or the real control plane in the real tier (where only the viewer's refusals run). */
    private static TestCluster target;
    /** The namespace of the workloads: "apps" on cluster-sim. */
    private static String ns;
    private static String DEPLOY;
    private static ClusterSim sim;
    private static SimCluster cluster;
    private static ResourceType rollouts;
    private static Sim.Connection admin;
    private static Sim.Connection viewer;
    private static Sim.Connection scaler;
    /** Every request the API server receives, as the fault rules see it (cluster-sim only). */
    private static final List<Faults.Call> calls = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        target = TestCluster.builder().context(ENV).tag("perms").speed(20).rollouts().start(dir);
        ns = target.ns(Sim.NS);
        DEPLOY = "/apis/apps/v1/namespaces/" + ns + "/deployments/";
        Path environments = Sim.environment(dir.resolve("own-environments.yaml"), ENV, ENV, ns);
        sim = target.sim().orElse(null);
        cluster = target.simCluster().orElse(null);
        if (sim != null) {
            rollouts = cluster.rollouts();
            // may read everything, and patch only deployments/scale and rollouts/status in "apps"
            sim.addUser("scaler", List.of("operators"), List.of(Authz.Rule.readOnly(),
                    new Authz.Rule(Set.of("patch"), Set.of("apps", "argoproj.io"), Set.of("deployments/scale", "rollouts/status"), Set.of(Sim.NS))));
            // no cluster-wide rights at all: a Role in "apps" only (bound below)
            sim.addUser("team", List.of("team-a"), List.of());
            scaler = Sim.connect(target, "scaler", java.time.Clock.systemUTC(), environments);
        }
        admin = Sim.connect(target, TestCluster.ADMIN, java.time.Clock.systemUTC(), environments);
        viewer = Sim.connect(target, TestCluster.VIEWER, java.time.Clock.systemUTC(), environments);
        for (String v : List.of("1.0", "1.1")) {
            target.apply(Sim.stream(List.of(in(Sim.deployment("guarded", v, 2)))));
            Sim.awaitDeploymentSettled(target, ns, "guarded");
        }
        target.apply(Sim.stream(List.of(in(Sim.rollout("guarded-ro", "1.0", 2, STEPS)))));
        await().atMost(target.patience()).until(() -> "Healthy".equals(rollout("guarded-ro").at("/status/phase").asText()));
        target.apply(Sim.stream(List.of(in(Sim.rollout("guarded-ro", "1.1", 2, STEPS)))));
        await().atMost(target.patience()).until(() -> "Paused".equals(rollout("guarded-ro").at("/status/phase").asText()));
        target.mergePatch(TestCluster.Kind.ROLLOUTS, ns, "guarded-ro", null, "{\"spec\":{\"paused\":true}}");
        await().atMost(target.patience()).until(() -> "manually paused".equals(rollout("guarded-ro").at("/status/message").asText()));
        if (cluster != null) {
            cluster.faults().fail(c -> {
                calls.add(c);
                return false;
            }, 500, Integer.MAX_VALUE);
        }
    }

    private static ObjectNode in(ObjectNode workload) {
        ((ObjectNode) workload.get("metadata")).put("namespace", ns);
        return workload;
    }

    private static ObjectNode rollout(String name) {
        return target.get(TestCluster.Kind.ROLLOUTS, ns, name);
    }

    private static ObjectNode deployment(String name) {
        return target.get(TestCluster.Kind.DEPLOYMENTS, ns, name);
    }

    @AfterAll
    static void stop() {
        for (Sim.Connection c : new Sim.Connection[] {admin, viewer, scaler}) {
            if (c != null) c.close();
        }
        if (target != null) target.close();
    }

    @BeforeEach
    void quiet() {
        target.awaitQuiet(Duration.ofSeconds(5));
        calls.clear();
    }

    /** Requests that change something (not reads, not the access/identity reviews). */
    private static List<String> writes() {
        return calls.stream().filter(c -> !c.method().equals("GET") && !c.path().contains("/selfsubject"))
                .map(c -> c.method() + " " + c.path()).toList();
    }

    /** The viewer: cluster-sim's read-only user, and on the real control plane a user bound to the ClusterRole view. */
    @Test
    @Tag("real")
    void aViewersActionIsRefusedBeforeAnyWrite() {
        String rv = Sim.rv(deployment("guarded"));
        String where = " in namespace " + ns + " (" + ENV + ")";
        Map<Action, String> reasons = Map.of(
                Action.RESTORE_VERSION, "RBAC: viewer may not patch deployments" + where,
                Action.RESTART, "RBAC: viewer may not patch deployments" + where,
                Action.SCALE, "RBAC: viewer may not patch deployments/scale" + where);
        for (var e : reasons.entrySet()) {
            CommandResult r = viewer.commands().run(CommandRequest.of(e.getKey(), ENV, "guarded", Map.of("replicas", "3")));
            assertThat(r.outcome()).as("%s", e.getKey()).isEqualTo(Outcome.REFUSED);
            assertThat(r.message()).isEqualTo(e.getValue());
            assertThat(r.requests()).as("nothing sent").isEmpty();
            assertThat(r.record().who()).isEqualTo("viewer");
            assertThat(r.record().outcome()).isEqualTo(Outcome.REFUSED);
            assertThat(Sim.availability(viewer, ENV, "guarded", e.getKey())).isEqualTo(Availability.no(e.getValue()));
        }
        CommandResult promote = viewer.commands().run(CommandRequest.of(Action.PROMOTE, ENV, "guarded-ro", Map.of()));
        assertThat(promote.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(promote.message()).isEqualTo("RBAC: viewer may not patch rollouts/status" + where);
        assertThat(Sim.availability(viewer, ENV, "guarded-ro", Action.PROMOTE)).isEqualTo(Availability.no(promote.message()));

        assertThat(writes()).isEmpty(); // (cluster-sim sees every request; on the real one the unchanged resourceVersion says it)
        assertThat(Sim.rv(deployment("guarded"))).isEqualTo(rv);
        assertThat(viewer.commands().history(ENV, "guarded")).extracting(CommandRecord::outcome).containsOnly(Outcome.REFUSED).hasSize(3);
        // the dry run of a refused action says so, and shows what would have been sent
        CommandResult plan = viewer.commands().plan(CommandRequest.of(Action.SCALE, ENV, "guarded", Map.of("replicas", "3")));
        assertThat(plan.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(plan.requests()).extracting(PlannedRequest::path).containsExactly(DEPLOY + "guarded/scale");
        assertThat(writes()).isEmpty();
    }

    @Test
    void everyWriteOfAnActionIsCheckedBeforeTheFirstIsSent() {
        // scaler may patch rollouts/status but not the rollout itself: promoting a manually paused rollout needs both
        ObjectNode before = Sim.get(cluster, rollouts, "guarded-ro");
        CommandResult promote = scaler.commands().run(CommandRequest.of(Action.PROMOTE, ENV, "guarded-ro", Map.of()));
        assertThat(promote.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(promote.message()).isEqualTo("RBAC: scaler may not patch rollouts in namespace apps (sim)");
        assertThat(promote.requests()).isEmpty();
        assertThat(writes()).as("not even the allowed status patch was sent").isEmpty();
        assertThat(Sim.get(cluster, rollouts, "guarded-ro").at("/status/pauseConditions")).isEqualTo(before.at("/status/pauseConditions"));

        assertThat(Sim.availability(scaler, ENV, "guarded", Action.SCALE)).isEqualTo(Availability.YES);
        assertThat(Sim.availability(scaler, ENV, "guarded", Action.RESTART))
                .isEqualTo(Availability.no("RBAC: scaler may not patch deployments in namespace apps (sim)"));
        CommandResult scale = scaler.commands().run(CommandRequest.of(Action.SCALE, ENV, "guarded", Map.of("replicas", "2")));
        assertThat(scale.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(scale.record().who()).isEqualTo("scaler");
        // then the Event on the workload, which this user may not create: noted, and the scale still succeeded
        assertThat(writes()).containsExactly("PATCH " + DEPLOY + "guarded/scale", "POST /api/v1/namespaces/apps/events");
        assertThat(scale.message()).startsWith("scale guarded from ").contains("; note: the Event on the workload could not be written (403");
    }

    @Test
    void aUserWithRightsInOneNamespaceActsThroughAnEnvironmentOfThatNamespace() throws java.io.IOException {
        cluster.apply("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: team-a-deployer, namespace: apps}
                rules:
                  - apiGroups: ["apps", "argoproj.io"]
                    resources: ["deployments", "deployments/scale", "replicasets", "rollouts", "rollouts/status"]
                    verbs: ["get", "list", "watch", "patch"]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: team-a-deployer, namespace: apps}
                subjects: [{kind: Group, name: team-a}]
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: team-a-deployer}
                """);
        Path environments = java.nio.file.Files.writeString(dir.resolve("environments.yaml"), """
                environments:
                  - context: sim
                    name: team-a
                    namespaces: [apps]
                """);
        try (Sim.Connection team = Sim.connect(sim, dir.resolve("team"), "team", java.time.Clock.systemUTC(), environments)) {
            CommandResult scale = team.commands().run(CommandRequest.of(Action.SCALE, "team-a", "guarded", Map.of("replicas", "2")));
            assertThat(scale.outcome()).as(scale.message()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(scale.record().who()).isEqualTo("team");
            CommandResult plan = team.commands().plan(CommandRequest.of(Action.RESTORE_VERSION, "team-a", "guarded", Map.of()));
            assertThat(plan.outcome()).as(plan.message()).isEqualTo(Outcome.PLANNED);
            assertThat(writes()).containsExactly("PATCH " + DEPLOY + "guarded/scale", "POST /api/v1/namespaces/apps/events");
            assertThat(calls).extracting(Faults.Call::path).doesNotContain("/apis/apps/v1/deployments");
        }
    }

    @Test
    void aDryRunWritesNothingAndShowsTheExactRequestsTheRunSends() {
        ObjectNode d = Sim.deploymentIn(cluster, "guarded");
        String rv = Sim.rv(d);
        int historyBefore = admin.commands().history(ENV, "guarded").size();

        CommandResult plan = admin.commands().plan(CommandRequest.of(Action.RESTORE_VERSION, ENV, "guarded", Map.of()));
        assertThat(plan.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(plan.message()).isEqualTo("restore guarded to version 1.0 (revision 1)");
        assertThat(plan.record()).isNull();
        assertThat(plan.requests()).hasSize(1);
        PlannedRequest p = plan.requests().get(0);
        assertThat(p.method()).isEqualTo("PATCH");
        assertThat(p.path()).isEqualTo(DEPLOY + "guarded");
        assertThat(p.contentType()).isEqualTo("application/json-patch+json");
        JsonNode ops = Sim.parse(p.body());
        assertThat(ops).hasSize(3);
        assertThat(ops.get(0).toString()).isEqualTo("{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + rv + "\"}");
        assertThat(ops.get(1).path("path").asText()).isEqualTo("/spec/template");
        assertThat(ops.get(1).path("value")).isEqualTo(Sim.deployment("guarded", "1.0", 2).at("/spec/template"));
        assertThat(ops.get(2).path("path").asText()).isEqualTo("/metadata/annotations");
        assertThat(ops.get(2).path("value").toString()).isEqualTo("{\"deployment.kubernetes.io/revision\":\"2\","
                + "\"kubernetes.io/change-cause\":\"deploy 1.0\",\"shipdeck.dev/commit-sha\":\"sha-1-0\"}");
        assertThat(writes()).isEmpty();
        assertThat(Sim.rv(Sim.deploymentIn(cluster, "guarded"))).isEqualTo(rv);
        assertThat(admin.commands().history(ENV, "guarded")).hasSize(historyBefore);

        for (Action a : List.of(Action.RESTART, Action.SCALE)) {
            CommandResult other = admin.commands().plan(CommandRequest.of(a, ENV, "guarded", Map.of("replicas", "4")));
            assertThat(other.outcome()).isEqualTo(Outcome.PLANNED);
            assertThat(other.requests()).hasSize(1);
        }
        for (Action a : List.of(Action.PROMOTE, Action.PROMOTE_FULL, Action.CANCEL, Action.RESTART)) {
            assertThat(admin.commands().plan(CommandRequest.of(a, ENV, "guarded-ro", Map.of())).outcome()).as("%s", a).isEqualTo(Outcome.PLANNED);
        }
        assertThat(writes()).isEmpty();
        assertThat(Sim.rv(Sim.deploymentIn(cluster, "guarded"))).isEqualTo(rv);

        // the run sends exactly what the dry run showed
        CommandResult run = admin.commands().run(CommandRequest.of(Action.RESTORE_VERSION, ENV, "guarded", Map.of()));
        assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(run.requests()).isEqualTo(plan.requests());
        // (and, after it, the command's Event on the workload)
        assertThat(writes()).containsExactly("PATCH " + DEPLOY + "guarded", "POST /api/v1/namespaces/apps/events");
        assertThat(run.message()).doesNotContain("note:");
        Sim.awaitDeploymentSettled(cluster, "guarded");
        assertThat(Sim.version(Sim.deploymentIn(cluster, "guarded"))).isEqualTo("1.0");
    }

    @Test
    void everyExecutedActionIsRecordedWithWhoWhatWhenAndOutcome() {
        Instant before = Instant.now();
        CommandResult ok = admin.commands().run(CommandRequest.of(Action.SCALE, ENV, "guarded", Map.of("replicas", "3")));
        CommandResult refused = admin.commands().run(CommandRequest.of(Action.PROMOTE, ENV, "guarded", Map.of()));
        cluster.faults().fail(c -> c.method().equals("PATCH") && c.path().endsWith("/guarded"), 500, 1);
        CommandResult failed = admin.commands().run(CommandRequest.of(Action.RESTART, ENV, "guarded", Map.of()));
        Instant after = Instant.now();

        assertThat(ok.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(refused.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.message()).isEqualTo("the API server refused: injected server error (500)");
        for (CommandResult r : List.of(ok, refused, failed)) {
            CommandRecord rec = r.record();
            assertThat(rec).isNotNull();
            assertThat(rec.who()).isEqualTo("admin");
            assertThat(rec.environment()).isEqualTo(ENV);
            assertThat(rec.component()).isEqualTo("guarded");
            assertThat(rec.namespace()).isEqualTo(Sim.NS);
            assertThat(rec.workload()).isEqualTo("guarded");
            assertThat(rec.at()).isBetween(before, after);
            assertThat(rec.outcome()).isEqualTo(r.outcome());
            assertThat(rec.message()).isEqualTo(r.message());
        }
        assertThat(ok.record().action()).isEqualTo(Action.SCALE);
        assertThat(ok.record().args()).isEqualTo(Map.of("replicas", "3"));
        List<CommandRecord> history = admin.commands().history(ENV, "guarded");
        assertThat(history).contains(ok.record(), refused.record(), failed.record());
        assertThat(history).isSortedAccordingTo(java.util.Comparator.comparing(CommandRecord::at).reversed());
        assertThat(admin.commands().history(ENV, "guarded-ro")).doesNotContain(ok.record());
        assertThat(admin.commands().history(null, null)).contains(ok.record(), refused.record(), failed.record());
    }

    @Test
    void aFailedSelfSubjectReviewIsAskedAgainSoTheNextRecordNamesTheRealUser() {
        // a fresh connection: nothing cached yet
        try (Sim.Connection auditor = Sim.connect(sim, dir.resolve("auditor"), ClusterSim.ADMIN)) {
            cluster.faults().fail(c -> c.path().endsWith("/selfsubjectreviews"), 503, 1);
            CommandResult first = auditor.commands().run(CommandRequest.of(Action.SCALE, ENV, "guarded", Map.of("replicas", "2")));
            assertThat(first.outcome()).isEqualTo(Outcome.SUCCEEDED);
            // the server could not say who this is: the kubeconfig's user entry is the best there is, this once
            assertThat(first.record().who()).isEqualTo("sim-admin");

            CommandResult second = auditor.commands().run(CommandRequest.of(Action.SCALE, ENV, "guarded", Map.of("replicas", "2")));
            assertThat(second.record().who()).as("asked again once the server answers").isEqualTo("admin");
            assertThat(auditor.commands().whoAmI(ENV)).isEqualTo("admin");
        }
    }
}

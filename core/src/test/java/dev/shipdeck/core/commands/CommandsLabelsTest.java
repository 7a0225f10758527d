package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.Environments;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.records.ClusterCommandLog;
import dev.shipdeck.core.records.CommandRecords;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.core.records.ReleaseCommandRecord;
import dev.shipdeck.sim.Authz;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Faults;
import dev.shipdeck.sim.SimCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Editing a component's labels is a command like the others: the exact merge patch of the shipdeck.dev/labels
 * annotation, a permission check (patch on the workload) first, a dry run that sends nothing, guards for valid
 * key:value labels (at most 20), and a ReleaseCommand audit record of who changed them.
 */
class CommandsLabelsTest {
    private static final String ENV = "sim";
    private static final String PATH = "/apis/apps/v1/namespaces/" + Sim.NS + "/deployments/web";

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static SimCluster cluster;
    private static KubeClients adminClients;
    private static Commands admin;
    private static Sim.Connection scaler;
    private static final List<Faults.Call> calls = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        cluster = sim.cluster(ENV);
        cluster.apply(String.join("---\n", Crds.yaml()));
        sim.addUser("scaler", List.of("operators"), List.of(Authz.Rule.readOnly(),
                new Authz.Rule(Set.of("patch"), Set.of("apps"), Set.of("deployments/scale"), Set.of(Sim.NS))));
        ObjectNode web = Sim.deployment("web", "1.0", 1);
        web.withObject("/metadata/annotations").put("shipdeck.dev/labels", "team:shop");
        ObjectNode off = Sim.deployment("frozen", "1.0", 1);
        off.withObject("/metadata/annotations").put("shipdeck.dev/labels", "team:shop").put("shipdeck.dev/edit-labels-enabled", "false");
        cluster.apply(Sim.stream(List.of(web, off)));
        Kubeconfig kc = Kubeconfig.load(List.of(sim.writeKubeconfig(dir.resolve("admin"), ClusterSim.ADMIN)), true);
        adminClients = new KubeClients(kc, KubeClients.Options.CLI);
        List<Environment> envs = Environments.resolve(kc, null);
        admin = new Commands(adminClients, envs, new ClusterCommandLog(adminClients, envs, Clock.systemUTC()), Clock.systemUTC());
        scaler = Sim.connect(sim, dir.resolve("scaler"), "scaler");
        cluster.faults().fail(c -> {
            calls.add(c);
            return false;
        }, 500, Integer.MAX_VALUE);
    }

    @AfterAll
    static void stop() {
        if (scaler != null) scaler.close();
        if (adminClients != null) adminClients.close();
        if (sim != null) sim.close();
    }

    @BeforeEach
    void reset() {
        cluster.store().mutate(dev.shipdeck.sim.Resources.DEPLOYMENTS, Sim.NS, "web", null, d -> {
            ((ObjectNode) d.path("metadata").path("annotations")).put("shipdeck.dev/labels", "team:shop");
            return true;
        });
        calls.clear();
    }

    private static String labelsOnTheCluster(String name) {
        return Sim.get(cluster, dev.shipdeck.sim.Resources.DEPLOYMENTS, name).path("metadata").path("annotations").path("shipdeck.dev/labels")
                .asText(null);
    }

    /** The writes to workloads (not reads, reviews, the audit records, or the command's Event). */
    private static List<String> writes() {
        return calls.stream().filter(c -> !c.method().equals("GET") && !c.path().contains("/selfsubject") && !c.path().startsWith("/apis/shipdeck.dev/")
                        && !c.path().endsWith("/events"))
                .map(c -> c.method() + " " + c.path()).toList();
    }

    private static CommandRequest labels(String component, Map<String, String> args) {
        return CommandRequest.of(Action.EDIT_LABELS, ENV, component, args);
    }

    @Test
    void aDryRunShowsTheExactMergePatchAndSendsNothing() {
        CommandResult plan = admin.plan(labels("web", Map.of("labels", "team:payments, role:web")));

        assertThat(plan.outcome()).isEqualTo(Outcome.PLANNED);
        assertThat(plan.message()).isEqualTo("set the labels of web to role:web, team:payments (were: team:shop)");
        assertThat(plan.requests()).containsExactly(new PlannedRequest("PATCH", PATH, "application/merge-patch+json",
                "{\"metadata\":{\"annotations\":{\"shipdeck.dev/labels\":\"role:web, team:payments\"}}}"));
        assertThat(writes()).isEmpty();
        assertThat(labelsOnTheCluster("web")).isEqualTo("team:shop");
    }

    @Test
    void runningItPatchesTheAnnotationAndLeavesAnAuditRecord() {
        CommandResult r = admin.run(labels("web", Map.of("labels", "team:payments, role:web")));

        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(writes()).containsExactly("PATCH " + PATH);
        assertThat(calls).filteredOn(c -> c.path().endsWith("/events")).as("its Event").extracting(c -> c.method() + " " + c.path())
                .containsExactly("POST /api/v1/namespaces/apps/events");
        assertThat(labelsOnTheCluster("web")).isEqualTo("role:web, team:payments");
        List<ReleaseCommandRecord> audit = new CommandRecords(adminClients.clientNow(ENV)).list(List.of(Sim.NS)).stream()
                .filter(c -> c.spec().action() == Action.EDIT_LABELS).toList();
        assertThat(audit).anySatisfy(c -> {
            assertThat(c.spec().component()).isEqualTo("web");
            assertThat(c.spec().requester()).isEqualTo(ClusterSim.ADMIN);
            assertThat(c.spec().args()).containsEntry("labels", "team:payments, role:web");
            assertThat(c.phase().name()).isEqualTo("SUCCEEDED");
        });
        assertThat(admin.history(ENV, "web")).extracting(CommandRecord::action).contains(Action.EDIT_LABELS);

        CommandResult again = admin.run(labels("web", Map.of("labels", "role:web, team:payments")));
        assertThat(again.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(again.message()).isEqualTo("the labels of web are already role:web, team:payments");
    }

    @Test
    void labelsCanBeAddedAndRemovedOneByOneAndAllOfThemCleared() {
        assertThat(admin.run(labels("web", Map.of("add", "tier:prod, role:web"))).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(labelsOnTheCluster("web")).isEqualTo("role:web, team:shop, tier:prod");

        CommandResult removed = admin.run(labels("web", Map.of("remove", "role, tier:prod", "add", "team:payments")));
        assertThat(removed.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(labelsOnTheCluster("web")).isEqualTo("team:payments, team:shop");

        CommandResult cleared = admin.run(labels("web", Map.of("labels", "")));
        assertThat(cleared.message()).isEqualTo("remove every label of web (were: team:payments, team:shop)");
        assertThat(cleared.requests()).extracting(PlannedRequest::body)
                .containsExactly("{\"metadata\":{\"annotations\":{\"shipdeck.dev/labels\":null}}}");
        assertThat(labelsOnTheCluster("web")).isNull();
    }

    @Test
    void theGuardsRefuseBadLabelsAndMoreThanTwentyBeforeAnythingIsSent() {
        String many = IntStream.rangeClosed(1, 21).mapToObj(i -> "k" + i + ":v").collect(Collectors.joining(","));
        Map<Map<String, String>, String> refusals = Map.of(
                Map.of("labels", many), "21 labels given; at most 20 are allowed (remove 1 of them)",
                Map.of("labels", "team"), "label \"team\" has no value (write it as key:value, e.g. team:payments)",
                Map.of("add", "te am:x"), "invalid label key \"te am\" (a key is 1-63 letters, digits, '.', '_', '-' or '/', starting and ending with a letter or digit)",
                Map.of(), "no labels given: say which labels web should have (e.g. team:payments, role:web)",
                Map.of("labels", "a:b", "add", "c:d"), "give either the whole set of labels or labels to add and remove, not both");
        refusals.forEach((args, message) -> {
            CommandResult r = admin.run(labels("web", args));
            assertThat(r.outcome()).as("%s", args).isEqualTo(Outcome.REFUSED);
            assertThat(r.message()).as("%s", args).isEqualTo(message);
            assertThat(r.record().outcome()).isEqualTo(Outcome.REFUSED);
        });
        CommandResult off = admin.run(labels("frozen", Map.of("labels", "team:payments")));
        assertThat(off.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(off.message()).isEqualTo("turned off for this component by the annotation shipdeck.dev/edit-labels-enabled: \"false\"");

        assertThat(writes()).isEmpty();
        assertThat(labelsOnTheCluster("web")).isEqualTo("team:shop");
    }

    @Test
    void aUserWhoMayNotPatchTheWorkloadIsRefusedByTheAccessReview() {
        CommandResult r = scaler.commands().run(labels("web", Map.of("labels", "team:payments")));

        assertThat(r.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(r.message()).isEqualTo("RBAC: scaler may not patch deployments in namespace apps (sim)");
        assertThat(Sim.availability(scaler, ENV, "web", Action.EDIT_LABELS)).isEqualTo(Availability.no(r.message()));
        try (Sim.Connection other = Sim.connect(sim, dir.resolve("admin2"), ClusterSim.ADMIN)) {
            assertThat(Sim.availability(other, ENV, "web", Action.EDIT_LABELS)).isEqualTo(Availability.YES);
        }
        assertThat(writes()).isEmpty();
        assertThat(labelsOnTheCluster("web")).isEqualTo("team:shop");
    }
}

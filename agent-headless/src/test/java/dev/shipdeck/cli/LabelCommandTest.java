package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Json;
import dev.shipdeck.sim.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shipdeck label}: labels added, removed and replaced like the console's editor, checked, planned and audited. */
class LabelCommandTest {
    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Map<String, String> admin;
    private static Map<String, String> viewer;

    @BeforeAll
    static void start() {
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        sim.cluster("sim").apply(String.join("---\n", Crds.yaml()));
        sim.cluster("sim").apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: checkout
                  namespace: shop
                  labels: {shipdeck.dev/component-name: checkout}
                  annotations: {shipdeck.dev/labels: "team:shop"}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: checkout}}
                  template:
                    metadata: {labels: {app: checkout, shipdeck.dev/version: "1.4.1"}}
                    spec: {containers: [{name: app, image: "example/checkout:1.4.1"}]}
                """);
        admin = Map.of("KUBECONFIG", sim.writeKubeconfig(dir.resolve("admin")).toString(), "HOME", dir.toString());
        viewer = Map.of("KUBECONFIG", sim.writeKubeconfig(dir.resolve("viewer"), ClusterSim.VIEWER).toString(), "HOME", dir.toString());
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    private static String annotation() {
        return Json.str(sim.cluster("sim").store().get(Resources.DEPLOYMENTS, "shop", "checkout"), null,
                "metadata", "annotations", "shipdeck.dev/labels");
    }

    private static Cli.Result run(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("label", "checkout", "-e", "sim"));
        all.addAll(List.of(args));
        return Cli.run(env, all.toArray(String[]::new));
    }

    private static List<String> labelsShown() {
        Cli.Result r = Cli.run(admin, "components", "-o", "json");
        return Cli.items(Cli.items(r.json()).get(0).path("labels")).stream().map(JsonNode::asText).toList();
    }

    @Test
    void addingRemovingAndReplacingLabelsIsPlannedSentAndAudited() {
        Cli.Result plan = run(admin, "team:payments", "role:web", "--dry-run");
        assertThat(plan.exitCode()).as("%s", plan).isZero();
        assertThat(plan.out()).contains("PLANNED — set the labels of checkout to role:web, team:payments, team:shop (were: team:shop)",
                "PATCH /apis/apps/v1/namespaces/shop/deployments/checkout", "Content-Type: application/merge-patch+json",
                "{\"metadata\":{\"annotations\":{\"shipdeck.dev/labels\":\"role:web, team:payments, team:shop\"}}}");
        assertThat(annotation()).as("a dry run sends nothing").isEqualTo("team:shop");

        Cli.Result add = run(admin, "team:payments", "role:web", "team:shop-", "--yes");
        assertThat(add.exitCode()).as("%s", add).isZero();
        assertThat(add.out()).startsWith("edit labels checkout (sim): SUCCEEDED — set the labels of checkout to role:web, team:payments");
        assertThat(annotation()).isEqualTo("role:web, team:payments");
        assertThat(labelsShown()).containsExactly("role:web", "team:payments");

        Cli.Result remove = run(admin, "role-", "--yes");
        assertThat(remove.exitCode()).as("%s", remove).isZero();
        assertThat(annotation()).isEqualTo("team:payments");

        Cli.Result replace = run(admin, "--replace", "tier:prod", "team:search", "--yes", "-o", "json");
        assertThat(replace.exitCode()).as("%s", replace).isZero();
        assertThat(Cli.items(replace.json()).get(0).path("who").asText()).isEqualTo(ClusterSim.ADMIN);
        assertThat(annotation()).isEqualTo("team:search, tier:prod");

        Cli.Result same = run(admin, "tier:prod", "--yes");
        assertThat(same.exitCode()).as("%s", same).isZero();
        assertThat(same.out()).contains("SKIPPED — the labels of checkout are already team:search, tier:prod");

        // what was sent is recorded (a command with nothing to do ends at its dry run, as every command does)
        List<JsonNode> audit = Cli.items(Cli.run(admin, "commands", "--component", "checkout", "-o", "json").json());
        assertThat(audit).filteredOn(c -> c.path("action").asText().equals("EDIT_LABELS")).hasSize(3)
                .anySatisfy(c -> assertThat(c.path("args").toString()).isEqualTo("{\"remove\":\"role\"}"))
                .anySatisfy(c -> {
                    assertThat(c.path("args").path("labels").asText()).isEqualTo("team:search, tier:prod");
                    assertThat(c.path("requester").asText()).isEqualTo(ClusterSim.ADMIN);
                    assertThat(c.path("outcome").asText()).isEqualTo("SUCCEEDED");
                });

        Cli.Result clear = run(admin, "--replace", "--yes");
        assertThat(clear.exitCode()).as("%s", clear).isZero();
        assertThat(annotation()).isNull();
        assertThat(labelsShown()).isEmpty();
    }

    @Test
    void badLabelsAndTooManyAreRefusedBeforeTheClusterIsAsked() {
        String[] many = IntStream.rangeClosed(1, 21).mapToObj(i -> "k" + i + ":v").toArray(String[]::new);
        Map<String[], String> bad = Map.of(
                new String[] {"team", "--yes"}, "error: label \"team\" has no value (write it as key:value, e.g. team:payments)",
                new String[] {"--yes"}, "error: say which labels to add or remove",
                new String[] {"--replace", "team-", "--yes"}, "error: --replace sets the whole set of labels: team cannot be removed from it",
                new String[] {"--replace", String.join(" ", many).replace(' ', ','), "--yes"}, "error: label \"k1:v,k2:v");
        bad.forEach((args, message) -> {
            Cli.Result r = run(admin, args);
            assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).as("%s", r).hasSize(1).allSatisfy(l -> assertThat(l).startsWith(message));
        });
        List<String> tooMany = new ArrayList<>(List.of(many));
        tooMany.addAll(List.of("--replace", "--yes"));
        Cli.Result r = run(admin, tooMany.toArray(String[]::new));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).containsExactly("error: 21 labels given; at most 20 are allowed (remove 1 of them)");
    }

    @Test
    void aViewerIsRefusedByThePermissionCheck() {
        String before = annotation();
        Cli.Result r = run(viewer, "team:payments", "--yes");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.errLines()).containsExactly("error: RBAC: viewer may not patch deployments in namespace shop (sim) (ask an administrator of sim for that permission)");
        assertThat(annotation()).isEqualTo(before);
    }
}

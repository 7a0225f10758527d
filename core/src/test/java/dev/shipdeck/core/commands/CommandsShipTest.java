package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.testing.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ship: the source environment's images and version label go into the target's pod template, nothing else — kubectl
 * reads the result from the same simulated clusters (two contexts, staging and prod-eu).
 */
class CommandsShipTest {
    private static final String FROM = "staging";
    private static final String TO = "prod-eu";

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;
    private static Sim.Connection admin;
    private static Sim.Connection viewer;

    @BeforeAll
    static void start() throws Exception {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().clusters(FROM, TO).scenario("empty").speed(20).start();
        sim.cluster(FROM).installRolloutsCrd();
        sim.cluster(TO).installRolloutsCrd();
        admin = Sim.connect(sim, dir.resolve("kubeconfig"), ClusterSim.ADMIN);
        viewer = Sim.connect(sim, dir.resolve("viewer.kubeconfig"), ClusterSim.VIEWER);
        kubectl = new Kubectl(dir.resolve("kubeconfig"), dir.resolve("kube-cache"));
        kubectl("--context", FROM, "create", "namespace", Sim.NS);
        kubectl("--context", TO, "create", "namespace", Sim.NS);
        for (String name : List.of("web", "off", "paused", "conflict")) {
            apply(FROM, deployment(name, "2.0", 1, "staging"));
            apply(TO, deployment(name, "1.0", 3, "prod"));
        }
        ObjectNode off = deployment("off", "1.0", 3, "prod");
        off.withObject("/metadata/annotations").put("circleci.com/ship-version-enabled", "false");
        apply(TO, off);
        apply(FROM, rollout("canary", "2.0"));
        apply(TO, rollout("canary", "1.0"));
        for (String name : List.of("web", "off", "paused", "conflict")) {
            Sim.awaitDeploymentSettled(sim.cluster(FROM), name);
            Sim.awaitDeploymentSettled(sim.cluster(TO), name);
        }
        kubectl("--context", TO, "-n", Sim.NS, "rollout", "pause", "deploy/paused");
        await().atMost(Duration.ofSeconds(20)).until(() -> component(TO, "canary").status() == ReleaseStatus.SUCCESS
                && component(FROM, "canary").status() == ReleaseStatus.SUCCESS);
    }

    @AfterAll
    static void stop() {
        if (admin != null) admin.close();
        if (viewer != null) viewer.close();
        if (sim != null) sim.close();
    }

    /** A Deployment with an app container and a proxy sidecar, its env saying where it runs, resources per environment. */
    private static ObjectNode deployment(String name, String version, int replicas, String where) {
        ObjectNode d = Sim.deployment(name, version, replicas);
        containers(d, version, where);
        return d;
    }

    private static ObjectNode rollout(String name, String version) {
        ObjectNode r = Sim.rollout(name, version, 2, "{\"setWeight\":20}", "{\"pause\":{}}");
        containers(r, version, FROM);
        return r;
    }

    private static void containers(ObjectNode w, String version, String where) {
        var list = w.withObject("/spec/template/spec").putArray("containers");
        ObjectNode app = list.addObject().put("name", "app").put("image", "registry.example.com/team/app:" + version);
        app.putArray("env").addObject().put("name", "WHERE").put("value", where);
        app.putObject("resources").putObject("requests").put("cpu", where.equals("prod") ? "500m" : "100m");
        list.addObject().put("name", "proxy").put("image", "registry.example.com/proxy:" + version);
    }

    private static void apply(String context, ObjectNode o) throws Exception {
        Path f = Files.writeString(Files.createTempFile(dir, "m", ".yaml"), Sim.stream(List.of(o)));
        kubectl("--context", context, "apply", "-f", f.toString());
    }

    private static String kubectl(String... args) {
        Kubectl.Result r = kubectl.run(args);
        assertThat(r.ok()).as("kubectl %s: %s", String.join(" ", args), r.err()).isTrue();
        return r.out();
    }

    private static JsonNode get(String context, String kind, String name) {
        return Sim.parse(kubectl("--context", context, "-n", Sim.NS, "get", kind, name, "-o", "json"));
    }

    private static Component component(String env, String name) {
        return Sim.component(admin, env, name);
    }

    private static CommandRequest ship(String component, String reason) {
        return CommandRequest.of(Action.SHIP, TO, component, Map.of("from", FROM)).withReason(reason);
    }

    private static String images(JsonNode w) {
        StringBuilder sb = new StringBuilder();
        w.path("spec").path("template").path("spec").path("containers").forEach(c -> sb.append(c.path("name").asText()).append('=')
                .append(c.path("image").asText()).append(' '));
        return sb.toString().trim();
    }

    @Test
    void aDryRunShowsTheExactStrategicPatchAndWhatIsNotCopiedAndWritesNothing() {
        JsonNode before = get(TO, "deployment", "web");
        CommandResult plan = admin.commands().plan(ship("web", ""));

        assertThat(plan.outcome()).as(plan.message()).isEqualTo(Outcome.PLANNED);
        assertThat(plan.message()).isEqualTo("ship 2.0 from staging to prod-eu (web: app → registry.example.com/team/app:2.0, "
                + "proxy → registry.example.com/proxy:2.0)");
        assertThat(plan.requests()).hasSize(1);
        PlannedRequest p = plan.requests().get(0);
        assertThat(p.method()).isEqualTo("PATCH");
        assertThat(p.path()).isEqualTo("/apis/apps/v1/namespaces/apps/deployments/web");
        assertThat(p.contentType()).isEqualTo("application/strategic-merge-patch+json");
        assertThat(p.body()).isEqualTo("{\"metadata\":{\"resourceVersion\":\"" + before.path("metadata").path("resourceVersion").asText() + "\"},"
                + "\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"shipdeck.dev/version\":\"2.0\"}},\"spec\":{\"containers\":["
                + "{\"name\":\"app\",\"image\":\"registry.example.com/team/app:2.0\"},{\"name\":\"proxy\",\"image\":\"registry.example.com/proxy:2.0\"}]}}}}");
        assertThat(plan.warnings()).containsExactly("not copied, stays as it is: replicas (prod-eu 3, staging 1)",
                "not copied, stays as it is: env, resources of container app (they differ from staging)");

        JsonNode after = get(TO, "deployment", "web");
        assertThat(after.path("metadata").path("resourceVersion")).isEqualTo(before.path("metadata").path("resourceVersion"));
        assertThat(images(after)).isEqualTo("app=registry.example.com/team/app:1.0 proxy=registry.example.com/proxy:1.0");
    }

    @Test
    void shippingCopiesTheImagesAndVersionLabelAndLeavesReplicasEnvAndResources() {
        CommandResult r = admin.commands().run(ship("web", "release train 42"));
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.SUCCEEDED);

        JsonNode prod = get(TO, "deployment", "web");
        assertThat(images(prod)).isEqualTo(images(get(FROM, "deployment", "web")));
        assertThat(prod.path("spec").path("template").path("metadata").path("labels").path("shipdeck.dev/version").asText()).isEqualTo("2.0");
        assertThat(prod.path("spec").path("replicas").asInt()).isEqualTo(3);
        JsonNode app = prod.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(app.path("env").get(0).path("value").asText()).isEqualTo("prod");
        assertThat(app.path("resources").path("requests").path("cpu").asText()).isEqualTo("500m");
        // the audit record says what was shipped, from where, and why
        assertThat(r.record().reason()).isEqualTo("release train 42");
        assertThat(r.record().args()).containsEntry("from", FROM).containsEntry("version", "2.0")
                .containsEntry("images", "app=registry.example.com/team/app:2.0,proxy=registry.example.com/proxy:2.0");
        Sim.awaitDeploymentSettled(sim.cluster(TO), "web");
        assertThat(component(TO, "web").version()).isEqualTo("2.0");
        // shipping again: nothing to do
        assertThat(admin.commands().run(ship("web", "")).outcome()).isEqualTo(Outcome.SKIPPED);
    }

    @Test
    void shippingToARolloutStartsItsCanary() {
        CommandResult r = admin.commands().run(ship("canary", ""));
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.requests().get(0).contentType()).isEqualTo("application/merge-patch+json");
        assertThat(images(get(TO, "rollout", "canary"))).isEqualTo(images(get(FROM, "rollout", "canary")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Component c = component(TO, "canary");
            assertThat(c.version()).isEqualTo("2.0");
            assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(new ClusterReader(admin.clients()).read(admin.environments().stream().filter(e -> e.name().equals(TO)).findFirst().orElseThrow())
                    .releases().stream().filter(x -> x.component().equals("canary") && x.version().equals("2.0")).findFirst().orElseThrow().type())
                    .isEqualTo(ReleaseType.PROGRESSIVE);
        });
    }

    @Test
    void theAnnotationAPausedDeploymentAndRbacRefuseIt() {
        CommandResult off = admin.commands().run(ship("off", ""));
        assertThat(off.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(off.message()).isEqualTo("turned off for this component by the annotation circleci.com/ship-version-enabled: \"false\"");
        assertThat(Sim.availability(admin, TO, "off", Action.SHIP).reason()).isEqualTo(off.message());

        CommandResult paused = admin.commands().run(ship("paused", ""));
        assertThat(paused.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(paused.message()).startsWith("the Deployment is paused");
        assertThat(images(get(TO, "deployment", "paused"))).contains("app:1.0");

        Availability v = Sim.availability(viewer, TO, "web", Action.SHIP);
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).startsWith("RBAC:");
        assertThat(viewer.commands().run(ship("conflict", "")).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(Confirmation.word(Action.SHIP, admin.environments().stream().filter(e -> e.name().equals(TO)).findFirst().orElseThrow()))
                .isEqualTo("SHIP");
        assertThat(Confirmation.word(Action.SHIP, admin.environments().stream().filter(e -> e.name().equals(FROM)).findFirst().orElseThrow()))
                .isNull();
    }

    @Test
    void aTargetChangedAfterThePlanIsAConflictAndNothingIsApplied() {
        CommandRequest request = admin.commands().prepare(ship("conflict", ""));
        CommandResult plan = admin.commands().plan(request);
        assertThat(plan.outcome()).isEqualTo(Outcome.PLANNED);
        kubectl("--context", TO, "-n", Sim.NS, "set", "image", "deploy/conflict", "proxy=registry.example.com/proxy:1.1");

        CommandResult r = admin.commands().run(request, plan);
        assertThat(r.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(images(get(TO, "deployment", "conflict"))).isEqualTo("app=registry.example.com/team/app:1.0 proxy=registry.example.com/proxy:1.1");
    }

    @Test
    void anUnknownSourceOrTheTargetItselfIsRefusedBeforeAnyWrite() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.commands().run(
                        CommandRequest.of(Action.SHIP, TO, "web", Map.of("from", "nowhere"))))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("unknown environment \"nowhere\"");
        CommandResult self = admin.commands().run(CommandRequest.of(Action.SHIP, TO, "web", Map.of("from", TO)));
        assertThat(self.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(self.message()).contains("is the target itself");
    }
}

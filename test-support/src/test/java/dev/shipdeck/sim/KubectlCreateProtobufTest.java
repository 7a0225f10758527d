package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.sim.testing.Kubectl;
import dev.shipdeck.sim.testing.SimHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kubectl's {@code create} built-ins send protobuf bodies: each creates the same object as the same command's
 * {@code --dry-run=client -o json} output created from JSON, as {@code kubectl get -o json} shows both. Bodies in an
 * unknown format are 415 with the media types the server accepts.
 */
class KubectlCreateProtobufTest {
    private static final String PROTO_NS = "from-protobuf";
    private static final String JSON_NS = "from-json";

    @TempDir
    static Path dir;
    private static ClusterSim sim;
    private static Kubectl kubectl;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        Kubectl.assumeAvailable();
        sim = ClusterSim.builder().scenario("empty").speed(10).start();
        sim.cluster("sim").installRolloutsCrd();
        Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
        kubectl = new Kubectl(kubeconfig, dir.resolve("kube-cache"));
        http = SimHttp.fromKubeconfig(kubeconfig);
        kubectl.out("create", "namespace", PROTO_NS);
        kubectl.out("create", "namespace", JSON_NS);
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** One {@code kubectl create} command per case, its arguments separated by "|". */
    @ParameterizedTest
    @ValueSource(strings = {
            "deployment|web|--image=nginx:1.27|--replicas=2|--port=80",
            "configmap|settings|--from-literal=color=blue|--from-literal=size=10",
            "secret|generic|api-access|--from-literal=api-key=not-a-real-key",
            "service|clusterip|web|--tcp=80:8080|--tcp=443:8443",
            "serviceaccount|deployer",
            "job|once|--image=busybox:1.36|--|echo|hello",
            "cronjob|nightly|--image=busybox:1.36|--schedule=0 3 * * *|--|echo|hello",
            "role|pod-reader|--verb=get,list|--resource=pods",
            "rolebinding|read-pods|--role=pod-reader|--user=jane"})
    void aCreateBuiltInSentAsProtobufStoresWhatTheSameCommandStoresFromJson(String command) {
        List<String> args = List.of(command.split("\\|"));
        String kind = args.get(0);
        String name = args.get(kind.equals("secret") || kind.equals("service") ? 2 : 1);

        Kubectl.Result proto = kubectl.run(with(args, "-n", PROTO_NS, "-v=8"));
        assertThat(proto.ok()).as("%s", proto).isTrue();
        assertThat(proto.err()).as("kubectl sent protobuf").contains("Content-Type: application/vnd.kubernetes.protobuf");

        String json = kubectl.out(with(args, "-n", JSON_NS, "--dry-run=client", "-o", "json"));
        Kubectl.Result fromJson = kubectl.runWithInput(Duration.ofSeconds(30), json, "create", "-f", "-", "-n", JSON_NS);
        assertThat(fromJson.ok()).as("%s", fromJson).isTrue();

        JsonNode a = stable(kubectl.out("get", kind, name, "-n", PROTO_NS, "-o", "json"));
        JsonNode b = stable(kubectl.out("get", kind, name, "-n", JSON_NS, "-o", "json"));
        assertThat(a).as("%s from protobuf vs from JSON", command).isEqualTo(b);
        assertThat(a.path("metadata").path("name").asText()).isEqualTo(name);
    }

    @Test
    void aNamespaceCreatedFromProtobufEqualsOneCreatedFromJson() {
        Kubectl.Result proto = kubectl.run("create", "namespace", "team-proto", "-v=8");
        assertThat(proto.err()).as("%s", proto).contains("Content-Type: application/vnd.kubernetes.protobuf");
        String json = kubectl.out("create", "namespace", "team-json", "--dry-run=client", "-o", "json");
        kubectl.runWithInput(Duration.ofSeconds(30), json, "create", "-f", "-");

        JsonNode a = stable(kubectl.out("get", "namespace", "team-proto", "-o", "json").replace("team-proto", "team-x"));
        JsonNode b = stable(kubectl.out("get", "namespace", "team-json", "-o", "json").replace("team-json", "team-x"));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void aDeploymentCreatedFromProtobufRollsOut() {
        assertThat(kubectl.out("create", "deployment", "rolled", "--image=nginx:1.27", "--replicas=2").strip())
                .isEqualTo("deployment.apps/rolled created");

        Kubectl.Result r = kubectl.run(Duration.ofSeconds(70), "rollout", "status", "deploy/rolled", "--timeout=60s");
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(kubectl.out("get", "deploy", "rolled", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).isEqualTo("nginx:1.27");
    }

    @Test
    void aBodyInAnUnknownFormatIsUnsupportedMediaType() {
        SimHttp.Response text = http.post("/api/v1/namespaces/default/configmaps", "text/plain", "color=blue");
        assertThat(text.status()).as("%s", text).isEqualTo(415);
        assertThat(text.json().path("reason").asText()).isEqualTo("UnsupportedMediaType");
        assertThat(text.json().path("message").asText()).isEqualTo("the body of the request was in an unknown format - accepted media types "
                + "include: application/json, application/yaml, application/vnd.kubernetes.protobuf");

        SimHttp.Response custom = http.send("POST", "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts", "application/vnd.kubernetes.protobuf",
                new byte[] {'k', '8', 's', 0}, Map.of(), Duration.ofSeconds(10));
        assertThat(custom.status()).as("custom resources take no protobuf: %s", custom).isEqualTo(415);
        assertThat(custom.json().path("message").asText()).endsWith("accepted media types include: application/json, application/yaml");

        SimHttp.Response patch = http.send("PATCH", "/apis/apps/v1/namespaces/default/deployments/any", "text/plain",
                "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ofSeconds(10));
        assertThat(patch.status()).as("%s", patch).isEqualTo(415);
        assertThat(patch.json().path("message").asText()).endsWith("application/json-patch+json, application/merge-patch+json, "
                + "application/strategic-merge-patch+json, application/apply-patch+yaml");
    }

    @Test
    void aProtobufBodyThatCannotBeDecodedIsABadRequest() {
        SimHttp.Response r = http.send("POST", "/api/v1/namespaces/default/configmaps", "application/vnd.kubernetes.protobuf",
                new byte[] {'k', '8', 's', 0, 0x0a, 0x7f, 1}, Map.of(), Duration.ofSeconds(10));

        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json().path("message").asText()).startsWith("the protobuf body cannot be decoded");
    }

    /** {@code kubectl create <args>} with {@code more} flags, before a {@code --} that starts a container command. */
    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>();
        all.add("create");
        int dashes = args.indexOf("--");
        all.addAll(dashes < 0 ? args : args.subList(0, dashes));
        all.addAll(List.of(more));
        if (dashes >= 0) all.addAll(args.subList(dashes, args.size()));
        return all.toArray(String[]::new);
    }

    /** The object without what differs between any two creations: identity, times, namespace, status. */
    private static JsonNode stable(String json) {
        ObjectNode o = (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
        ObjectNode meta = Json.meta(o);
        for (String f : List.of("uid", "resourceVersion", "creationTimestamp", "namespace", "generation", "managedFields")) {
            meta.remove(f);
        }
        o.remove("status");
        return o;
    }
}

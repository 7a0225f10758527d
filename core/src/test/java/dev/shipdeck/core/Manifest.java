package dev.shipdeck.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.sim.testing.TestCluster;

/**
 * Deployments and Rollouts as a team would write them for Shipdeck: component-name label on the workload and
 * the pod template, version label on the pod template, image tag = version. Pods are ready at once (on cluster-sim and
 * on the real tier's kwok) unless {@link #neverReady()}.
 */
public final class Manifest {
    private final ObjectNode root = JsonNodeFactory.instance.objectNode();

    private Manifest(String apiVersion, String kind, String namespace, String name) {
        root.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = root.putObject("metadata");
        meta.put("name", name).put("namespace", namespace);
        meta.putObject("labels").put("app.kubernetes.io/name", name);
        meta.putObject("annotations");
        ObjectNode spec = root.putObject("spec");
        spec.put("replicas", 1);
        spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", name);
        ObjectNode tmeta = spec.putObject("template").putObject("metadata");
        tmeta.putObject("labels").put("app.kubernetes.io/name", name);
        tmeta.putObject("annotations").put("sim.shipdeck.dev/ready-after-seconds", "0");
        ObjectNode c = ((ObjectNode) spec.get("template")).putObject("spec").putArray("containers").addObject();
        c.put("name", "app").put("image", "registry.example.com/team/" + name + ":0.0.0");
        component(name);
    }

    public static Manifest deployment(String namespace, String name) {
        return new Manifest("apps/v1", "Deployment", namespace, name);
    }

    /** A canary Rollout (no steps unless {@link #steps(JsonNode...)} adds them). */
    public static Manifest rollout(String namespace, String name) {
        Manifest m = new Manifest("argoproj.io/v1alpha1", "Rollout", namespace, name);
        m.spec().putObject("strategy").putObject("canary").putArray("steps");
        return m;
    }

    public ObjectNode meta() { return (ObjectNode) root.get("metadata"); }

    public ObjectNode spec() { return (ObjectNode) root.get("spec"); }

    public ObjectNode templateMeta() { return (ObjectNode) spec().path("template").get("metadata"); }

    private ObjectNode container() { return (ObjectNode) spec().path("template").path("spec").path("containers").get(0); }

    /** {@code shipdeck.dev/component-name} on the workload and its pod template. */
    public Manifest component(String component) {
        return component("shipdeck.dev/", component);
    }

    public Manifest component(String prefix, String component) {
        ((ObjectNode) meta().get("labels")).put(prefix + "component-name", component);
        ((ObjectNode) templateMeta().get("labels")).put(prefix + "component-name", component);
        return this;
    }

    /** Removes every component-name label (workload and pod template). */
    public Manifest noComponent() {
        for (String p : new String[] {"shipdeck.dev/", "circleci.com/"}) {
            ((ObjectNode) meta().get("labels")).remove(p + "component-name");
            ((ObjectNode) templateMeta().get("labels")).remove(p + "component-name");
        }
        return this;
    }

    /** The version label ({@code shipdeck.dev/version}) and the image tag. */
    public Manifest version(String version) {
        return version("shipdeck.dev/", version);
    }

    public Manifest version(String prefix, String version) {
        ((ObjectNode) templateMeta().get("labels")).put(prefix + "version", version);
        return image("registry.example.com/team/" + meta().path("name").asText() + ":" + version);
    }

    public Manifest image(String image) {
        container().put("image", image);
        return this;
    }

    public Manifest replicas(int n) {
        spec().put("replicas", n);
        return this;
    }

    public Manifest label(String key, String value) {
        ((ObjectNode) meta().get("labels")).put(key, value);
        return this;
    }

    public Manifest templateLabel(String key, String value) {
        ((ObjectNode) templateMeta().get("labels")).put(key, value);
        return this;
    }

    public Manifest annotation(String key, String value) {
        ((ObjectNode) meta().get("annotations")).put(key, value);
        return this;
    }

    public Manifest podAnnotation(String key, String value) {
        ((ObjectNode) templateMeta().get("annotations")).put(key, value);
        return this;
    }

    /** Pods of this template run but never become Ready (cluster-sim's annotation and the real tier's kwok label). */
    public Manifest neverReady() {
        TestCluster.neverReady((ObjectNode) spec().get("template"));
        return this;
    }

    /** Each an int-or-percent: "1" is sent as the number 1 (a real API server refuses the string "1"), "25%" as text. */
    public Manifest rollingUpdate(String maxSurge, String maxUnavailable) {
        ObjectNode ru = spec().putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate");
        intOrPercent(ru, "maxSurge", maxSurge);
        intOrPercent(ru, "maxUnavailable", maxUnavailable);
        return this;
    }

    private static void intOrPercent(ObjectNode o, String field, String value) {
        if (value.matches("\\d+")) o.put(field, Integer.parseInt(value));
        else o.put(field, value);
    }

    public Manifest progressDeadlineSeconds(int s) {
        spec().put("progressDeadlineSeconds", s);
        return this;
    }

    public Manifest paused(boolean paused) {
        spec().put("paused", paused);
        return this;
    }

    /** Canary steps, e.g. {@code setWeight(20), pause()}. */
    public Manifest steps(JsonNode... steps) {
        ArrayNode a = ((ObjectNode) spec().path("strategy").path("canary")).putArray("steps");
        for (JsonNode s : steps) a.add(s);
        return this;
    }

    /** A blueGreen Rollout instead of a canary, with an active service only ({@code <name>-active}). */
    public Manifest blueGreen() {
        spec().putObject("strategy").putObject("blueGreen").put("activeService", meta().path("name").asText() + "-active");
        return this;
    }

    /**
     * A blueGreen Rollout with the services {@link #services} makes ({@code <name>-active}, {@code <name>-preview});
     * {@code autoPromotion} false: it pauses for promotion once the preview is ready.
     */
    public Manifest blueGreen(boolean autoPromotion) {
        blueGreen();
        ((ObjectNode) spec().path("strategy").path("blueGreen")).put("previewService", meta().path("name").asText() + "-preview")
                .put("autoPromotionEnabled", autoPromotion);
        return this;
    }

    /** The blue-green strategy, to add to it (analysis, delays). */
    public ObjectNode blueGreenSpec() { return (ObjectNode) spec().path("strategy").path("blueGreen"); }

    /** The active and preview Services of blue-green Rollout {@code name}, each as its own manifest (apply them first). */
    public static java.util.List<String> services(String namespace, String name) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String role : new String[] {"active", "preview"}) {
            ObjectNode svc = JsonNodeFactory.instance.objectNode();
            svc.put("apiVersion", "v1").put("kind", "Service");
            svc.putObject("metadata").put("name", name + "-" + role).put("namespace", namespace);
            ObjectNode spec = svc.putObject("spec");
            spec.putObject("selector").put("app.kubernetes.io/name", name);
            spec.putArray("ports").addObject().put("port", 80).put("targetPort", 8080);
            out.add(svc.toString());
        }
        return out;
    }

    public Manifest status(ObjectNode status) {
        root.set("status", status);
        return this;
    }

    public static ObjectNode setWeight(int w) {
        return JsonNodeFactory.instance.objectNode().put("setWeight", w);
    }

    public static ObjectNode pause() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.putObject("pause");
        return s;
    }

    public ObjectNode json() { return root.deepCopy(); }

    /** JSON text, which {@code SimCluster.apply} reads like YAML. */
    public String text() { return root.toString(); }
}

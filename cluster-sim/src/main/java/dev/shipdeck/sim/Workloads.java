package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** Builds the Deployments and Rollouts scenarios seed, labelled the way Shipdeck discovers components. */
public final class Workloads {
    /** One component version to deploy. */
    public record Spec(String name, String namespace, String version, int replicas, String labels, boolean rollout,
                       boolean broken, boolean legacyLabels, Map<String, String> annotations) {}

    private Workloads() {}

    /** As kubectl rollout status says "successfully rolled out": observed, every replica updated and available, no old ones. */
    public static boolean rolledOut(com.fasterxml.jackson.databind.JsonNode d) {
        long want = Json.num(d, 1, "spec", "replicas");
        return Json.num(d, 0, "status", "observedGeneration") >= Json.num(d, 0, "metadata", "generation")
                && Json.num(d, 0, "status", "updatedReplicas") == want && Json.num(d, 0, "status", "availableReplicas") == want
                && Json.num(d, 0, "status", "replicas") == want;
    }

    public static ObjectNode build(Spec s) {
        String prefix = s.legacyLabels() ? "circleci.com/" : "shipdeck.dev/";
        ObjectNode o = Json.object();
        o.put("apiVersion", s.rollout() ? "argoproj.io/v1alpha1" : "apps/v1");
        o.put("kind", s.rollout() ? "Rollout" : "Deployment");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", s.name()).put("namespace", s.namespace());
        meta.putObject("labels").put("app.kubernetes.io/name", s.name()).put(prefix + "component-name", s.name());
        ObjectNode ann = meta.putObject("annotations");
        if (s.labels() != null && !s.labels().isEmpty()) {
            ann.put("shipdeck.dev/labels", s.labels());
        }
        String team = s.namespace();
        int build = 700 + Math.abs((s.name() + s.version()).hashCode() % 300);
        String sha = sha(s.name() + "@" + s.version());
        ann.put("shipdeck.dev/pipeline-url", "https://ci.example.com/" + team + "/" + s.name() + "/pipelines/" + build);
        ann.put("shipdeck.dev/job-url", "https://ci.example.com/" + team + "/" + s.name() + "/jobs/" + (build * 10 + 3));
        ann.put("shipdeck.dev/commit-sha", sha);
        ann.put("shipdeck.dev/commit-url", "https://git.example.com/" + team + "/" + s.name() + "/commit/" + sha);
        ann.put("kubernetes.io/change-cause", "deploy " + s.version() + " (pipeline #" + build + ")");
        s.annotations().forEach(ann::put);

        ObjectNode spec = o.putObject("spec");
        spec.put("replicas", s.replicas());
        spec.put("revisionHistoryLimit", 10);
        spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", s.name());
        ObjectNode tpl = spec.putObject("template");
        ObjectNode tmeta = tpl.putObject("metadata");
        tmeta.putObject("labels").put("app.kubernetes.io/name", s.name())
                .put(prefix + "component-name", s.name()).put(prefix + "version", s.version());
        if (s.broken()) {
            tmeta.putObject("annotations").put("sim.shipdeck.dev/never-ready", "true");
        }
        ObjectNode c = tpl.putObject("spec").putArray("containers").addObject();
        c.put("name", s.name().length() > 60 ? "app" : s.name());
        c.put("image", "registry.example.com/" + team + "/" + s.name() + ":" + s.version());
        ArrayNode env = c.putArray("env");
        env.addObject().put("name", "APP_VERSION").put("value", s.version());
        env.addObject().put("name", "LOG_LEVEL").put("value", "info");
        c.putArray("ports").addObject().put("containerPort", 8080).put("name", "http");
        ObjectNode res = c.putObject("resources");
        res.putObject("requests").put("cpu", "100m").put("memory", "128Mi");
        res.putObject("limits").put("memory", "256Mi");
        c.putObject("readinessProbe").putObject("httpGet").put("path", "/ready").put("port", 8080);
        if (s.rollout()) {
            ObjectNode canary = spec.putObject("strategy").putObject("canary");
            ArrayNode steps = canary.putArray("steps");
            steps.addObject().put("setWeight", 20);
            steps.addObject().putObject("pause");
            steps.addObject().put("setWeight", 50);
            steps.addObject().putObject("pause").put("duration", "30s");
            steps.addObject().put("setWeight", 100);
        } else {
            spec.put("progressDeadlineSeconds", 600);
            ObjectNode ru = spec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate");
            ru.put("maxSurge", "25%").put("maxUnavailable", "25%");
        }
        return o;
    }

    /** A stable, fake 40-hex commit id. */
    static String sha(String seed) {
        StringBuilder sb = new StringBuilder();
        long h = seed.hashCode() * 0x9E3779B97F4A7C15L;
        while (sb.length() < 40) {
            h ^= h >>> 31;
            h *= 0xBF58476D1CE4E5B9L;
            sb.append(String.format("%016x", h));
        }
        return sb.substring(0, 40);
    }

    static List<String> bump(String version) {
        String[] p = version.split("\\.");
        int last = Integer.parseInt(p[p.length - 1].replaceAll("\\D.*", "")) + 1;
        p[p.length - 1] = Integer.toString(last);
        return List.of(String.join(".", p));
    }
}

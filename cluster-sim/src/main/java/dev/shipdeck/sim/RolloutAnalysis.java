package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AnalysisRuns a Rollout's controller makes, as Argo names and labels them: {@code <rollout>-<pod hash>-<revision>}
 * with {@code -<step index>}, {@code -pre} or {@code -post} (a collision gets {@code .1}, {@code .2}, …), owned by the
 * Rollout, labelled {@code rollouts-pod-template-hash}, {@code rollout-type} (Step, PrePromotion, PostPromotion) and
 * {@code step-index}. The metrics come from the named AnalysisTemplates of the namespace; {@code {{args.x}}} is
 * replaced by the rollout analysis' argument values. The run's status is the analysis controller's
 * ({@link AnalysisController}).
 */
final class RolloutAnalysis {
    static final String TYPE_LABEL = "rollout-type";
    static final String STEP_INDEX_LABEL = "step-index";
    static final String STEP = "Step";
    static final String PRE = "PrePromotion";
    static final String POST = "PostPromotion";
    private static final Pattern ARG = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");

    private RolloutAnalysis() {}

    static ResourceType runs(Store store) {
        return store.resources().lookup(RolloutController.GROUP, RolloutController.VERSION, AnalysisController.PLURAL);
    }

    /** The run recorded in {@code status} ({@code {name, status, message}}), if it still exists. */
    static ObjectNode recorded(Store store, String ns, JsonNode runStatus) {
        ResourceType runs = runs(store);
        String name = runStatus == null ? "" : runStatus.path("name").asText("");
        return runs == null || name.isEmpty() ? null : store.find(runs, ns, name);
    }

    /**
     * Creates the run for {@code analysis} ({@code templates}, {@code args}) of the new ReplicaSet; null without the CRD
     * or while a template it names does not exist (Argo's controller cannot make the run either, and tries again).
     */
    static ObjectNode create(Store store, ObjectNode rollout, JsonNode analysis, String podHash, String type, Integer stepIndex) {
        ResourceType runs = runs(store);
        ResourceType templates = store.resources().lookup(RolloutController.GROUP, RolloutController.VERSION, "analysistemplates");
        if (runs == null) {
            return null;
        }
        String ns = Json.namespace(rollout);
        String revision = Json.str(rollout, "", "metadata", "annotations", RolloutSync.REVISION);
        String infix = switch (type) {
            case PRE -> "pre";
            case POST -> "post";
            default -> String.valueOf(stepIndex);
        };
        String base = Json.name(rollout) + "-" + podHash + "-" + revision + "-" + infix;
        ObjectNode run = Json.object();
        run.put("apiVersion", RolloutController.GROUP + "/" + RolloutController.VERSION).put("kind", "AnalysisRun");
        ObjectNode meta = run.putObject("metadata");
        meta.put("namespace", ns);
        ObjectNode labels = meta.putObject("labels");
        labels.put(PodTemplates.ROLLOUTS_POD_TEMPLATE_HASH, podHash).put(TYPE_LABEL, type);
        if (stepIndex != null) {
            labels.put(STEP_INDEX_LABEL, String.valueOf(stepIndex));
        }
        meta.putObject("annotations").put(RolloutSync.REVISION, revision);
        meta.putArray("ownerReferences").addObject()
                .put("apiVersion", RolloutController.GROUP + "/" + RolloutController.VERSION).put("kind", RolloutController.KIND)
                .put("name", Json.name(rollout)).put("uid", Json.str(rollout, "", "metadata", "uid"))
                .put("controller", true).put("blockOwnerDeletion", true);
        ObjectNode spec = run.putObject("spec");
        ArrayNode metrics = Json.array();
        ArrayNode args = spec.putArray("args");
        for (JsonNode a : analysis.path("args")) {
            args.addObject().put("name", a.path("name").asText()).put("value", a.path("value").asText(""));
        }
        for (JsonNode ref : analysis.path("templates")) {
            ObjectNode template = templates == null ? null : store.find(templates, ns, ref.path("templateName").asText());
            if (template == null) {
                return null;
            }
            for (JsonNode a : template.path("spec").path("args")) {
                boolean given = false;
                for (JsonNode g : args) given |= g.path("name").asText().equals(a.path("name").asText());
                if (!given && a.has("value")) {
                    args.addObject().put("name", a.path("name").asText()).put("value", a.path("value").asText());
                }
            }
            for (JsonNode m : template.path("spec").path("metrics")) {
                metrics.add(m);
            }
        }
        ArrayNode resolved = Json.array();
        metrics.forEach(m -> resolved.add(substitute(m, args)));
        spec.set("metrics", resolved);
        for (int attempt = 0; ; attempt++) {
            meta.put("name", attempt == 0 ? base : base + "." + attempt);
            try {
                return store.create(runs, ns, run);
            } catch (ApiException e) {
                if (e.code() != 409 || attempt > 20) {
                    throw e;
                }
            }
        }
    }

    /** Marks a run to stop ({@code spec.terminate}), as Argo cancels the runs it no longer needs. */
    static void terminate(Store store, String ns, String name) {
        ResourceType runs = runs(store);
        if (runs == null || store.find(runs, ns, name) == null) {
            return;
        }
        store.mutate(runs, ns, name, null, r -> {
            if (r.path("spec").path("terminate").asBoolean(false) || AnalysisController.completed(Json.str(r, "", "status", "phase"))) {
                return false;
            }
            Json.with(r, "spec").put("terminate", true);
            return true;
        });
    }

    /** The run status a Rollout records: {@code {name, status, message}}. */
    static ObjectNode status(ObjectNode run) {
        ObjectNode s = Json.object();
        s.put("name", Json.name(run));
        s.put("status", Json.str(run, "Pending", "status", "phase"));
        String message = Json.str(run, "", "status", "message");
        if (!message.isEmpty()) {
            s.put("message", message);
        }
        return s;
    }

    static String phase(ObjectNode run) {
        return Json.str(run, "", "status", "phase");
    }

    private static JsonNode substitute(JsonNode metric, ArrayNode args) {
        String text = Json.text(metric);
        Matcher m = ARG.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = m.group(0);
            for (JsonNode a : args) {
                if (a.path("name").asText().equals(m.group(1))) {
                    value = a.path("value").asText();
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.replace("\\", "\\\\").replace("\"", "\\\"")));
        }
        m.appendTail(out);
        return Json.parse(out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}

package dev.shipdeck.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.json.J;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.StatusVerdict;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.status.StatusRules;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Deployment or Rollout as the API server returned it, parsed once into typed, immutable fields: what the snapshot
 * builder, the guards and the planners read (none of them reads the JSON or a status message again). The pod template
 * is kept as JSON, read-only: a restore compares and copies it whole.
 *
 * @param generation {@code metadata.generation}; moves with the spec only
 * @param observedGeneration {@code status.observedGeneration} as written (a Rollout's is a string, old ones a hash)
 * @param paused {@code spec.paused}: a Deployment paused with {@code kubectl rollout pause}, a Rollout paused by hand
 * @param verdict the status rules' verdict ({@link StatusRules}), computed from the same read
 * @param canary a Rollout's canary state (pause conditions, abort, stable and current hash: every strategy has them);
 *               null for Deployments
 * @param blueGreen a blue-green Rollout's strategy and services; null for canary Rollouts and Deployments
 * @param template {@code spec.template}, or null (a Rollout with a workloadRef)
 */
public record WorkloadFacts(WorkloadKind kind, String namespace, String name, String uid, String resourceVersion, long generation,
                            String observedGeneration, long replicas, long readyReplicas, long availableReplicas,
                            long updatedReplicas, boolean paused, Map<String, String> labels, Map<String, String> annotations,
                            Map<String, String> selector, String templateVersion, String restartedAt, WorkloadRef workloadRef,
                            StatusVerdict verdict, Canary canary, BlueGreen blueGreen, List<Condition> conditions, Instant createdAt,
                            JsonNode template) {
    public WorkloadFacts {
        labels = ordered(labels);
        annotations = ordered(annotations);
        selector = ordered(selector);
        conditions = List.copyOf(conditions);
    }

    /** {@code spec.workloadRef} of a Rollout. */
    public record WorkloadRef(String kind, String name) {}

    /** One of {@code status.conditions}. */
    public record Condition(String type, String reason, String message, Instant lastUpdate, Instant lastTransition) {}

    /** One canary step: its words ({@code setWeight 20}, {@code pause 30s}) and the weight it sets, or -1. */
    public record Step(String text, int setWeight) {}

    /**
     * A Rollout's state. {@code hasCanary}: the strategy is canary; {@code currentStepIndex}: -1 when absent;
     * {@code pauseReasons}: the reasons of {@code status.pauseConditions}, in order.
     */
    public record Canary(boolean hasCanary, List<Step> steps, long currentStepIndex, List<String> pauseReasons,
                         boolean controllerPause, boolean abort, String stableRS, String currentPodHash, String analysisStatus) {
        public Canary {
            steps = List.copyOf(steps);
            pauseReasons = List.copyOf(pauseReasons);
        }

        public boolean pausedAtStep() { return !pauseReasons.isEmpty(); }

        public boolean fullyPromoted() { return !stableRS.isEmpty() && stableRS.equals(currentPodHash); }

        public boolean inconclusive() { return hasCanary && "Inconclusive".equals(analysisStatus); }
    }

    /**
     * A blue-green Rollout ({@code spec.strategy.blueGreen} and {@code status.blueGreen}), with Argo's defaults:
     * autoPromotionEnabled true, scaleDownDelaySeconds and abortScaleDownDelaySeconds 30; {@code previewReplicaCount}
     * -1 when not set; the analysis run names are empty when there is none.
     */
    public record BlueGreen(String activeService, String previewService, boolean autoPromotionEnabled, long autoPromotionSeconds,
                            long scaleDownDelaySeconds, long abortScaleDownDelaySeconds, long previewReplicaCount,
                            String activeSelector, String previewSelector, boolean prePromotionAnalysis,
                            boolean postPromotionAnalysis, String prePromotionRun, String postPromotionRun) {}

    /** The facts of a Deployment's or Rollout's JSON. */
    public static WorkloadFacts of(WorkloadKind kind, JsonNode w) {
        boolean rollout = kind == WorkloadKind.ROLLOUT;
        JsonNode template = J.at(w, "spec", "template");
        JsonNode ref = J.at(w, "spec", "workloadRef");
        return new WorkloadFacts(kind, J.str(w, "metadata", "namespace"), J.str(w, "metadata", "name"), J.str(w, "metadata", "uid"),
                J.str(w, "metadata", "resourceVersion"), J.num(w, 0, "metadata", "generation"), J.str(w, "status", "observedGeneration"),
                J.num(w, 1, "spec", "replicas"), J.num(w, 0, "status", "readyReplicas"), J.num(w, 0, "status", "availableReplicas"),
                J.num(w, 0, "status", "updatedReplicas"), J.bool(w, "spec", "paused"), strings(J.at(w, "metadata", "labels")),
                strings(J.at(w, "metadata", "annotations")), strings(J.at(w, "spec", "selector", "matchLabels")),
                Conventions.version(template), J.str(template, "metadata", "annotations", Conventions.RESTARTED_AT),
                ref == null ? null : new WorkloadRef(J.str(ref, "kind"), J.str(ref, "name")),
                rollout ? StatusRules.rollout(w) : StatusRules.deployment(w), rollout ? canary(w) : null, rollout ? blueGreen(w) : null, conditions(w),
                J.time(w, "metadata", "creationTimestamp"), template == null ? null : template.deepCopy());
    }

    public boolean isRollout() { return kind == WorkloadKind.ROLLOUT; }

    /** A Rollout aborted, by its status or by what its verdict says. */
    public boolean aborted() {
        return canary != null && canary.abort() || verdict.status() == ReleaseStatus.CANCELLED;
    }

    public String revisionKey() { return isRollout() ? Conventions.ROLLOUT_REVISION : Conventions.DEPLOY_REVISION; }

    public String hashKey() { return isRollout() ? Conventions.ROLLOUT_HASH : Conventions.DEPLOY_HASH; }

    /** The revision annotation, 0 when absent. */
    public long revision() {
        try {
            return Long.parseLong(annotations.getOrDefault(revisionKey(), "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Whether the controller has seen the current spec (so its ReplicaSets carry the revisions of it): a Deployment's
     * {@code status.observedGeneration}, a Rollout's (a string); a Rollout without one, or with a hash, counts as seen.
     */
    public boolean observed() {
        if (isRollout() && observedGeneration.isEmpty()) return true;
        try {
            return !observedGeneration.isEmpty() && Long.parseLong(observedGeneration) >= generation;
        } catch (NumberFormatException e) {
            return true; // an older Argo Rollouts writes a hash here: nothing to wait for
        }
    }

    /** The API path of this workload. */
    public String path() {
        return WorkloadPaths.of(kind, namespace, name);
    }

    /** The newest {@code lastUpdateTime} (else {@code lastTransitionTime}) of the conditions, or null. */
    public Instant lastChange() {
        Instant latest = null;
        for (Condition c : conditions) {
            Instant t = c.lastUpdate() != null ? c.lastUpdate() : c.lastTransition();
            if (t != null && (latest == null || t.isAfter(latest))) latest = t;
        }
        return latest;
    }

    private static Canary canary(JsonNode r) {
        JsonNode canary = J.at(r, "spec", "strategy", "canary");
        JsonNode stepNodes = J.at(canary, "steps");
        List<Step> steps = new java.util.ArrayList<>();
        if (stepNodes != null) {
            for (JsonNode s : stepNodes) steps.add(step(s));
        }
        List<String> reasons = new java.util.ArrayList<>();
        JsonNode pcs = J.at(r, "status", "pauseConditions");
        if (pcs != null) pcs.forEach(p -> reasons.add(p.path("reason").asText()));
        return new Canary(canary != null, steps, J.num(r, -1, "status", "currentStepIndex"), reasons,
                J.bool(r, "status", "controllerPause"), J.bool(r, "status", "abort"), J.str(r, "status", "stableRS"),
                J.str(r, "status", "currentPodHash"), J.str(r, "status", "canary", "currentStepAnalysisRunStatus", "status"));
    }

    private static BlueGreen blueGreen(JsonNode r) {
        JsonNode bg = J.at(r, "spec", "strategy", "blueGreen");
        if (bg == null || !bg.isObject()) return null;
        return new BlueGreen(J.str(bg, "activeService"), J.str(bg, "previewService"), bg.path("autoPromotionEnabled").asBoolean(true),
                J.num(bg, 0, "autoPromotionSeconds"), J.num(bg, 30, "scaleDownDelaySeconds"), J.num(bg, 30, "abortScaleDownDelaySeconds"),
                J.num(bg, -1, "previewReplicaCount"), J.str(r, "status", "blueGreen", "activeSelector"),
                J.str(r, "status", "blueGreen", "previewSelector"), bg.path("prePromotionAnalysis").isObject(),
                bg.path("postPromotionAnalysis").isObject(), J.str(r, "status", "blueGreen", "prePromotionAnalysisRunStatus", "name"),
                J.str(r, "status", "blueGreen", "postPromotionAnalysisRunStatus", "name"));
    }

    private static Step step(JsonNode s) {
        if (s.has("setWeight")) return new Step("setWeight " + s.path("setWeight").asInt(), s.path("setWeight").asInt());
        if (s.has("pause")) {
            String d = s.path("pause").path("duration").asText("");
            return new Step(d.isEmpty() ? "pause" : "pause " + d, -1);
        }
        return new Step(s.fieldNames().hasNext() ? s.fieldNames().next() : "step", -1);
    }

    private static List<Condition> conditions(JsonNode w) {
        List<Condition> out = new java.util.ArrayList<>();
        JsonNode conds = J.at(w, "status", "conditions");
        if (conds != null) {
            for (JsonNode c : conds) {
                out.add(new Condition(c.path("type").asText(), c.path("reason").asText(), c.path("message").asText(),
                        J.time(c, "lastUpdateTime"), J.time(c, "lastTransitionTime")));
            }
        }
        return out;
    }

    private static Map<String, String> ordered(Map<String, String> m) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** A JSON object of strings as a map, in order (a missing one: empty). */
    public static Map<String, String> strings(JsonNode obj) {
        Map<String, String> out = new LinkedHashMap<>();
        if (obj != null) obj.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}

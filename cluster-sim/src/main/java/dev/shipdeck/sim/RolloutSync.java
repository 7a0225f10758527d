package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.shipdeck.sim.RolloutStatus.*;

/**
 * One reconcile pass over one canary Rollout, in the order Argo's controller works: pause bookkeeping, the new
 * ReplicaSet and its revision, template/step changes, pod restarts, history pruning, ReplicaSet scaling, the
 * canary pause, then the status (step progress, promotion, abort, conditions, phase). The Rollout is read fresh
 * for every pass and its status written only when it changed, with the read's resourceVersion.
 */
final class RolloutSync {
    static final String REVISION = "rollout.argoproj.io/revision";
    private static final String HASH_LABEL = PodTemplates.ROLLOUTS_POD_TEMPLATE_HASH;
    private static final int DEFAULT_HISTORY_LIMIT = 10;
    private static final long DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
    private static final Duration RESTART_CHECK = Duration.ofSeconds(30);
    private static final long DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;
    private static final String SCALE_DOWN_DEADLINE = "scale-down-deadline";
    private static final String MANAGED_BY = "argo-rollouts.argoproj.io/managed-by-rollouts";

    /** Desired replicas of the canary (new) and the stable ReplicaSet. */
    private record Counts(int canary, int stable) {}

    /** The event source, as Argo Rollouts' controller names itself. */
    static final String COMPONENT = "rollouts-controller";

    private final Store store;
    private final EventRecorder events;
    private final ResourceType type;
    private final String ns;
    private final String name;
    private final JsonNode spec;
    private final ObjectNode old;
    private final JsonNode steps;
    private final int replicas;
    private final Instant now;
    private final String nowText;
    private ObjectNode rollout;

    private ObjectNode newRS;
    private ObjectNode stableRS;
    private final List<ObjectNode> others = new ArrayList<>();

    private String stableHash;
    private Integer stepIndex;
    private boolean promoteFull;
    private String restartedAt;

    private boolean addAbort;
    private boolean removeAbort;
    private String abortMessage = "";
    private final List<String> addPauses = new ArrayList<>();
    private final java.util.Set<String> removePauses = new java.util.HashSet<>();
    private boolean clearPauses;
    private boolean analysisAbort;

    // blue-green: the strategy, its services and what the pass decided
    private final JsonNode blueGreen;
    private final boolean bg;
    private ObjectNode activeSvc;
    private ObjectNode previewSvc;
    private String activeSelector = "";
    private String previewSelector = "";
    private boolean scaleUpPreviewCheckPoint;

    // the current AnalysisRuns (as the status records them, or made in this pass)
    private ObjectNode stepRun;
    private ObjectNode preRun;
    private ObjectNode postRun;

    private Duration requeue;

    RolloutSync(Store store, EventRecorder events, ResourceType type, ObjectNode rollout) {
        this.store = store;
        this.events = events;
        this.type = type;
        this.rollout = rollout;
        this.ns = Json.namespace(rollout);
        this.name = Json.name(rollout);
        this.spec = rollout.path("spec");
        this.old = rollout.get("status") instanceof ObjectNode s ? s.deepCopy() : Json.object();
        this.steps = spec.path("strategy").path("canary").path("steps");
        this.blueGreen = spec.path("strategy").path("blueGreen");
        this.bg = blueGreen.isObject();
        this.replicas = (int) Json.num(spec, 1, "replicas");
        this.now = store.clock().now();
        this.nowText = SimClock.format(now);
        this.stableHash = Json.str(old, "", "stableRS");
        this.stepIndex = steps.size() == 0 ? null : oldStepIndex();
        this.promoteFull = old.path("promoteFull").asBoolean(false);
        this.restartedAt = Json.str(old, null, "restartedAt");
    }

    /** Runs the pass; returns when to look again (simulated time), or null. */
    Duration run() {
        if (patchPausedConditions()) {
            return null;
        }
        loadReplicaSets();
        if (bg && !loadServices()) {
            return Duration.ofSeconds(1); // Argo's controller retries until the services exist
        }
        if (newRS == null) {
            createNewReplicaSet();
            return null;
        }
        syncRevision();
        loadAnalysisRuns();
        if (bg) {
            reconcilePreviewService();
        }
        if (templateOrStepsChanged()) {
            resetStatus();
            return persist(false);
        }
        if (restartPods()) {
            return requeue;
        }
        pruneHistory();
        if (bg) {
            scaleBlueGreen();
            reconcileBlueGreenPause();
            reconcileActiveService();
            reconcileAnalysis();
            return syncBlueGreenStatus();
        }
        if (!scaleReplicaSets()) {
            reconcileCanaryPause();
        }
        reconcileAnalysis();
        return syncStatus();
    }

    // ---- pause bookkeeping (Argo's checkPausedConditions) ----

    /** Records pause, resume and retry in the conditions, as a status write of its own. */
    private boolean patchPausedConditions() {
        if (!generationObserved()) {
            return false;
        }
        boolean paused = isPaused(old);
        boolean abortCond = hasReason(old, PROGRESSING, ROLLOUT_ABORTED);
        ObjectNode next = old.deepCopy();
        boolean changed = false;
        if (paused != hasReason(old, PROGRESSING, ROLLOUT_PAUSED) && !abortCond && !completed(old)) {
            changed = RolloutStatus.set(next, PROGRESSING, "Unknown", paused ? ROLLOUT_PAUSED : ROLLOUT_RESUMED,
                    paused ? PAUSED_MESSAGE : RESUMED_MESSAGE, nowText);
        }
        if (!old.path("abort").asBoolean(false) && abortCond) {
            changed |= RolloutStatus.set(next, PROGRESSING, "Unknown", ROLLOUT_RETRY, RETRY_MESSAGE, nowText);
        }
        ObjectNode pausedCond = condition(old, PAUSED);
        boolean pausedTrue = pausedCond != null && "True".equals(pausedCond.path("status").asText());
        if (paused != pausedTrue && !abortCond) {
            changed |= RolloutStatus.set(next, PAUSED, paused ? "True" : "False", ROLLOUT_PAUSED, PAUSED_MESSAGE, nowText);
        }
        if (!changed) {
            return false;
        }
        putPhase(next, spec);
        writeStatus(next);
        return true;
    }

    // ---- ReplicaSets ----

    private void loadReplicaSets() {
        String uid = Json.str(rollout, "", "metadata", "uid");
        JsonNode template = spec.path("template");
        List<ObjectNode> owned = store.owned(Resources.REPLICA_SETS, ns, uid, rs -> ReplicaSetController.controlledBy(rs, uid));
        for (ObjectNode rs : owned) {
            if (newRS == null && PodTemplates.sameTemplate(rs.path("spec").path("template"), template)) {
                newRS = rs;
            } else {
                others.add(rs);
            }
        }
        if (stableHash.isEmpty()) {
            return;
        }
        if (newRS != null && stableHash.equals(hashOf(newRS))) {
            stableRS = newRS;
            return;
        }
        others.stream().filter(rs -> stableHash.equals(hashOf(rs))).findFirst().ifPresent(rs -> {
            stableRS = rs;
            others.remove(rs);
        });
    }

    /** Creates {@code <rollout>-<hash>} at revision max+1 with 0 replicas; the next pass scales it. */
    private void createNewReplicaSet() {
        String hash = PodTemplates.hash(spec.path("template"));
        String rsName = name + "-" + hash;
        long revision = maxRevision(olderRSs()) + 1;
        try {
            store.create(Resources.REPLICA_SETS, ns, replicaSet(rsName, hash, revision));
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
            String message = "Failed to create new replica set \"" + rsName + "\": " + e.getMessage();
            events.warning(COMPONENT, rollout, RS_CREATE_ERROR, message);
            recordProgressing("False", RS_CREATE_ERROR, message);
            return;
        }
        setRolloutRevision(Long.toString(revision));
        events.normal(COMPONENT, rollout, NEW_RS_CREATED, "Created ReplicaSet " + rsName + " (revision " + revision + ")");
        recordProgressing("True", NEW_RS_CREATED, createdMessage(rsName));
    }

    private ObjectNode replicaSet(String rsName, String hash, long revision) {
        ObjectNode template = PodTemplates.withoutHashLabels(spec.path("template"));
        Json.with(template, "metadata", "labels").put(HASH_LABEL, hash);
        ObjectNode rs = Json.object();
        rs.put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", rsName).put("namespace", ns);
        meta.set("labels", template.path("metadata").path("labels").deepCopy());
        meta.putObject("annotations").put(REVISION, Long.toString(revision));
        meta.putArray("ownerReferences").addObject()
                .put("apiVersion", type.apiVersion()).put("kind", RolloutController.KIND)
                .put("name", name).put("uid", Json.str(rollout, "", "metadata", "uid"))
                .put("controller", true).put("blockOwnerDeletion", true);
        ObjectNode rsSpec = rs.putObject("spec");
        rsSpec.put("replicas", 0);
        if (spec.has("minReadySeconds")) {
            rsSpec.set("minReadySeconds", spec.get("minReadySeconds"));
        }
        ObjectNode selector = spec.path("selector").isObject() ? (ObjectNode) spec.get("selector").deepCopy() : Json.object();
        Json.with(selector, "matchLabels").put(HASH_LABEL, hash);
        rsSpec.set("selector", selector);
        rsSpec.set("template", template);
        return rs;
    }

    private void recordProgressing(String condStatus, String reason, String message) {
        ObjectNode next = old.deepCopy();
        if (RolloutStatus.set(next, PROGRESSING, condStatus, reason, message, nowText)) {
            writeStatus(next);
        }
    }

    /** A template equal to an older ReplicaSet's reuses it: its revision moves to max+1. */
    private void syncRevision() {
        long want = maxRevision(olderRSs()) + 1;
        if (revision(newRS) < want) {
            store.mutate(Resources.REPLICA_SETS, ns, Json.name(newRS), null, rs -> {
                Json.with(Json.meta(rs), "annotations").put(REVISION, Long.toString(want));
                return true;
            });
            Json.with(Json.meta(newRS), "annotations").put(REVISION, Long.toString(want));
        }
        setRolloutRevision(Long.toString(revision(newRS)));
    }

    private void setRolloutRevision(String revision) {
        if (revision.equals(Json.str(rollout, "", "metadata", "annotations", REVISION))) {
            return;
        }
        ObjectNode next = rollout.deepCopy();
        Json.with(Json.meta(next), "annotations").put(REVISION, revision);
        rollout = store.update(type, ns, name, next, null);
        events.normal(COMPONENT, rollout, "RolloutUpdated", "Rollout updated to revision " + revision);
    }

    private boolean scaleReplicaSets() {
        if (spec.path("paused").asBoolean(false)) {
            return false;
        }
        Counts want = desiredCounts();
        boolean scaled = false;
        if (hasDistinctStable()) {
            scaled = scale(stableRS, want.stable());
        }
        scaled |= scale(newRS, want.canary());
        for (ObjectNode rs : others) {
            scaled |= scale(rs, 0);
        }
        return scaled;
    }

    private boolean scale(ObjectNode rs, int count) {
        long from = specReplicas(rs);
        if (from == count) {
            return false;
        }
        store.mutate(Resources.REPLICA_SETS, ns, Json.name(rs), null, r -> {
            Json.with(r, "spec").put("replicas", count);
            return true;
        });
        Json.with(rs, "spec").put("replicas", count);
        events.normal(COMPONENT, rollout, "ScalingReplicaSet", "Scaled " + (from < count ? "up" : "down") + " ReplicaSet "
                + Json.name(rs) + " (revision " + revision(rs) + ") from " + from + " to " + count);
        return true;
    }

    /** Basic canary: the canary gets ceil(replicas × weight / 100), the stable the rest. */
    private Counts desiredCounts() {
        if (!hasDistinctStable()) {
            return new Counts(replicas, 0);
        }
        int weight = desiredWeight();
        int canary;
        if (weight <= 0) {
            canary = 0;
        } else if (weight >= 100) {
            canary = replicas;
        } else {
            canary = (int) Math.ceil(replicas * weight / 100.0);
            canary = replicas > 1 ? Math.min(canary, replicas - 1) : canary;
        }
        return new Counts(canary, replicas - canary);
    }

    private int desiredWeight() {
        String oldPodHash = Json.str(old, "", "currentPodHash");
        if (old.path("promoteFull").asBoolean(false) || stableHash.isEmpty() || stableHash.equals(oldPodHash)) {
            return 100;
        }
        if (old.path("abort").asBoolean(false)) {
            return 0;
        }
        int idx = oldStepIndex();
        if (idx >= steps.size()) {
            return 100;
        }
        for (int i = idx; i >= 0; i--) {
            if (steps.get(i).has("setWeight")) {
                return steps.get(i).path("setWeight").asInt();
            }
        }
        return 0;
    }

    /** Deletes the oldest scaled-down ReplicaSets beyond {@code spec.revisionHistoryLimit}. */
    private void pruneHistory() {
        int limit = (int) Json.num(spec, DEFAULT_HISTORY_LIMIT, "revisionHistoryLimit");
        List<ObjectNode> cleanable = new ArrayList<>(others);
        cleanable.sort(Comparator.comparing((ObjectNode rs) -> Json.str(rs, "", "metadata", "creationTimestamp"))
                .thenComparingLong(RolloutSync::revision));
        for (int i = 0; i < cleanable.size() - limit; i++) {
            ObjectNode rs = cleanable.get(i);
            if (specReplicas(rs) != 0 || Json.num(rs, 0, "status", "replicas") != 0) {
                continue;
            }
            if (store.find(Resources.REPLICA_SETS, ns, Json.name(rs)) != null) {
                store.delete(Resources.REPLICA_SETS, ns, Json.name(rs));
            }
            others.remove(rs);
        }
    }

    // ---- restart (spec.restartAt) ----

    /** Evicts one pod older than {@code spec.restartAt} while all are available; true when it did. */
    private boolean restartPods() {
        String restartAt = Json.str(spec, "", "restartAt");
        if (restartAt.isEmpty() || restartAt.equals(restartedAt)) {
            return false;
        }
        Instant at = instant(restartAt);
        if (at == null) {
            return false;
        }
        if (!now.isAfter(at)) {
            requeueAfter(Duration.between(now, at).plusMillis(1));
            return false;
        }
        List<ObjectNode> pods = rolloutPods();
        long available = pods.stream().filter(p -> ReplicaSetController.readySince(p) != null).count();
        long total = allRSs().stream().mapToLong(RolloutSync::specReplicas).sum();
        long canRestart = available - (Math.max(replicas, total) - 1);
        int stale = 0;
        int restarted = 0;
        for (ObjectNode pod : pods) {
            Instant created = instant(Json.str(pod, "", "metadata", "creationTimestamp"));
            if (created != null && !created.isBefore(at)) {
                continue;
            }
            stale++;
            if (canRestart > restarted) {
                store.delete(Resources.PODS, ns, Json.name(pod));
                restarted++;
            }
        }
        if (stale > restarted) {
            requeueAfter(RESTART_CHECK);
        } else {
            restartedAt = restartAt;
        }
        return restarted > 0;
    }

    /** The pods of this rollout's ReplicaSets, the stable ReplicaSet's first. */
    private List<ObjectNode> rolloutPods() {
        Map<String, Integer> priority = new HashMap<>();
        List<ObjectNode> rss = allRSs();
        for (int i = 0; i < rss.size(); i++) {
            priority.put(Json.str(rss.get(i), "", "metadata", "uid"), rss.get(i) == stableRS ? -1 : i);
        }
        List<ObjectNode> pods = new ArrayList<>(store.list(Resources.PODS, ns,
                p -> priority.containsKey(ownerUid(p))).items());
        pods.sort(Comparator.comparing((ObjectNode p) -> priority.get(ownerUid(p))).thenComparing(Json::name));
        return pods;
    }

    private static String ownerUid(JsonNode pod) {
        JsonNode ref = ReplicaSetController.controllerRef(pod);
        return ref == null ? "" : ref.path("uid").asText();
    }

    // ---- steps and pauses ----

    private boolean templateOrStepsChanged() {
        String oldStepHash = Json.str(old, "", "currentStepHash");
        String oldPodHash = Json.str(old, "", "currentPodHash");
        if (bg) {
            return !oldPodHash.equals(hashOf(newRS)); // Argo's CheckPodSpecChange (blue-green has no step hash)
        }
        return oldStepHash.isEmpty() || !oldStepHash.equals(stepHash())
                || !oldPodHash.isEmpty() && !oldPodHash.equals(hashOf(newRS));
    }

    /** A new update starts: steps from 0, or straight to the end when going back to the stable ReplicaSet. */
    private void resetStatus() {
        clearPauses = true;
        removeAbort = true;
        promoteFull = false;
        restartedAt = Json.str(spec, null, "restartAt");
        stepRun = null;
        preRun = null;
        postRun = null;
        scaleUpPreviewCheckPoint = false;
        stepIndex = steps.size() == 0 ? null : 0;
        if (stepIndex != null && stableHash.equals(hashOf(newRS))) {
            events.normal(COMPONENT, rollout, "SkipSteps", "Rollback to stable ReplicaSets");
            stepIndex = steps.size();
        }
    }

    /** At a pause step: adds the CanaryPauseStep condition once, and wakes up when a timed pause ends. */
    private void reconcileCanaryPause() {
        if (spec.path("paused").asBoolean(false) || old.path("promoteFull").asBoolean(false)) {
            return;
        }
        JsonNode step = currentStep();
        if (step == null || !step.has("pause")) {
            return;
        }
        JsonNode cond = pauseCondition(old);
        Duration duration = pauseDuration(step);
        if (cond == null) {
            if (!old.path("controllerPause").asBoolean(false)) {
                addPauses.add(CANARY_PAUSE_STEP);
            }
        } else if (duration != null) {
            Duration left = Duration.between(now, pauseEnd(cond, duration));
            if (!left.isNegative()) {
                requeueAfter(left.plusMillis(1));
            }
        }
    }

    private Duration syncStatus() {
        if (promoteFull) {
            clearPauses = true;
            removeAbort = true;
            if (steps.size() > 0) {
                stepIndex = steps.size();
            }
        }
        String promotion = fullPromotionReason();
        if (promotion != null) {
            promoteStable(promotion);
        } else if (aborted()) {
            if (steps.size() > 0) {
                stepIndex = stableHash.equals(currentHash()) ? steps.size() : 0;
            }
        } else if (!promoteFull && completedCurrentStep()) {
            events.normal(COMPONENT, rollout, "RolloutStepCompleted", "Rollout step " + (oldStepIndex() + 1) + "/" + steps.size()
                    + " completed (" + stepString(steps.get(oldStepIndex())) + ")");
            stepIndex++;
            removePauses.add(CANARY_PAUSE_STEP);
        }
        return persist();
    }

    /** Why the canary becomes the stable ReplicaSet now (Argo's shouldFullPromote), or null while it must not. */
    private String fullPromotionReason() {
        if (stableRS == null) {
            return "Initial deploy";
        }
        if (aborted() || Json.num(newRS, 0, "status", "availableReplicas") < replicas) {
            return null;
        }
        if (old.path("promoteFull").asBoolean(false)) {
            return "Full promotion requested";
        }
        if (stableHash.equals(currentHash())) {
            return "Fast rollback";
        }
        return steps.size() == 0 || oldStepIndex() == steps.size() ? "Completed all " + steps.size() + " canary steps" : null;
    }

    private void promoteStable(String reason) {
        clearPauses = true;
        removeAbort = true;
        promoteFull = false;
        stepIndex = steps.size() == 0 ? null : steps.size();
        if (!stableHash.equals(currentHash())) {
            events.normal(COMPONENT, rollout, "RolloutCompleted", "Rollout completed update to revision "
                    + rolloutRevision() + " (" + currentHash() + "): " + reason);
        }
        stableHash = currentHash();
    }

    /** A canary step as Argo's CanaryStepString names it in events. */
    private static String stepString(JsonNode step) {
        if (step.has("setWeight")) return "setWeight: " + step.path("setWeight").asInt();
        if (step.has("pause")) {
            JsonNode d = step.path("pause").get("duration");
            if (d == null || d.isNull()) return "pause";
            String text = d.asText();
            return "pause: " + (text.matches("\\d+") ? text + "s" : text); // Argo's DurationString.String()
        }
        for (String kind : new String[] {"experiment", "analysis"}) {
            if (step.has(kind)) return kind;
        }
        if (step.has("setCanaryScale")) {
            JsonNode sc = step.path("setCanaryScale");
            if (sc.has("weight")) return "setCanaryScale{weight: " + sc.path("weight").asInt() + "}";
            if (sc.path("matchTrafficWeight").asBoolean(false)) return "setCanaryScale{matchTrafficWeight: true}";
            if (sc.has("replicas")) return "setCanaryScale{replicas: " + sc.path("replicas").asInt() + "}";
        }
        if (step.has("plugin")) return "plugin: " + step.path("plugin").path("name").asText();
        if (step.has("setHeaderRoute")) return "setHeaderRoute: " + step.path("setHeaderRoute").path("name").asText();
        if (step.has("setMirrorRoute")) return "setMirrorRoute: " + step.path("setMirrorRoute").path("name").asText();
        return "invalid";
    }

    private String rolloutRevision() {
        return Json.str(rollout, "0", "metadata", "annotations", REVISION);
    }

    private boolean completedCurrentStep() {
        if (spec.path("paused").asBoolean(false)) {
            return false;
        }
        JsonNode step = currentStep();
        if (step == null) {
            return false;
        }
        if (step.has("pause")) {
            JsonNode cond = pauseCondition(old);
            Duration duration = pauseDuration(step);
            return old.path("controllerPause").asBoolean(false) && cond == null
                    || duration != null && cond != null && now.isAfter(pauseEnd(cond, duration));
        }
        if (step.has("setWeight")) {
            return atDesiredCounts();
        }
        if (step.has("analysis")) {
            return stepRun != null && "Successful".equals(RolloutAnalysis.phase(stepRun));
        }
        return true; // experiment and the other step kinds are not simulated: they pass at once
    }

    /** The canary's pods are all available at the step's weight, the stable is scaled, nothing else runs. */
    private boolean atDesiredCounts() {
        Counts want = desiredCounts();
        boolean canaryDone = specReplicas(newRS) == want.canary()
                && Json.num(newRS, 0, "status", "availableReplicas") == want.canary();
        boolean stableDone = !hasDistinctStable() || specReplicas(stableRS) == want.stable()
                && Json.num(stableRS, 0, "status", "replicas") == want.stable();
        long othersAvailable = others.stream().mapToLong(rs -> Json.num(rs, 0, "status", "availableReplicas")).sum();
        return canaryDone && stableDone && othersAvailable == 0;
    }

    private JsonNode currentStep() {
        int idx = oldStepIndex();
        return idx < steps.size() ? steps.get(idx) : null;
    }

    private int oldStepIndex() {
        return (int) Json.num(old, 0, "currentStepIndex");
    }

    private static JsonNode pauseCondition(JsonNode status) {
        return pauseCondition(status, CANARY_PAUSE_STEP);
    }

    private static JsonNode pauseCondition(JsonNode status, String reason) {
        for (JsonNode c : status.path("pauseConditions")) {
            if (reason.equals(c.path("reason").asText())) {
                return c;
            }
        }
        return null;
    }

    private Instant pauseEnd(JsonNode cond, Duration duration) {
        Instant start = instant(cond.path("startTime").asText());
        return (start == null ? now : start).plus(duration);
    }

    /** {@code pause.duration}: seconds as a number or digits, or a Go duration ({@code 30s}, {@code 1m30s}). */
    static Duration pauseDuration(JsonNode step) {
        JsonNode d = step.path("pause").get("duration");
        if (d == null || d.isNull()) {
            return null;
        }
        if (d.isNumber()) {
            return Duration.ofSeconds(d.asLong());
        }
        String text = d.asText().trim();
        return text.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text)) : goDuration(text);
    }

    /** A Go duration in whole seconds; one that cannot be parsed is no pause at all. */
    private static Duration goDuration(String text) {
        try {
            return Duration.ofSeconds(Durations.parse(text).getSeconds());
        } catch (IllegalArgumentException e) {
            return Duration.ZERO;
        }
    }

    // ---- analysis (canary steps, blue-green pre/post promotion) ----

    /** The runs the status records as current, if they still exist (Argo's getAnalysisRunsForRollout). */
    private void loadAnalysisRuns() {
        stepRun = RolloutAnalysis.recorded(store, ns, old.path("canary").get("currentStepAnalysisRunStatus"));
        preRun = RolloutAnalysis.recorded(store, ns, old.path("blueGreen").get("prePromotionAnalysisRunStatus"));
        postRun = RolloutAnalysis.recorded(store, ns, old.path("blueGreen").get("postPromotionAnalysisRunStatus"));
    }

    /** Argo's reconcileAnalysisRuns: starts, keeps or cancels the runs, and pauses or aborts on their outcome. */
    private void reconcileAnalysis() {
        if (RolloutAnalysis.runs(store) == null) {
            return;
        }
        boolean rollbackInDelay = bg && hasScaleDownDeadline(newRS);
        if (aborted() || old.path("promoteFull").asBoolean(false) || rollbackInDelay || stableHash.isEmpty()) {
            for (ObjectNode run : java.util.stream.Stream.of(stepRun, preRun, postRun).filter(java.util.Objects::nonNull).toList()) {
                RolloutAnalysis.terminate(store, ns, Json.name(run));
            }
            return;
        }
        if (bg) {
            preRun = reconcilePrePromotionRun();
            outcome(preRun);
            postRun = reconcilePostPromotionRun();
            outcome(postRun);
        } else {
            stepRun = reconcileStepRun();
        }
    }

    private ObjectNode reconcileStepRun() {
        if (old.path("pauseConditions").size() > 0 || old.path("abort").asBoolean(false)) {
            return stepRun;
        }
        int index = oldStepIndex();
        JsonNode step = currentStep();
        boolean fromPreviousStep = step != null && step.has("analysis") && stepRun != null
                && !String.valueOf(index).equals(Json.str(stepRun, "", "metadata", "labels", RolloutAnalysis.STEP_INDEX_LABEL));
        if (step == null || !step.has("analysis") || step.path("analysis").path("templates").size() == 0 || fromPreviousStep) {
            cancel(stepRun);
            return null;
        }
        if (needsNewRun(stepRun)) {
            return created(RolloutAnalysis.create(store, rollout, step.path("analysis"), currentHash(), RolloutAnalysis.STEP, index));
        }
        outcome(stepRun);
        return stepRun;
    }

    private ObjectNode reconcilePrePromotionRun() {
        JsonNode analysis = blueGreen.path("prePromotionAnalysis");
        if (!analysis.isObject()) {
            cancel(preRun);
            return null;
        }
        String current = currentHash();
        String active = Json.str(old, "", "blueGreen", "activeSelector");
        if (stableHash.equals(current) || active.isEmpty() || active.equals(current) || !saturated(newRS, newRSReplicas())) {
            cancel(preRun);
            return preRun;
        }
        if (pauseCondition(old, INCONCLUSIVE_ANALYSIS) != null) {
            return preRun;
        }
        return needsNewRun(preRun) ? created(RolloutAnalysis.create(store, rollout, analysis, current, RolloutAnalysis.PRE, null)) : preRun;
    }

    private ObjectNode reconcilePostPromotionRun() {
        JsonNode analysis = blueGreen.path("postPromotionAnalysis");
        if (!analysis.isObject()) {
            cancel(postRun);
            return null;
        }
        if (skipPostPromotionRun()) {
            cancel(postRun);
            return postRun;
        }
        if (pauseCondition(old, INCONCLUSIVE_ANALYSIS) != null) {
            return postRun;
        }
        return needsNewRun(postRun) ? created(RolloutAnalysis.create(store, rollout, analysis, currentHash(), RolloutAnalysis.POST, null)) : postRun;
    }

    private boolean skipPostPromotionRun() {
        String current = currentHash();
        String active = Json.str(old, "", "blueGreen", "activeSelector");
        if (stableHash.equals(current) || !active.equals(current) || current.isEmpty()) {
            return true;
        }
        return postRun == null && !saturated(newRS, replicas);
    }

    /** A run just made, or null when a template it needs is missing: then look again in a while. */
    private ObjectNode created(ObjectNode run) {
        if (run == null) {
            requeueAfter(Duration.ofSeconds(5));
        }
        return run;
    }

    /** Argo's needsNewAnalysisRun: none yet, or the last one belongs to an update that was aborted (a retry). */
    private boolean needsNewRun(ObjectNode run) {
        if (run == null) {
            return true;
        }
        if (old.path("controllerPause").asBoolean(false) && pauseCondition(old, CANARY_PAUSE_STEP) == null
                && pauseCondition(old, BLUE_GREEN_PAUSE) == null) {
            return "Inconclusive".equals(RolloutAnalysis.phase(run));
        }
        return old.hasNonNull("abortedAt");
    }

    /** Argo's setPauseOrAbort: an inconclusive run pauses the rollout, a failed one (or an error) aborts it. */
    private void outcome(ObjectNode run) {
        if (run == null) {
            return;
        }
        switch (RolloutAnalysis.phase(run)) {
            case "Inconclusive" -> addPauses.add(INCONCLUSIVE_ANALYSIS);
            case "Failed", "Error" -> {
                addAbort = true;
                analysisAbort = true;
                abortMessage = Json.str(run, "", "status", "message");
            }
            default -> { }
        }
    }

    private void cancel(ObjectNode run) {
        if (run != null) {
            RolloutAnalysis.terminate(store, ns, Json.name(run));
        }
    }

    // ---- blue-green ----

    /** The active (required) and preview services; false while the active one is missing. */
    private boolean loadServices() {
        activeSvc = store.find(Resources.SERVICES, ns, blueGreen.path("activeService").asText(""));
        String preview = blueGreen.path("previewService").asText("");
        previewSvc = preview.isEmpty() ? null : store.find(Resources.SERVICES, ns, preview);
        return activeSvc != null && (preview.isEmpty() || previewSvc != null);
    }

    /** Argo's haltProgress: paused by a person, or by an inconclusive analysis. */
    private boolean haltProgress() {
        return spec.path("paused").asBoolean(false) || pauseCondition(old, INCONCLUSIVE_ANALYSIS) != null;
    }

    private void reconcilePreviewService() {
        if (previewSvc == null || haltProgress()) {
            return;
        }
        previewSvc = switchSelector(previewSvc, currentHash());
    }

    private void reconcileActiveService() {
        if (haltProgress() || !readyForPause() || !saturated(newRS, replicas)) {
            return;
        }
        String hash = selector(activeSvc);
        if (fastTracked()) {
            hash = currentHash();
        }
        if (completedBlueGreenPause() && completedPrePromotionAnalysis()) {
            hash = currentHash();
        }
        if (aborted()) {
            hash = stableHash;
        }
        if (!hash.isEmpty()) {
            activeSvc = switchSelector(activeSvc, hash);
        }
    }

    /** Points a service at the ReplicaSet with {@code hash}, as Argo's switchServiceSelector patches it. */
    private ObjectNode switchSelector(ObjectNode svc, String hash) {
        String from = selector(svc);
        boolean managed = Json.meta(svc).path("annotations").has(MANAGED_BY);
        if (from.equals(hash) && managed) {
            return svc;
        }
        ObjectNode updated = store.mutate(Resources.SERVICES, ns, Json.name(svc), null, o -> {
            Json.with(Json.meta(o), "annotations").put(MANAGED_BY, name);
            Json.with(o, "spec", "selector").put(HASH_LABEL, hash);
            return true;
        });
        events.normal(COMPONENT, rollout, "SwitchService", "Switched selector for service '" + Json.name(svc) + "' from '"
                + from + "' to '" + hash + "'");
        return updated;
    }

    private static String selector(ObjectNode svc) {
        return svc == null ? "" : Json.str(svc, "", "spec", "selector", HASH_LABEL);
    }

    /** Argo's isBlueGreenFastTracked: a fast rollback, a full promotion, or the active service has nothing to switch. */
    private boolean fastTracked() {
        if (fastRollback() || old.path("promoteFull").asBoolean(false)) {
            return true;
        }
        String active = selector(activeSvc);
        return active.isEmpty() || active.equals(currentHash());
    }

    /** Argo's isFastRollback: back to the stable ReplicaSet, or to an older one still inside its scale-down delay. */
    private boolean fastRollback() {
        if (stableRS == null) {
            return false;
        }
        if (stableHash.equals(currentHash())) {
            return true;
        }
        boolean older = Json.str(newRS, "", "metadata", "creationTimestamp")
                .compareTo(Json.str(stableRS, "", "metadata", "creationTimestamp")) < 0;
        return older && hasScaleDownDeadline(newRS);
    }

    private boolean needsControllerPause() {
        return !blueGreen.path("autoPromotionEnabled").asBoolean(true) || blueGreen.path("autoPromotionSeconds").asLong(0) > 0;
    }

    private boolean completedPrePromotionAnalysis() {
        return !blueGreen.path("prePromotionAnalysis").isObject() || preRun != null && "Successful".equals(RolloutAnalysis.phase(preRun));
    }

    /** Argo's CompletedBlueGreenPause: a person resumed it, autoPromotionSeconds passed, or no pause is needed. */
    private boolean completedBlueGreenPause() {
        if (addPauses.contains(BLUE_GREEN_PAUSE)) {
            return false;
        }
        if (old.path("blueGreen").path("scaleUpPreviewCheckPoint").asBoolean(false) || !needsControllerPause()) {
            return true;
        }
        JsonNode cond = pauseCondition(old, BLUE_GREEN_PAUSE);
        if (blueGreen.path("autoPromotionEnabled").asBoolean(true)) {
            long seconds = blueGreen.path("autoPromotionSeconds").asLong(0);
            if (seconds == 0) {
                return true;
            }
            return cond != null && now.isAfter(pauseEnd(cond, Duration.ofSeconds(seconds)));
        }
        return old.path("controllerPause").asBoolean(false) && cond == null;
    }

    /** Argo's reconcileBlueGreenPause: pauses once the preview is ready, until promoted or autoPromotionSeconds. */
    private void reconcileBlueGreenPause() {
        if (old.path("abort").asBoolean(false) || !readyForPause() || haltProgress()) {
            return;
        }
        if (fastTracked() || old.path("blueGreen").path("scaleUpPreviewCheckPoint").asBoolean(false) || !needsControllerPause()) {
            removePauses.add(BLUE_GREEN_PAUSE);
            return;
        }
        if (!completedPrePromotionAnalysis()) {
            return;
        }
        JsonNode cond = pauseCondition(old, BLUE_GREEN_PAUSE);
        if (cond != null) {
            if (!completedBlueGreenPause()) {
                long seconds = blueGreen.path("autoPromotionSeconds").asLong(0);
                if (seconds > 0) {
                    requeueAfter(Duration.between(now, pauseEnd(cond, Duration.ofSeconds(seconds))).plusMillis(1));
                }
            } else {
                removePauses.add(BLUE_GREEN_PAUSE);
            }
        } else if (!old.path("controllerPause").asBoolean(false)) {
            addPauses.add(BLUE_GREEN_PAUSE);
        }
    }

    /** Argo's NewRSNewReplicas for blue-green: all replicas, or previewReplicaCount before the promotion. */
    private int newRSReplicas() {
        JsonNode preview = blueGreen.get("previewReplicaCount");
        if (preview == null || preview.isNull()) {
            return replicas;
        }
        ObjectNode activeRS = byHash(Json.str(old, "", "blueGreen", "activeSelector"));
        if (activeRS == null || activeRS == newRS || old.path("promoteFull").asBoolean(false)) {
            return replicas;
        }
        if (!currentHash().equals(Json.str(old, "", "currentPodHash"))) {
            return preview.asInt();
        }
        boolean notPaused = !spec.path("paused").asBoolean(false) && old.path("pauseConditions").size() == 0;
        return notPaused && old.path("blueGreen").path("scaleUpPreviewCheckPoint").asBoolean(false) ? replicas : preview.asInt();
    }

    private boolean readyForPause() {
        int want = newRSReplicas();
        return specReplicas(newRS) == want && Json.num(newRS, 0, "status", "availableReplicas") == want;
    }

    /** The ReplicaSet has {@code count} replicas wanted and available. */
    private static boolean saturated(ObjectNode rs, int count) {
        return rs != null && specReplicas(rs) == count && Json.num(rs, 0, "status", "availableReplicas") >= count;
    }

    /** Argo's reconcileBlueGreenReplicaSets: the stable at full size, the new one, the others after their delay. */
    private void scaleBlueGreen() {
        if (newRS != null && !delayScaleDownOnAbort()) {
            removeScaleDownDeadline(newRS);
        }
        if (stableRS != null && stableRS != newRS) {
            removeScaleDownDeadline(stableRS);
            scale(stableRS, replicas);
        }
        reconcileNewBlueGreenReplicaSet();
        scaleDownOthers();
    }

    private void reconcileNewBlueGreenReplicaSet() {
        int count = newRSReplicas();
        if (delayScaleDownOnAbort()) {
            Instant deadline = scaleDownDeadline(newRS);
            if (deadline != null) {
                if (deadline.isAfter(now)) {
                    requeueAfter(Duration.between(now, deadline).plusMillis(1));
                    return;
                }
                count = 0;
            } else {
                long delay = blueGreen.path("abortScaleDownDelaySeconds").asLong(DEFAULT_SCALE_DOWN_DELAY_SECONDS);
                if (Json.num(stableRS, 0, "status", "availableReplicas") >= replicas) {
                    addScaleDownDeadline(newRS, delay);
                }
                return; // the preview stays up until its deadline is set and passed
            }
        }
        scale(newRS, count);
    }

    /** Argo's shouldDelayScaleDownOnAbort for blue-green: aborted with a stable, and abortScaleDownDelaySeconds not 0. */
    private boolean delayScaleDownOnAbort() {
        return aborted() && stableRS != null && blueGreen.path("abortScaleDownDelaySeconds").asLong(DEFAULT_SCALE_DOWN_DELAY_SECONDS) != 0;
    }

    /** Argo's scaleDownOldReplicaSetsForBlueGreen: each old ReplicaSet gets a deadline, and goes to 0 after it. */
    private void scaleDownOthers() {
        if (pauseCondition(old, INCONCLUSIVE_ANALYSIS) != null) {
            return;
        }
        if (blueGreen.path("postPromotionAnalysis").isObject() && !blueGreen.has("scaleDownDelaySeconds") && !skipPostPromotionRun()
                && (postRun == null || !"Successful".equals(RolloutAnalysis.phase(postRun)))) {
            return;
        }
        List<ObjectNode> old = new ArrayList<>(others);
        old.sort(Comparator.comparingLong(RolloutSync::revision).reversed());
        long delay = blueGreen.path("scaleDownDelaySeconds").asLong(DEFAULT_SCALE_DOWN_DELAY_SECONDS);
        for (ObjectNode rs : old) {
            if (referenced(rs) || specReplicas(rs) == 0) {
                continue;
            }
            int want = 0;
            Instant deadline = scaleDownDeadline(rs);
            if (deadline == null && delay > 0) {
                addScaleDownDeadline(rs, delay);
                requeueAfter(Duration.ofSeconds(delay).plusMillis(1));
                want = (int) specReplicas(rs);
            } else if (deadline != null && deadline.isAfter(now)) {
                requeueAfter(Duration.between(now, deadline).plusMillis(1));
                want = replicas;
            }
            scale(rs, want);
        }
    }

    /** Argo's isReplicaSetReferenced: still named by the status or selected by a service. */
    private boolean referenced(ObjectNode rs) {
        String hash = hashOf(rs);
        if (hash.isEmpty()) {
            return false;
        }
        for (String ref : List.of(stableHash, Json.str(old, "", "currentPodHash"), Json.str(old, "", "blueGreen", "activeSelector"),
                Json.str(old, "", "blueGreen", "previewSelector"), selector(activeSvc), selector(previewSvc))) {
            if (hash.equals(ref)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasScaleDownDeadline(JsonNode rs) {
        return rs != null && !Json.str(rs, "", "metadata", "annotations", SCALE_DOWN_DEADLINE).isEmpty();
    }

    private static Instant scaleDownDeadline(JsonNode rs) {
        String text = Json.str(rs, "", "metadata", "annotations", SCALE_DOWN_DEADLINE);
        return text.isEmpty() ? null : instant(text);
    }

    private void addScaleDownDeadline(ObjectNode rs, long seconds) {
        String deadline = SimClock.format(now.plusSeconds(seconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        store.mutate(Resources.REPLICA_SETS, ns, Json.name(rs), null, r -> {
            Json.with(Json.meta(r), "annotations").put(SCALE_DOWN_DEADLINE, deadline);
            return true;
        });
        Json.with(Json.meta(rs), "annotations").put(SCALE_DOWN_DEADLINE, deadline);
    }

    private void removeScaleDownDeadline(ObjectNode rs) {
        if (!hasScaleDownDeadline(rs)) {
            return;
        }
        store.mutate(Resources.REPLICA_SETS, ns, Json.name(rs), null, r -> {
            ((ObjectNode) Json.with(Json.meta(r), "annotations")).remove(SCALE_DOWN_DEADLINE);
            return true;
        });
        ((ObjectNode) Json.meta(rs).path("annotations")).remove(SCALE_DOWN_DEADLINE);
    }

    /** Argo's syncRolloutStatusBlueGreen: the selectors, the promotion to stable, the preview checkpoint. */
    private Duration syncBlueGreenStatus() {
        if (old.path("promoteFull").asBoolean(false)) {
            clearPauses = true;
            removeAbort = true;
        }
        previewSelector = selector(previewSvc);
        activeSelector = selector(activeSvc);
        String reason = blueGreenPromotionReason();
        if (reason != null) {
            promoteStable(reason);
            scaleUpPreviewCheckPoint = false;
        } else {
            scaleUpPreviewCheckPoint = previewCheckPoint();
        }
        return persist();
    }

    /** Argo's shouldFullPromote for blue-green, or null while the new ReplicaSet must not become stable. */
    private String blueGreenPromotionReason() {
        if (stableRS == null || activeSelector.isEmpty()) {
            return "Initial deploy";
        }
        if (!activeSelector.equals(currentHash())) {
            return null;
        }
        if (old.path("promoteFull").asBoolean(false)) {
            return "Full promotion requested";
        }
        if (fastRollback()) {
            return "Fast rollback";
        }
        if (aborted()) {
            return null;
        }
        if (blueGreen.path("postPromotionAnalysis").isObject() && (postRun == null || !"Successful".equals(RolloutAnalysis.phase(postRun)))) {
            return null;
        }
        return "Completed blue-green update";
    }

    private boolean previewCheckPoint() {
        JsonNode preview = blueGreen.get("previewReplicaCount");
        if (preview == null || preview.isNull()) {
            return false;
        }
        if (old.path("blueGreen").path("scaleUpPreviewCheckPoint").asBoolean(false)) {
            return true;
        }
        if (!completedPrePromotionAnalysis() || !completedBlueGreenPause()) {
            return false;
        }
        return preview.asInt() == Json.num(newRS, 0, "status", "availableReplicas");
    }

    private ObjectNode byHash(String hash) {
        if (hash.isEmpty()) {
            return null;
        }
        return allRSs().stream().filter(rs -> hash.equals(hashOf(rs))).findFirst().orElse(null);
    }

    // ---- status ----

    private Duration persist() {
        return persist(true);
    }

    /**
     * Writes the status when it changed. {@code recalculate} false is Argo's reset for a new template or new steps:
     * the conditions stay as they were until the next pass.
     */
    private Duration persist(boolean recalculate) {
        ObjectNode next = baseStatus();
        if (recalculate) {
            abortOnProgressDeadline(next);
        }
        applyAbortAndPauses(next);
        if (recalculate) {
            applyConditions(next);
        }
        putPhase(next, spec);
        if (!next.equals(old)) {
            writeStatus(next);
            sendStateChangeEvents(next);
        }
        requeueIfStuck(next);
        return requeue;
    }

    /** Argo's sendStateChangeEvents: paused and resumed, as status.pauseConditions come and go. */
    private void sendStateChangeEvents(ObjectNode next) {
        boolean wasPaused = old.path("pauseConditions").size() > 0;
        boolean paused = next.path("pauseConditions").size() > 0;
        if (paused && !wasPaused) {
            events.normal(COMPONENT, rollout, ROLLOUT_PAUSED, PAUSED_MESSAGE + " ("
                    + next.path("pauseConditions").get(0).path("reason").asText() + ")");
        } else if (wasPaused && !paused && !next.hasNonNull("abortedAt")) {
            events.normal(COMPONENT, rollout, ROLLOUT_RESUMED, RESUMED_MESSAGE);
        }
    }

    private ObjectNode baseStatus() {
        List<ObjectNode> all = allRSs();
        ObjectNode s = Json.object();
        s.put("observedGeneration", Long.toString(Json.num(rollout, 1, "metadata", "generation")));
        s.put("currentPodHash", currentHash());
        if (!stableHash.isEmpty()) {
            s.put("stableRS", stableHash);
        }
        if (stepIndex != null) {
            s.put("currentStepIndex", stepIndex);
        }
        if (!bg) {
            s.put("currentStepHash", stepHash());
        }
        s.put("replicas", sum(all, "replicas"));
        s.put("updatedReplicas", (int) Json.num(newRS, 0, "status", "replicas"));
        s.put("readyReplicas", sum(all, "readyReplicas"));
        s.put("availableReplicas", sum(all, "availableReplicas"));
        s.put("HPAReplicas", sum(all, "replicas"));
        ObjectNode activeRS = bg ? byHash(activeSelector) : null;
        if (activeRS != null) {
            // blue-green counts what the active service sends traffic to
            s.put("HPAReplicas", Json.num(activeRS, 0, "status", "replicas"));
            s.put("availableReplicas", Json.num(activeRS, 0, "status", "availableReplicas"));
            s.put("readyReplicas", Json.num(activeRS, 0, "status", "readyReplicas"));
        }
        // Argo's counts are omitempty: a 0 is not written (measured against the real controller)
        for (String f : List.of("replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "HPAReplicas")) {
            if (s.path(f).asLong() == 0) s.remove(f);
        }
        s.put("selector", activeRS != null ? Selector.toQuery(activeRS.path("spec").path("selector"))
                : Selector.toQuery(spec.path("selector")));
        if (restartedAt != null) {
            s.put("restartedAt", restartedAt);
        }
        if (promoteFull && !stableHash.equals(currentHash())) {
            s.put("promoteFull", true);
        }
        ObjectNode canary = s.putObject("canary");
        if (stepRun != null) {
            canary.set("currentStepAnalysisRunStatus", RolloutAnalysis.status(stepRun));
        }
        ObjectNode blue = s.putObject("blueGreen");
        if (bg) {
            if (!activeSelector.isEmpty()) blue.put("activeSelector", activeSelector);
            if (!previewSelector.isEmpty()) blue.put("previewSelector", previewSelector);
            if (scaleUpPreviewCheckPoint) blue.put("scaleUpPreviewCheckPoint", true);
            if (preRun != null) blue.set("prePromotionAnalysisRunStatus", RolloutAnalysis.status(preRun));
            if (postRun != null) blue.set("postPromotionAnalysisRunStatus", RolloutAnalysis.status(postRun));
        }
        if (old.has("conditions")) {
            s.set("conditions", old.get("conditions").deepCopy());
        }
        return s;
    }

    /** With {@code spec.progressDeadlineAbort}, an update that timed out (last pass) is aborted. */
    private void abortOnProgressDeadline(ObjectNode next) {
        if (!spec.path("progressDeadlineAbort").asBoolean(false) || aborted()) {
            return;
        }
        if (completed(next) || progressed(next) || indefiniteStep() || !timedOut(old)) {
            return;
        }
        addAbort = true;
        abortMessage = timedOutMessage(Json.name(newRS));
        events.warning(COMPONENT, rollout, ROLLOUT_ABORTED, abortMessage);
    }

    private void applyAbortAndPauses(ObjectNode next) {
        if (aborted()) {
            next.put("abort", true);
            next.put("abortedAt", Json.str(old, nowText, "abortedAt"));
            return;
        }
        if (old.has("abort")) {
            // a retry's {"status":{"abort":false}} stays: Argo patches only what it changed, and false is its value too
            next.put("abort", false);
        }
        if (clearPauses) {
            return;
        }
        boolean controllerPause = old.path("controllerPause").asBoolean(false);
        ArrayNode conditions = Json.array();
        java.util.Set<String> present = new java.util.HashSet<>();
        for (JsonNode c : old.path("pauseConditions")) {
            if (!removePauses.contains(c.path("reason").asText())) {
                conditions.add(c);
            }
            present.add(c.path("reason").asText());
        }
        for (String reason : addPauses) {
            if (present.add(reason)) {
                conditions.addObject().put("reason", reason).put("startTime", nowText);
                controllerPause = true;
            }
        }
        if (conditions.isEmpty()) {
            return;
        }
        if (controllerPause) {
            next.put("controllerPause", true);
        }
        next.set("pauseConditions", conditions);
    }

    private void applyConditions(ObjectNode next) {
        String rsName = Json.name(newRS);
        boolean healthy = healthy(next);
        boolean becameUnhealthy = false;
        if (!isPaused(next) && healthy) {
            RolloutStatus.set(next, HEALTHY, "True", ROLLOUT_HEALTHY, HEALTHY_MESSAGE, nowText);
        } else if (condition(old, HEALTHY) != null) {
            becameUnhealthy = RolloutStatus.set(next, HEALTHY, "False", ROLLOUT_HEALTHY, NOT_HEALTHY_MESSAGE, nowText);
        }
        // like Argo's calculateRolloutConditions: "aborted" as it was when the pass began, so the pass that aborts on the
        // progress deadline writes the time-out condition and the next one the RolloutAborted condition (no reason)
        if (!removeAbort && (old.path("abort").asBoolean(false) || analysisAbort)) {
            String message = abortedMessage(Long.toString(revision(newRS)))
                    + (abortMessage.isEmpty() ? "" : ": " + abortMessage);
            if (RolloutStatus.set(next, PROGRESSING, "False", ROLLOUT_ABORTED, message, nowText)) {
                events.warning(COMPONENT, rollout, ROLLOUT_ABORTED, message);
            }
        } else if (healthy) {
            RolloutStatus.set(next, PROGRESSING, "True", NEW_RS_AVAILABLE, progressedMessage(rsName), nowText);
        } else if (progressed(next) || becameUnhealthy) {
            boolean unavailable = completed(next) && becameUnhealthy;
            RolloutStatus.replace(next, PROGRESSING, "True", unavailable ? RS_NOT_AVAILABLE : RS_UPDATED,
                    unavailable ? NOT_AVAILABLE_MESSAGE : progressingMessage(rsName), nowText);
        } else if (!indefiniteStep() && timedOut(next)) {
            RolloutStatus.set(next, PROGRESSING, "False", TIMED_OUT, timedOutMessage(rsName), nowText);
        }
        boolean available = Json.num(next, 0, "availableReplicas") >= replicas;
        RolloutStatus.set(next, AVAILABLE, available ? "True" : "False", AVAILABLE_REASON,
                available ? AVAILABLE_MESSAGE : NOT_AVAILABLE_MESSAGE, nowText);
        boolean complete = completed(next);
        if (RolloutStatus.set(next, COMPLETED, complete ? "True" : "False", ROLLOUT_COMPLETED, ROLLOUT_COMPLETED, nowText) && !complete) {
            events.normal(COMPONENT, rollout, "RolloutNotCompleted", "Rollout not completed, started update to revision "
                    + rolloutRevision() + " (" + Json.str(next, "", "currentPodHash") + ")");
        }
    }

    /** Argo's RolloutProgressing: replica counts, stable, step index or steps moved since the last status. */
    private boolean progressed(JsonNode next) {
        long oldOld = Json.num(old, 0, "replicas") - Json.num(old, 0, "updatedReplicas");
        long newOld = Json.num(next, 0, "replicas") - Json.num(next, 0, "updatedReplicas");
        boolean stepMoved = next.has("currentStepIndex") && old.has("currentStepIndex")
                && next.path("currentStepIndex").asInt() != old.path("currentStepIndex").asInt();
        return Json.num(next, 0, "updatedReplicas") != Json.num(old, 0, "updatedReplicas")
                || newOld < oldOld
                || Json.num(next, 0, "readyReplicas") > Json.num(old, 0, "readyReplicas")
                || Json.num(next, 0, "availableReplicas") > Json.num(old, 0, "availableReplicas")
                || !Json.str(next, "", "stableRS").equals(Json.str(old, "", "stableRS"))
                || stepMoved
                || !Json.str(next, "", "currentStepHash").equals(Json.str(old, "", "currentStepHash"));
    }

    /** Argo's RolloutHealthy: all steps done, the update is stable, every replica updated and available. */
    private boolean healthy(JsonNode next) {
        boolean strategyDone;
        if (bg) {
            String current = Json.str(next, "", "currentPodHash");
            strategyDone = current.equals(Json.str(next, "", "blueGreen", "activeSelector"))
                    && (previewSvc == null || current.equals(Json.str(next, "", "blueGreen", "previewSelector")));
        } else {
            boolean allSteps = steps.size() == 0 || !next.has("currentStepIndex")
                    || next.path("currentStepIndex").asInt() == steps.size();
            strategyDone = allSteps && completed(next) && Json.num(next, 0, "replicas") == replicas;
        }
        return Json.num(next, 0, "updatedReplicas") == replicas
                && Json.num(next, 0, "availableReplicas") == replicas
                && generationObserved() && strategyDone;
    }

    private boolean timedOut(JsonNode status) {
        ObjectNode c = condition(status, PROGRESSING);
        if (c == null) {
            return false;
        }
        String reason = c.path("reason").asText();
        if (ROLLOUT_ABORTED.equals(reason) || ROLLOUT_PAUSED.equals(reason)) {
            return false;
        }
        if (TIMED_OUT.equals(reason)) {
            return true;
        }
        Instant last = instant(c.path("lastUpdateTime").asText());
        return last != null && last.plusSeconds(progressDeadlineSeconds()).isBefore(now);
    }

    /** A pause step, or a paused rollout, does not count against the progress deadline. */
    private boolean indefiniteStep() {
        JsonNode step = currentStep();
        if (step != null && step.has("pause")) {
            return true;
        }
        ObjectNode paused = condition(old, PAUSED);
        return paused != null && "True".equals(paused.path("status").asText());
    }

    /** Wakes up when the progress deadline would pass without progress. */
    private void requeueIfStuck(JsonNode next) {
        ObjectNode cond = condition(old, PROGRESSING);
        if (cond == null || healthy(next) || TIMED_OUT.equals(cond.path("reason").asText()) || isPaused(old)
                || old.path("abort").asBoolean(false) || indefiniteStep()) {
            return;
        }
        Instant last = instant(cond.path("lastUpdateTime").asText());
        if (last == null) {
            return;
        }
        Duration left = Duration.between(now, last.plusSeconds(progressDeadlineSeconds()));
        requeueAfter(left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left.plusSeconds(1));
    }

    private void writeStatus(ObjectNode status) {
        ObjectNode body = rollout.deepCopy();
        body.set("status", status);
        rollout = store.update(type, ns, name, body, "status");
    }

    // ---- small helpers ----

    private boolean aborted() {
        return !removeAbort && (addAbort || old.path("abort").asBoolean(false));
    }

    private boolean isPaused(JsonNode status) {
        return status.path("pauseConditions").size() > 0 || spec.path("paused").asBoolean(false);
    }

    private static boolean completed(JsonNode status) {
        String stable = Json.str(status, "", "stableRS");
        return !stable.isEmpty() && stable.equals(Json.str(status, "", "currentPodHash"));
    }

    private boolean generationObserved() {
        return Long.toString(Json.num(rollout, 1, "metadata", "generation"))
                .equals(Json.str(old, "", "observedGeneration"));
    }

    private long progressDeadlineSeconds() {
        return Json.num(spec, DEFAULT_PROGRESS_DEADLINE_SECONDS, "progressDeadlineSeconds");
    }

    private boolean hasDistinctStable() {
        return stableRS != null && stableRS != newRS;
    }

    private List<ObjectNode> allRSs() {
        List<ObjectNode> all = olderRSs();
        all.add(0, newRS);
        return all;
    }

    /** Every owned ReplicaSet but the new one. */
    private List<ObjectNode> olderRSs() {
        List<ObjectNode> older = new ArrayList<>();
        if (stableRS != null && stableRS != newRS) {
            older.add(stableRS);
        }
        older.addAll(others);
        return older;
    }

    private String currentHash() {
        return hashOf(newRS);
    }

    private String stepHash() {
        ObjectNode wrapper = Json.object();
        wrapper.set("steps", steps.isMissingNode() ? Json.array() : steps);
        return PodTemplates.hash(wrapper);
    }

    private void requeueAfter(Duration d) {
        if (requeue == null || d.compareTo(requeue) < 0) {
            requeue = d;
        }
    }

    private static String hashOf(JsonNode rs) {
        return Json.str(rs, "", "metadata", "labels", HASH_LABEL);
    }

    private static long revision(JsonNode rs) {
        try {
            return Long.parseLong(Json.str(rs, "0", "metadata", "annotations", REVISION));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long maxRevision(List<ObjectNode> rss) {
        return rss.stream().mapToLong(RolloutSync::revision).max().orElse(0);
    }

    private static long specReplicas(JsonNode rs) {
        return Json.num(rs, 1, "spec", "replicas");
    }

    private static int sum(List<ObjectNode> rss, String field) {
        return (int) rss.stream().mapToLong(rs -> Json.num(rs, 0, "status", field)).sum();
    }

    private static Instant instant(String text) {
        try {
            return SimClock.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

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
    private boolean addPause;
    private boolean removePause;
    private boolean clearPauses;

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
        if (newRS == null) {
            createNewReplicaSet();
            return null;
        }
        syncRevision();
        if (templateOrStepsChanged()) {
            resetStatus();
            return persist(false);
        }
        if (restartPods()) {
            return requeue;
        }
        pruneHistory();
        if (!scaleReplicaSets()) {
            reconcileCanaryPause();
        }
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
        return oldStepHash.isEmpty() || !oldStepHash.equals(stepHash())
                || !oldPodHash.isEmpty() && !oldPodHash.equals(hashOf(newRS));
    }

    /** A new update starts: steps from 0, or straight to the end when going back to the stable ReplicaSet. */
    private void resetStatus() {
        clearPauses = true;
        removeAbort = true;
        promoteFull = false;
        restartedAt = Json.str(spec, null, "restartAt");
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
            addPause = !old.path("controllerPause").asBoolean(false);
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
            removePause = true;
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
        return true; // analysis, experiment and the other step kinds are not simulated: they pass at once
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
        for (JsonNode c : status.path("pauseConditions")) {
            if (CANARY_PAUSE_STEP.equals(c.path("reason").asText())) {
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
        s.put("currentStepHash", stepHash());
        s.put("replicas", sum(all, "replicas"));
        s.put("updatedReplicas", (int) Json.num(newRS, 0, "status", "replicas"));
        s.put("readyReplicas", sum(all, "readyReplicas"));
        s.put("availableReplicas", sum(all, "availableReplicas"));
        s.put("HPAReplicas", sum(all, "replicas"));
        // Argo's counts are omitempty: a 0 is not written (measured against the real controller)
        for (String f : List.of("replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "HPAReplicas")) {
            if (s.path(f).asLong() == 0) s.remove(f);
        }
        s.put("selector", Selector.toQuery(spec.path("selector")));
        if (restartedAt != null) {
            s.put("restartedAt", restartedAt);
        }
        if (promoteFull && !stableHash.equals(currentHash())) {
            s.put("promoteFull", true);
        }
        s.putObject("canary");
        s.putObject("blueGreen");
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
        for (JsonNode c : old.path("pauseConditions")) {
            if (!(removePause && CANARY_PAUSE_STEP.equals(c.path("reason").asText()))) {
                conditions.add(c);
            }
        }
        if (addPause && pauseCondition(old) == null) {
            conditions.addObject().put("reason", CANARY_PAUSE_STEP).put("startTime", nowText);
            controllerPause = true;
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
        if (!removeAbort && old.path("abort").asBoolean(false)) {
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
        boolean allSteps = steps.size() == 0 || !next.has("currentStepIndex")
                || next.path("currentStepIndex").asInt() == steps.size();
        return Json.num(next, 0, "updatedReplicas") == replicas
                && Json.num(next, 0, "availableReplicas") == replicas
                && Json.num(next, 0, "replicas") == replicas
                && generationObserved() && allSteps && completed(next);
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

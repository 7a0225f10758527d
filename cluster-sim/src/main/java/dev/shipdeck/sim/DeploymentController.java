package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The apps/v1 Deployment controller, after kube-controller-manager's: one ReplicaSet per pod template (named
 * {@code <deployment>-<template hash>}), RollingUpdate within maxSurge/maxUnavailable or Recreate, proportional
 * scaling, revision bookkeeping in {@value #REVISION} (a rollback moves the reused ReplicaSet to max+1 and keeps
 * its old numbers in {@value #REVISION_HISTORY}), history pruning, pause/resume, and the Available/Progressing
 * conditions with the progress deadline measured in simulated time.
 */
public final class DeploymentController implements Controller {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";
    static final String NEW_RS_CREATED = "NewReplicaSetCreated";
    static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    static final String RS_UPDATED = "ReplicaSetUpdated";
    static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    static final String PAUSED = "DeploymentPaused";
    static final String RESUMED = "DeploymentResumed";

    private static final Set<String> NOT_COPIED_TO_RS = Set.of(LAST_APPLIED, REVISION, REVISION_HISTORY,
            DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");
    private static final int MAX_REVISION_HISTORY_CHARS = 2000;
    private static final int NO_DEADLINE = Integer.MAX_VALUE;

    /** The event source, as kube-controller-manager names this controller. */
    static final String COMPONENT = "deployment-controller";

    private final Store store;
    private final EventRecorder events;

    public DeploymentController(Store store) {
        this(store, new EventRecorder(store));
    }

    DeploymentController(Store store, EventRecorder events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public ResourceType primary() {
        return Resources.DEPLOYMENTS;
    }

    @Override
    public List<Key> keysFor(Store.Event event) {
        String type = event.resource().key();
        ObjectNode o = event.object();
        if (type.equals(Resources.DEPLOYMENTS.key())) {
            return List.of(new Key(Json.namespace(o), Json.name(o)));
        }
        if (type.equals(Resources.REPLICA_SETS.key())) {
            JsonNode ref = ReplicaSetController.controllerRef(o);
            if (ref != null && "Deployment".equals(ref.path("kind").asText())) {
                return List.of(new Key(Json.namespace(o), ref.path("name").asText()));
            }
        }
        return List.of();
    }

    @Override
    public Duration reconcile(Key key) {
        ObjectNode d = store.find(Resources.DEPLOYMENTS, key.namespace(), key.name());
        return d == null ? null : new Pass(d).run();
    }

    // ---- spec accessors with the API server's defaults ----------------------------------------------------

    static int replicas(JsonNode d) {
        return (int) Json.num(d, 1, "spec", "replicas");
    }

    static boolean isRecreate(JsonNode d) {
        return "Recreate".equals(Json.str(d, "RollingUpdate", "spec", "strategy", "type"));
    }

    static boolean isPaused(JsonNode d) {
        return d.path("spec").path("paused").asBoolean(false);
    }

    private static long progressDeadlineSeconds(JsonNode d) {
        return Json.num(d, 600, "spec", "progressDeadlineSeconds");
    }

    private static boolean hasProgressDeadline(JsonNode d) {
        return progressDeadlineSeconds(d) != NO_DEADLINE;
    }

    /** maxSurge resolved against spec.replicas (rounded up); 0 for Recreate. */
    static int maxSurge(JsonNode d) {
        return isRecreate(d) ? 0 : fenceposts(d)[0];
    }

    /** maxUnavailable resolved against spec.replicas (rounded down, never above it); 0 for Recreate. */
    static int maxUnavailable(JsonNode d) {
        if (isRecreate(d) || replicas(d) == 0) {
            return 0;
        }
        return Math.min(fenceposts(d)[1], replicas(d));
    }

    private static int[] fenceposts(JsonNode d) {
        JsonNode ru = d.path("spec").path("strategy").path("rollingUpdate");
        int surge = scaled(ru.get("maxSurge"), replicas(d), true);
        int unavailable = scaled(ru.get("maxUnavailable"), replicas(d), false);
        return surge == 0 && unavailable == 0 ? new int[] {0, 1} : new int[] {surge, unavailable};
    }

    private static int scaled(JsonNode intOrPercent, int total, boolean roundUp) {
        String v = intOrPercent == null || intOrPercent.isNull() ? "25%" : intOrPercent.asText().trim();
        if (!v.endsWith("%")) {
            return Integer.parseInt(v);
        }
        double exact = Integer.parseInt(v.substring(0, v.length() - 1)) * (double) total / 100;
        return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
    }

    // ---- ReplicaSet accessors ----------------------------------------------------------------------------

    private static int specReplicas(JsonNode rs) {
        return (int) Json.num(rs, 1, "spec", "replicas");
    }

    private static int statusInt(JsonNode obj, String field) {
        return (int) Json.num(obj, 0, "status", field);
    }

    private static String uid(JsonNode obj) {
        return Json.str(obj, "", "metadata", "uid");
    }

    private static String annotation(JsonNode obj, String key) {
        return Json.str(obj, null, "metadata", "annotations", key);
    }

    static long revision(JsonNode rs) {
        try {
            return Long.parseLong(Json.str(rs, "0", "metadata", "annotations", REVISION));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant created(JsonNode obj) {
        Instant t = SimClock.parse(Json.str(obj, "", "metadata", "creationTimestamp"));
        return t == null ? Instant.EPOCH : t;
    }

    private static final Comparator<JsonNode> OLDEST_FIRST =
            Comparator.comparing(DeploymentController::created).thenComparing(Json::name);

    private static int sum(List<ObjectNode> rss, ToIntFunction<JsonNode> f) {
        return rss.stream().mapToInt(f).sum();
    }

    private static List<ObjectNode> active(List<ObjectNode> rss) {
        return rss.stream().filter(rs -> specReplicas(rs) > 0).toList();
    }

    // ---- conditions --------------------------------------------------------------------------------------

    private ObjectNode condition(String type, String status, String reason, String message) {
        String now = store.clock().timestamp();
        ObjectNode c = Json.object();
        c.put("type", type);
        c.put("status", status);
        c.put("lastUpdateTime", now);
        c.put("lastTransitionTime", now);
        c.put("reason", reason);
        c.put("message", message);
        return c;
    }

    static ObjectNode getCondition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return (ObjectNode) c;
            }
        }
        return null;
    }

    /** Kubernetes' SetDeploymentCondition: same status and reason → unchanged; same status keeps the transition time. */
    private static void setCondition(ObjectNode status, ObjectNode c) {
        ObjectNode cur = getCondition(status, c.path("type").asText());
        if (cur != null && cur.path("status").equals(c.path("status")) && cur.path("reason").equals(c.path("reason"))) {
            return;
        }
        if (cur != null && cur.path("status").equals(c.path("status"))) {
            c.set("lastTransitionTime", cur.get("lastTransitionTime"));
        }
        removeCondition(status, c.path("type").asText());
        JsonNode conds = status.get("conditions");
        (conds instanceof ArrayNode a ? a : status.putArray("conditions")).add(c);
    }

    private static void removeCondition(ObjectNode status, String type) {
        JsonNode conds = status.get("conditions");
        if (conds instanceof ArrayNode a) {
            for (int i = a.size() - 1; i >= 0; i--) {
                if (type.equals(a.get(i).path("type").asText())) {
                    a.remove(i);
                }
            }
        }
    }

    /** DeploymentComplete: every replica updated and available, and the generation observed. */
    private static boolean isComplete(JsonNode d, JsonNode status) {
        int want = replicas(d);
        return status.path("updatedReplicas").asInt(0) == want && status.path("replicas").asInt(0) == want
                && status.path("availableReplicas").asInt(0) == want
                && status.path("observedGeneration").asLong(0) >= Json.num(d, 0, "metadata", "generation");
    }

    /** DeploymentProgressing: more updated, ready or available replicas, or fewer old ones, than before. */
    private static boolean isProgressing(JsonNode old, JsonNode now) {
        int oldOld = old.path("replicas").asInt(0) - old.path("updatedReplicas").asInt(0);
        int newOld = now.path("replicas").asInt(0) - now.path("updatedReplicas").asInt(0);
        return now.path("updatedReplicas").asInt(0) > old.path("updatedReplicas").asInt(0) || newOld < oldOld
                || now.path("readyReplicas").asInt(0) > old.path("readyReplicas").asInt(0)
                || now.path("availableReplicas").asInt(0) > old.path("availableReplicas").asInt(0);
    }

    /**
     * One reconcile of one Deployment: the Deployment as last written and the ReplicaSets it controls, kept
     * current as this pass writes them.
     */
    private final class Pass {
        private ObjectNode d;
        private final List<ObjectNode> rss;
        private String newUid;

        Pass(ObjectNode d) {
            this.d = d;
            String uid = uid(d);
            JsonNode selector = d.path("spec").path("selector");
            this.rss = new ArrayList<>(store.owned(Resources.REPLICA_SETS, Json.namespace(d), uid,
                    rs -> ReplicaSetController.controlledBy(rs, uid)
                            && Selector.matches(selector, rs.path("metadata").path("labels"))));
        }

        Duration run() {
            if (selectsEverything()) {
                return null;
            }
            syncPausedCondition();
            if (isPaused(d) || isScalingEvent()) {
                return syncScale();
            }
            return isRecreate(d) ? rolloutRecreate() : rolloutRolling();
        }

        // ---- state ---------------------------------------------------------------------------------------

        private ObjectNode newRS() {
            return newUid == null ? null : rss.stream().filter(rs -> newUid.equals(uid(rs))).findFirst().orElse(null);
        }

        private List<ObjectNode> olds() {
            return rss.stream().filter(rs -> !uid(rs).equals(newUid)).toList();
        }

        private List<ObjectNode> all() {
            return List.copyOf(rss);
        }

        private ObjectNode current(ObjectNode rs) {
            return rss.stream().filter(r -> uid(r).equals(uid(rs))).findFirst().orElse(rs);
        }

        private void replace(ObjectNode updated) {
            rss.replaceAll(rs -> uid(rs).equals(uid(updated)) ? updated : rs);
        }

        private String ns() {
            return Json.namespace(d);
        }

        private ObjectNode status() {
            return d.path("status").isObject() ? (ObjectNode) d.get("status") : Json.object();
        }

        private void writeStatus(ObjectNode status) {
            ObjectNode copy = d.deepCopy();
            copy.set("status", status);
            d = store.update(Resources.DEPLOYMENTS, ns(), Json.name(d), copy, "status");
        }

        /** An empty selector selects everything: Kubernetes refuses to act, says so and only records the generation. */
        private boolean selectsEverything() {
            JsonNode sel = d.path("spec").path("selector");
            if (!sel.path("matchLabels").isEmpty() || !sel.path("matchExpressions").isEmpty()) {
                return false;
            }
            events.warning(COMPONENT, d, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            long generation = Json.num(d, 0, "metadata", "generation");
            if (statusInt(d, "observedGeneration") < generation) {
                ObjectNode s = status().deepCopy();
                s.put("observedGeneration", generation);
                writeStatus(s);
            }
            return true;
        }

        // ---- pause -------------------------------------------------------------------------------------

        /** Progressing Unknown while paused (so no deadline runs), Unknown "resumed" right after. */
        private void syncPausedCondition() {
            if (!hasProgressDeadline(d)) {
                return;
            }
            ObjectNode cur = getCondition(status(), PROGRESSING);
            String reason = cur == null ? "" : cur.path("reason").asText();
            if (reason.equals(TIMED_OUT)) {
                return;
            }
            ObjectNode c;
            if (isPaused(d) && !reason.equals(PAUSED)) {
                c = condition(PROGRESSING, "Unknown", PAUSED, "Deployment is paused");
            } else if (!isPaused(d) && reason.equals(PAUSED)) {
                c = condition(PROGRESSING, "Unknown", RESUMED, "Deployment is resumed");
            } else {
                return;
            }
            ObjectNode s = status().deepCopy();
            setCondition(s, c);
            writeStatus(s);
        }

        // ---- new ReplicaSet and revisions ---------------------------------------------------------------

        /** The oldest ReplicaSet whose template equals the Deployment's (ignoring the hash label). */
        private void findNew() {
            JsonNode template = d.path("spec").path("template");
            newUid = rss.stream().sorted(OLDEST_FIRST)
                    .filter(rs -> PodTemplates.sameTemplate(rs.path("spec").path("template"), template))
                    .map(DeploymentController::uid).findFirst().orElse(null);
        }

        /** getAllReplicaSetsAndSyncRevision: finds (or creates) the new ReplicaSet and syncs revisions. */
        private void syncRevision(boolean createIfMissing) {
            findNew();
            String newRevision = Long.toString(olds().stream().mapToLong(DeploymentController::revision).max().orElse(0) + 1);
            if (newUid != null) {
                refreshNew(newRevision);
            } else if (createIfMissing) {
                createNew(newRevision);
            }
        }

        private void refreshNew(String newRevision) {
            ObjectNode rs = newRS().deepCopy();
            boolean changed = setNewRsAnnotations(rs, newRevision, true);
            long minReady = Json.num(d, 0, "spec", "minReadySeconds");
            if (Json.num(rs, 0, "spec", "minReadySeconds") != minReady) {
                setMinReadySeconds((ObjectNode) rs.get("spec"), minReady);
                changed = true;
            }
            if (changed) {
                replace(store.update(Resources.REPLICA_SETS, ns(), Json.name(rs), rs, null));
            }
            ObjectNode found = null;
            if (hasProgressDeadline(d) && getCondition(status(), PROGRESSING) == null) {
                found = condition(PROGRESSING, "True", FOUND_NEW_RS, "Found new replica set \"" + Json.name(rs) + "\"");
            }
            syncDeploymentRevision(annotation(newRS(), REVISION), found);
        }

        private void createNew(String newRevision) {
            JsonNode collisions = d.path("status").get("collisionCount");
            String hash = PodTemplates.hash(d.path("spec").path("template"), collisions == null ? null : collisions.asInt());
            ObjectNode rs = buildReplicaSet(hash);
            Json.with(rs, "spec").put("replicas", newRsReplicas(rs));
            setNewRsAnnotations(rs, newRevision, false);
            ObjectNode created;
            try {
                created = store.create(Resources.REPLICA_SETS, ns(), rs);
            } catch (ApiException e) {
                if (e.code() == 409) {
                    recordCollision(collisions == null ? 0 : collisions.asInt());
                }
                throw e;
            }
            rss.add(created);
            newUid = uid(created);
            if (specReplicas(created) > 0) {
                events.normal(COMPONENT, d, "ScalingReplicaSet",
                        "Scaled up replica set " + Json.name(created) + " from 0 to " + specReplicas(created));
            }
            ObjectNode cond = hasProgressDeadline(d)
                    ? condition(PROGRESSING, "True", NEW_RS_CREATED, "Created new replica set \"" + Json.name(created) + "\"")
                    : null;
            syncDeploymentRevision(newRevision, cond);
        }

        /** A ReplicaSet named like ours but not ours: bump status.collisionCount so the next hash differs. */
        private void recordCollision(int previous) {
            ObjectNode s = status().deepCopy();
            s.put("collisionCount", previous + 1);
            writeStatus(s);
        }

        private ObjectNode buildReplicaSet(String hash) {
            ObjectNode template = objectCopy(d.path("spec").path("template"));
            Json.with(template, "metadata", "labels").put(PodTemplates.POD_TEMPLATE_HASH, hash);
            ObjectNode selector = objectCopy(d.path("spec").path("selector"));
            Json.with(selector, "matchLabels").put(PodTemplates.POD_TEMPLATE_HASH, hash);
            ObjectNode rs = Json.object();
            rs.put("apiVersion", Resources.REPLICA_SETS.apiVersion());
            rs.put("kind", "ReplicaSet");
            ObjectNode meta = rs.putObject("metadata");
            meta.put("name", Json.name(d) + "-" + hash);
            meta.put("namespace", ns());
            meta.set("labels", template.path("metadata").path("labels").deepCopy());
            meta.putArray("ownerReferences").add(ownerRef());
            ObjectNode spec = rs.putObject("spec");
            spec.put("replicas", 0);
            setMinReadySeconds(spec, Json.num(d, 0, "spec", "minReadySeconds"));
            spec.set("selector", selector);
            spec.set("template", template);
            return rs;
        }

        private static ObjectNode objectCopy(JsonNode n) {
            return n.isObject() ? ((ObjectNode) n).deepCopy() : Json.object();
        }

        private ObjectNode ownerRef() {
            ObjectNode ref = Json.object();
            ref.put("apiVersion", Resources.DEPLOYMENTS.apiVersion());
            ref.put("kind", "Deployment");
            ref.put("name", Json.name(d));
            ref.put("uid", uid(d));
            ref.put("controller", true);
            ref.put("blockOwnerDeletion", true);
            return ref;
        }

        private static void setMinReadySeconds(ObjectNode spec, long seconds) {
            if (seconds == 0) {
                spec.remove("minReadySeconds");
            } else {
                spec.put("minReadySeconds", seconds);
            }
        }

        /**
         * SetNewReplicaSetAnnotations: copies the Deployment's annotations, moves the revision forward (keeping
         * the numbers it had in the revision history), and sets the replica annotations on a new ReplicaSet.
         */
        private boolean setNewRsAnnotations(ObjectNode rs, String newRevision, boolean exists) {
            ObjectNode ann = Json.with(Json.meta(rs), "annotations");
            boolean changed = copyDeploymentAnnotations(ann);
            String oldRevision = ann.path(REVISION).asText(null);
            long oldNumber;
            try {
                oldNumber = oldRevision == null ? 0 : Long.parseLong(oldRevision);
            } catch (NumberFormatException e) {
                return changed;
            }
            if (oldNumber < Long.parseLong(newRevision)) {
                ann.put(REVISION, newRevision);
                changed = true;
                if (oldRevision != null) {
                    appendRevisionHistory(ann, oldRevision);
                }
            }
            if (!exists && setReplicasAnnotations(rs)) {
                changed = true;
            }
            return changed;
        }

        private boolean copyDeploymentAnnotations(ObjectNode rsAnnotations) {
            boolean changed = false;
            for (var e : d.path("metadata").path("annotations").properties()) {
                if (NOT_COPIED_TO_RS.contains(e.getKey()) || e.getValue().equals(rsAnnotations.get(e.getKey()))) {
                    continue;
                }
                rsAnnotations.set(e.getKey(), e.getValue().deepCopy());
                changed = true;
            }
            return changed;
        }

        private static void appendRevisionHistory(ObjectNode ann, String oldRevision) {
            String history = ann.path(REVISION_HISTORY).asText("");
            if (history.isEmpty()) {
                ann.put(REVISION_HISTORY, oldRevision);
                return;
            }
            List<String> revisions = new ArrayList<>(List.of(history.split(",", -1)));
            int total = history.length() + oldRevision.length() + 1;
            while (total > MAX_REVISION_HISTORY_CHARS && !revisions.isEmpty()) {
                total -= revisions.remove(0).length() + 1;
            }
            if (total <= MAX_REVISION_HISTORY_CHARS) {
                revisions.add(oldRevision);
                ann.put(REVISION_HISTORY, String.join(",", revisions));
            }
        }

        /** desired-replicas = spec.replicas, max-replicas = spec.replicas + maxSurge; true when changed. */
        private boolean setReplicasAnnotations(ObjectNode rs) {
            ObjectNode ann = Json.with(Json.meta(rs), "annotations");
            String desired = Integer.toString(replicas(d));
            String max = Integer.toString(replicas(d) + maxSurge(d));
            if (desired.equals(ann.path(DESIRED_REPLICAS).asText(null)) && max.equals(ann.path(MAX_REPLICAS).asText(null))) {
                return false;
            }
            ann.put(DESIRED_REPLICAS, desired);
            ann.put(MAX_REPLICAS, max);
            return true;
        }

        /** The Deployment's revision annotation (a metadata update) and, when given, a Progressing condition. */
        private void syncDeploymentRevision(String revision, ObjectNode progressing) {
            if (revision != null && !revision.equals(annotation(d, REVISION))) {
                ObjectNode copy = d.deepCopy();
                Json.with(Json.meta(copy), "annotations").put(REVISION, revision);
                d = store.update(Resources.DEPLOYMENTS, ns(), Json.name(d), copy, null);
            }
            if (progressing != null) {
                ObjectNode s = status().deepCopy();
                setCondition(s, progressing);
                writeStatus(s);
            }
        }

        /** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
        private int newRsReplicas(ObjectNode rs) {
            if (isRecreate(d)) {
                return replicas(d);
            }
            int current = sum(olds(), DeploymentController::specReplicas) + specReplicas(rs);
            int maxTotal = replicas(d) + maxSurge(d);
            if (current >= maxTotal) {
                return specReplicas(rs);
            }
            return specReplicas(rs) + Math.min(maxTotal - current, replicas(d) - specReplicas(rs));
        }

        // ---- scaling ReplicaSets ------------------------------------------------------------------------

        /** scaleReplicaSetAndRecordEvent: no-op when the size is already right; true when the size changed. */
        private boolean scaleTo(ObjectNode rs, int size) {
            return specReplicas(current(rs)) != size && scale(current(rs), size);
        }

        /** scaleReplicaSet: writes the size and the replica annotations when either differs; true when the size changed. */
        private boolean scale(ObjectNode rs, int size) {
            ObjectNode copy = rs.deepCopy();
            boolean sizeChanged = specReplicas(rs) != size;
            boolean annotationsChanged = setReplicasAnnotations(copy);
            if (!sizeChanged && !annotationsChanged) {
                return false;
            }
            Json.with(copy, "spec").put("replicas", size);
            replace(store.update(Resources.REPLICA_SETS, ns(), Json.name(rs), copy, null));
            if (sizeChanged) {
                int from = specReplicas(rs);
                events.normal(COMPONENT, d, "ScalingReplicaSet", "Scaled " + (from < size ? "up" : "down")
                        + " replica set " + Json.name(rs) + " from " + from + " to " + size);
            }
            return sizeChanged;
        }

        // ---- scaling events and pause (kube's "sync") ---------------------------------------------------

        /** A ReplicaSet with replicas whose desired-replicas annotation differs from spec.replicas. */
        private boolean isScalingEvent() {
            findNew();
            for (ObjectNode rs : active(all())) {
                String desired = annotation(rs, DESIRED_REPLICAS);
                if (desired != null && !desired.equals(Integer.toString(replicas(d)))) {
                    return true;
                }
            }
            return false;
        }

        private Duration syncScale() {
            syncRevision(false);
            scaleProportionally();
            if (isPaused(d)) {
                cleanup();
            }
            ObjectNode s = calculateStatus();
            if (!s.equals(d.get("status"))) {
                writeStatus(s);
            }
            return null;
        }

        private void scaleProportionally() {
            ObjectNode target = activeOrLatest();
            if (target != null) {
                if (specReplicas(target) != replicas(d)) {
                    scale(target, replicas(d));
                }
                return;
            }
            ObjectNode newRs = newRS();
            if (isSaturated(newRs)) {
                active(olds()).forEach(rs -> scaleTo(rs, 0));
                return;
            }
            if (!isRecreate(d)) {
                spreadAcrossReplicaSets();
            }
        }

        /** FindActiveOrLatest: the only active ReplicaSet, the new or latest one when none is, null when several are. */
        private ObjectNode activeOrLatest() {
            List<ObjectNode> active = active(all());
            if (active.size() == 1) {
                return active.get(0);
            }
            if (!active.isEmpty() || rss.isEmpty()) {
                return null;
            }
            ObjectNode newRs = newRS();
            return newRs != null ? newRs : olds().stream().max(OLDEST_FIRST).orElse(null);
        }

        private boolean isSaturated(ObjectNode rs) {
            String want = Integer.toString(replicas(d));
            return rs != null && want.equals(annotation(rs, DESIRED_REPLICAS)) && specReplicas(rs) == replicas(d)
                    && statusInt(rs, "availableReplicas") == replicas(d);
        }

        /** Adds or removes replicas across the active ReplicaSets in proportion to their size. */
        private void spreadAcrossReplicaSets() {
            List<ObjectNode> active = new ArrayList<>(active(all()));
            int allowed = replicas(d) > 0 ? replicas(d) + maxSurge(d) : 0;
            int toAdd = allowed - sum(active, DeploymentController::specReplicas);
            Comparator<JsonNode> bySize = Comparator.comparingInt(DeploymentController::specReplicas).reversed();
            active.sort(toAdd > 0 ? bySize.thenComparing(OLDEST_FIRST.reversed()) : bySize.thenComparing(OLDEST_FIRST));
            Map<String, Integer> sizes = new HashMap<>();
            int added = 0;
            for (ObjectNode rs : active) {
                int proportion = proportion(rs, toAdd, added);
                sizes.put(uid(rs), specReplicas(rs) + proportion);
                added += proportion;
            }
            if (toAdd != 0 && added != toAdd && !active.isEmpty()) {
                sizes.merge(uid(active.get(0)), toAdd - added, (a, b) -> Math.max(0, a + b));
            }
            for (ObjectNode rs : active) {
                scale(current(rs), sizes.get(uid(rs)));
            }
        }

        private int proportion(ObjectNode rs, int toAdd, int added) {
            if (specReplicas(rs) == 0 || toAdd == 0 || toAdd == added) {
                return 0;
            }
            int fraction = fraction(rs);
            int allowed = toAdd - added;
            return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
        }

        /** How many replicas {@code rs} gains (or loses) for its share of the new Deployment size. */
        private int fraction(ObjectNode rs) {
            if (replicas(d) == 0) {
                return -specReplicas(rs);
            }
            int deploymentReplicas = replicas(d) + maxSurge(d);
            String annotated = annotation(rs, MAX_REPLICAS);
            int previous;
            try {
                previous = annotated == null ? statusInt(d, "replicas") : Integer.parseInt(annotated);
            } catch (NumberFormatException e) {
                previous = statusInt(d, "replicas");
            }
            if (previous == 0) {
                return 0;
            }
            return (int) Math.round((double) specReplicas(rs) * deploymentReplicas / previous) - specReplicas(rs);
        }

        // ---- rollouts -----------------------------------------------------------------------------------

        private Duration rolloutRolling() {
            syncRevision(true);
            if (reconcileNew() || reconcileOld()) {
                return syncRolloutStatus();
            }
            if (isComplete(d, status())) {
                cleanup();
            }
            return syncRolloutStatus();
        }

        private boolean reconcileNew() {
            ObjectNode rs = newRS();
            int want = replicas(d);
            if (specReplicas(rs) == want) {
                return false;
            }
            return scaleTo(rs, specReplicas(rs) > want ? want : newRsReplicas(rs));
        }

        /** reconcileOldReplicaSets: scale old ReplicaSets down as far as maxUnavailable allows. */
        private boolean reconcileOld() {
            List<ObjectNode> oldActive = active(olds());
            if (sum(oldActive, DeploymentController::specReplicas) == 0) {
                return false;
            }
            int minAvailable = replicas(d) - maxUnavailable(d);
            ObjectNode newRs = newRS();
            int newUnavailable = specReplicas(newRs) - statusInt(newRs, "availableReplicas");
            int maxScaledDown = sum(all(), DeploymentController::specReplicas) - minAvailable - newUnavailable;
            if (maxScaledDown <= 0) {
                return false;
            }
            int cleaned = scaleDownUnhealthy(oldActive, maxScaledDown);
            return cleaned + scaleDownForRollingUpdate(oldActive) > 0;
        }

        /** cleanupUnhealthyReplicas: old replicas that are not available go first. */
        private int scaleDownUnhealthy(List<ObjectNode> oldActive, int max) {
            int total = 0;
            for (ObjectNode rs : oldActive.stream().map(this::current).sorted(OLDEST_FIRST).toList()) {
                if (total >= max) {
                    break;
                }
                int unhealthy = specReplicas(rs) - statusInt(rs, "availableReplicas");
                if (specReplicas(rs) == 0 || unhealthy <= 0) {
                    continue;
                }
                int down = Math.min(max - total, unhealthy);
                scaleTo(rs, specReplicas(rs) - down);
                total += down;
            }
            return total;
        }

        private int scaleDownForRollingUpdate(List<ObjectNode> oldActive) {
            List<ObjectNode> olds = oldActive.stream().map(this::current).sorted(OLDEST_FIRST).toList();
            int minAvailable = replicas(d) - maxUnavailable(d);
            ObjectNode newRs = newRS();
            int available = sum(olds, rs -> statusInt(rs, "availableReplicas")) + statusInt(newRs, "availableReplicas");
            if (available <= minAvailable) {
                return 0;
            }
            int target = available - minAvailable;
            int total = 0;
            for (ObjectNode rs : olds) {
                if (total >= target) {
                    break;
                }
                if (specReplicas(rs) == 0) {
                    continue;
                }
                int down = Math.min(specReplicas(rs), target - total);
                scaleTo(rs, specReplicas(rs) - down);
                total += down;
            }
            return total;
        }

        private Duration rolloutRecreate() {
            syncRevision(false);
            boolean scaledDown = false;
            for (ObjectNode rs : active(olds())) {
                scaledDown |= scaleTo(rs, 0);
            }
            if (scaledDown || oldPodsRunning()) {
                return syncRolloutStatus();
            }
            if (newRS() == null) {
                syncRevision(true);
            }
            scaleTo(newRS(), replicas(d));
            if (isComplete(d, status())) {
                cleanup();
            }
            return syncRolloutStatus();
        }

        private boolean oldPodsRunning() {
            List<ObjectNode> olds = olds();
            if (sum(olds, rs -> statusInt(rs, "replicas")) > 0) {
                return true;
            }
            for (ObjectNode rs : olds) {
                String oldUid = uid(rs);
                boolean running = !store.owned(Resources.PODS, ns(), oldUid, p -> {
                    String phase = Json.str(p, "", "status", "phase");
                    return ReplicaSetController.controlledBy(p, oldUid) && !phase.equals("Succeeded") && !phase.equals("Failed");
                }).isEmpty();
                if (running) return true;
            }
            return false;
        }

        /** cleanupDeployment: deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
        private void cleanup() {
            List<ObjectNode> olds = new ArrayList<>(olds());
            int excess = olds.size() - (int) Json.num(d, 10, "spec", "revisionHistoryLimit");
            if (excess <= 0) {
                return;
            }
            olds.sort(Comparator.comparingLong(DeploymentController::revision).thenComparing(OLDEST_FIRST));
            for (ObjectNode rs : olds.subList(0, excess)) {
                boolean settled = statusInt(rs, "replicas") == 0 && specReplicas(rs) == 0
                        && Json.num(rs, 0, "metadata", "generation") <= statusInt(rs, "observedGeneration");
                if (settled) {
                    deleteReplicaSet(rs);
                }
            }
        }

        private void deleteReplicaSet(ObjectNode rs) {
            try {
                store.delete(Resources.REPLICA_SETS, ns(), Json.name(rs));
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
            rss.removeIf(r -> uid(r).equals(uid(rs)));
        }

        // ---- status --------------------------------------------------------------------------------------

        private ObjectNode calculateStatus() {
            List<ObjectNode> all = all();
            ObjectNode newRs = newRS();
            int available = sum(all, rs -> statusInt(rs, "availableReplicas"));
            int unavailable = Math.max(0, sum(all, DeploymentController::specReplicas) - available);
            ObjectNode s = Json.object();
            putPositive(s, "observedGeneration", Json.num(d, 0, "metadata", "generation"));
            putPositive(s, "replicas", sum(all, rs -> statusInt(rs, "replicas")));
            putPositive(s, "updatedReplicas", newRs == null ? 0 : statusInt(newRs, "replicas"));
            putPositive(s, "readyReplicas", sum(all, rs -> statusInt(rs, "readyReplicas")));
            putPositive(s, "availableReplicas", available);
            putPositive(s, "unavailableReplicas", unavailable);
            JsonNode conds = status().get("conditions");
            if (conds != null && !conds.isEmpty()) {
                s.set("conditions", conds.deepCopy());
            }
            if (status().has("collisionCount")) {
                s.set("collisionCount", status().get("collisionCount"));
            }
            setCondition(s, available >= replicas(d) - maxUnavailable(d)
                    ? condition(AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
                    : condition(AVAILABLE, "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."));
            return s;
        }

        private void putPositive(ObjectNode s, String field, long value) {
            if (value > 0) {
                s.put(field, value);
            }
        }

        /** syncRolloutStatus: status plus the Progressing condition; returns when the deadline needs a look. */
        private Duration syncRolloutStatus() {
            ObjectNode s = calculateStatus();
            if (!hasProgressDeadline(d)) {
                removeCondition(s, PROGRESSING);
            }
            ObjectNode cur = getCondition(status(), PROGRESSING);
            boolean finished = s.path("replicas").asInt(0) == s.path("updatedReplicas").asInt(0)
                    && cur != null && NEW_RS_AVAILABLE.equals(cur.path("reason").asText());
            if (hasProgressDeadline(d) && !finished) {
                updateProgressing(s, cur);
            }
            if (!s.equals(d.get("status"))) {
                writeStatus(s);
            }
            return untilDeadline(s);
        }

        private void updateProgressing(ObjectNode s, ObjectNode cur) {
            String subject = newRS() == null ? "Deployment \"" + Json.name(d) + "\"" : "ReplicaSet \"" + Json.name(newRS()) + "\"";
            if (isComplete(d, s)) {
                setCondition(s, condition(PROGRESSING, "True", NEW_RS_AVAILABLE, subject + " has successfully progressed."));
            } else if (isProgressing(status(), s)) {
                ObjectNode c = condition(PROGRESSING, "True", RS_UPDATED, subject + " is progressing.");
                if (cur != null) {
                    if ("True".equals(cur.path("status").asText())) {
                        c.set("lastTransitionTime", cur.get("lastTransitionTime"));
                    }
                    removeCondition(s, PROGRESSING);
                }
                setCondition(s, c);
            } else if (timedOut(s)) {
                setCondition(s, condition(PROGRESSING, "False", TIMED_OUT, subject + " has timed out progressing."));
            }
        }

        private boolean timedOut(ObjectNode s) {
            ObjectNode c = getCondition(s, PROGRESSING);
            if (c == null || NEW_RS_AVAILABLE.equals(c.path("reason").asText())) {
                return false;
            }
            if (TIMED_OUT.equals(c.path("reason").asText())) {
                return true;
            }
            return deadline(c).isBefore(store.clock().now());
        }

        private Instant deadline(ObjectNode progressing) {
            Instant from = SimClock.parse(progressing.path("lastUpdateTime").asText(null));
            return (from == null ? Instant.EPOCH : from).plusSeconds(progressDeadlineSeconds(d));
        }

        /** requeueStuckDeployment: a second past the progress deadline, while a rollout is still running. */
        private Duration untilDeadline(ObjectNode s) {
            ObjectNode c = getCondition(s, PROGRESSING);
            if (!hasProgressDeadline(d) || c == null || isComplete(d, s) || TIMED_OUT.equals(c.path("reason").asText())) {
                return null;
            }
            Duration after = Duration.between(store.clock().now(), deadline(c));
            return (after.isNegative() ? Duration.ZERO : after).plusSeconds(1);
        }
    }
}

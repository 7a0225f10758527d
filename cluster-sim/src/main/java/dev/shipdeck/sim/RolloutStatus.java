package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Argo Rollouts' status vocabulary: condition types, reasons and messages, condition bookkeeping with Argo's
 * "same status and reason is no change" rule, and the phase/message the controller derives from a status.
 */
final class RolloutStatus {
    static final String PROGRESSING = "Progressing";
    static final String AVAILABLE = "Available";
    static final String HEALTHY = "Healthy";
    static final String PAUSED = "Paused";
    static final String COMPLETED = "Completed";
    static final String INVALID_SPEC = "InvalidSpec";

    static final String NEW_RS_CREATED = "NewReplicaSetCreated";
    static final String RS_CREATE_ERROR = "ReplicaSetCreateError";
    static final String RS_UPDATED = "ReplicaSetUpdated";
    static final String RS_NOT_AVAILABLE = "ReplicaSetNotAvailable";
    static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    static final String ROLLOUT_PAUSED = "RolloutPaused";
    static final String ROLLOUT_RESUMED = "RolloutResumed";
    static final String ROLLOUT_RETRY = "RolloutRetry";
    static final String ROLLOUT_ABORTED = "RolloutAborted";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    static final String ROLLOUT_HEALTHY = "RolloutHealthy";
    static final String ROLLOUT_COMPLETED = "RolloutCompleted";
    static final String AVAILABLE_REASON = "AvailableReason";

    static final String PAUSED_MESSAGE = "Rollout is paused";
    static final String RESUMED_MESSAGE = "Rollout is resumed";
    static final String RETRY_MESSAGE = "Retrying Rollout after abort";
    static final String HEALTHY_MESSAGE = "Rollout is healthy";
    static final String NOT_HEALTHY_MESSAGE = "Rollout is not healthy";
    static final String AVAILABLE_MESSAGE = "Rollout has minimum availability";
    static final String NOT_AVAILABLE_MESSAGE = "Rollout does not have minimum availability";

    /** The canary pause step's pause condition reason. */
    static final String CANARY_PAUSE_STEP = "CanaryPauseStep";
    /** A blue-green rollout waiting for promotion. */
    static final String BLUE_GREEN_PAUSE = "BlueGreenPause";
    /** An inconclusive AnalysisRun holds the rollout. */
    static final String INCONCLUSIVE_ANALYSIS = "InconclusiveAnalysisRun";

    /** A phase and its message (empty when healthy). */
    record Phase(String phase, String message) {}

    private RolloutStatus() {}

    static String createdMessage(String rsName) { return "Created new replica set \"" + rsName + "\""; }

    static String progressingMessage(String rsName) { return "ReplicaSet \"" + rsName + "\" is progressing."; }

    static String progressedMessage(String rsName) { return "ReplicaSet \"" + rsName + "\" has successfully progressed."; }

    static String timedOutMessage(String rsName) { return "ReplicaSet \"" + rsName + "\" has timed out progressing."; }

    static String abortedMessage(String revision) { return "Rollout aborted update to revision " + revision; }

    /** The condition of {@code type} in {@code status.conditions}, or null. */
    static ObjectNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return (ObjectNode) c;
            }
        }
        return null;
    }

    static boolean hasReason(JsonNode status, String type, String reason) {
        ObjectNode c = condition(status, type);
        return c != null && reason.equals(c.path("reason").asText());
    }

    /**
     * Sets a condition unless one with the same status and reason is already there (then nothing changes);
     * the transition time is kept while the status stays the same. Returns whether anything changed.
     */
    static boolean set(ObjectNode status, String type, String condStatus, String reason, String message, String now) {
        ObjectNode current = condition(status, type);
        if (current != null && condStatus.equals(current.path("status").asText())
                && reason.equals(current.path("reason").asText())) {
            return false;
        }
        boolean sameStatus = current != null && condStatus.equals(current.path("status").asText());
        put(status, type, condStatus, reason, message, now, sameStatus ? current.path("lastTransitionTime").asText() : now);
        return true;
    }

    /** Replaces a condition outright (fresh lastUpdateTime), keeping the transition time while the status stays. */
    static void replace(ObjectNode status, String type, String condStatus, String reason, String message, String now) {
        ObjectNode current = condition(status, type);
        boolean sameStatus = current != null && condStatus.equals(current.path("status").asText());
        put(status, type, condStatus, reason, message, now, sameStatus ? current.path("lastTransitionTime").asText() : now);
    }

    private static void put(ObjectNode status, String type, String condStatus, String reason, String message,
                            String now, String transition) {
        ArrayNode next = Json.array();
        for (JsonNode c : status.path("conditions")) {
            if (!type.equals(c.path("type").asText())) {
                next.add(c);
            }
        }
        next.addObject().put("type", type).put("status", condStatus)
                .put("lastUpdateTime", now).put("lastTransitionTime", transition)
                .put("reason", reason).put("message", message);
        status.set("conditions", next);
    }

    /** The phase Argo's controller writes for a canary Rollout without traffic routing. */
    static Phase phase(JsonNode spec, JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            String reason = c.path("reason").asText();
            if (INVALID_SPEC.equals(c.path("type").asText())) {
                return new Phase("Degraded", INVALID_SPEC + ": " + c.path("message").asText());
            }
            if (ROLLOUT_ABORTED.equals(reason) || TIMED_OUT.equals(reason)) {
                return new Phase("Degraded", reason + ": " + c.path("message").asText());
            }
        }
        if (spec.path("paused").asBoolean(false)) {
            return new Phase("Paused", "manually paused");
        }
        for (JsonNode pause : status.path("pauseConditions")) {
            return new Phase("Paused", pause.path("reason").asText());
        }
        String restartAt = Json.str(spec, "", "restartAt");
        if (!restartAt.isEmpty() && !restartAt.equals(Json.str(status, "", "restartedAt"))) {
            return new Phase("Progressing", "rollout is restarting");
        }
        long replicas = Json.num(spec, 1, "replicas");
        long updated = Json.num(status, 0, "updatedReplicas");
        if (updated < replicas) {
            return new Phase("Progressing", "more replicas need to be updated");
        }
        if (Json.num(status, 0, "availableReplicas") < updated) {
            return new Phase("Progressing", "updated replicas are still becoming available");
        }
        String stable = Json.str(status, "", "stableRS");
        JsonNode blueGreen = spec.path("strategy").path("blueGreen");
        if (blueGreen.isObject()) {
            String active = Json.str(status, "", "blueGreen", "activeSelector");
            if (active.isEmpty() || !active.equals(Json.str(status, "", "currentPodHash"))) {
                return new Phase("Progressing", "active service cutover pending");
            }
            if (stable.isEmpty() || !stable.equals(Json.str(status, "", "currentPodHash"))) {
                boolean waiting = blueGreen.path("postPromotionAnalysis").isObject()
                        && !AnalysisController.completed(Json.str(status, "", "blueGreen", "postPromotionAnalysisRunStatus", "status"));
                return new Phase("Progressing", waiting ? "waiting for analysis to complete"
                        : "waiting for post-promotion verification to complete");
            }
            return new Phase("Healthy", "");
        }
        if (Json.num(status, 0, "replicas") > updated) {
            return new Phase("Progressing", "old replicas are pending termination");
        }
        if (stable.isEmpty() || !stable.equals(Json.str(status, "", "currentPodHash"))) {
            return new Phase("Progressing", "waiting for all steps to complete");
        }
        return new Phase("Healthy", "");
    }

    /** Writes {@code phase} and {@code message} (no message when there is none, as Argo omits it). */
    static void putPhase(ObjectNode status, JsonNode spec) {
        Phase p = phase(spec, status);
        status.put("phase", p.phase());
        if (p.message().isEmpty()) {
            status.remove("message");
        } else {
            status.put("message", p.message());
        }
    }
}

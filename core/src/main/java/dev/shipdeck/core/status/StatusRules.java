package dev.shipdeck.core.status;

import dev.shipdeck.core.json.J;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.StatusVerdict;

import java.util.regex.Pattern;

/**
 * Release status exactly as {@code kubectl rollout status} decides it for Deployments and as the Argo Rollouts
 * plugin decides the phase of Rollouts (KUBERNETES.md).
 */
public final class StatusRules {
    /** Argo's abort message when the controller aborted: "Rollout aborted update to revision N: <why>". */
    private static final Pattern ABORTED_WITH_REASON = Pattern.compile("revision \\d+: \\S");

    private StatusRules() {}

    /** {@code kubectl rollout status} for an apps/v1 Deployment. */
    public static StatusVerdict deployment(JsonNode d) {
        String name = J.str(d, "metadata", "name");
        boolean paused = J.bool(d, "spec", "paused");
        long generation = J.num(d, 0, "metadata", "generation");
        long observed = J.num(d, 0, "status", "observedGeneration");
        if (generation > observed) {
            return verdict(ReleaseStatus.RUNNING, "Progressing", "Waiting for deployment spec update to be observed...", paused);
        }
        JsonNode progressing = J.condition(d, "Progressing");
        if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.path("reason").asText())) {
            return verdict(ReleaseStatus.FAILED, "Failed", "deployment \"" + name + "\" exceeded its progress deadline", paused);
        }
        long replicas = J.num(d, 1, "spec", "replicas");
        long updated = J.num(d, 0, "status", "updatedReplicas");
        long current = J.num(d, 0, "status", "replicas");
        long available = J.num(d, 0, "status", "availableReplicas");
        if (updated < replicas) {
            return verdict(ReleaseStatus.RUNNING, "Progressing", String.format(
                    "Waiting for deployment \"%s\" rollout to finish: %d out of %d new replicas have been updated...", name, updated, replicas), paused);
        }
        if (current > updated) {
            return verdict(ReleaseStatus.RUNNING, "Progressing", String.format(
                    "Waiting for deployment \"%s\" rollout to finish: %d old replicas are pending termination...", name, current - updated), paused);
        }
        if (available < updated) {
            return verdict(ReleaseStatus.RUNNING, "Progressing", String.format(
                    "Waiting for deployment \"%s\" rollout to finish: %d of %d updated replicas are available...", name, available, updated), paused);
        }
        return new StatusVerdict(ReleaseStatus.SUCCESS, "Healthy", "deployment \"" + name + "\" successfully rolled out", paused, false, false);
    }

    private static StatusVerdict verdict(ReleaseStatus s, String phase, String message, boolean paused) {
        if (paused && s == ReleaseStatus.RUNNING) {
            return new StatusVerdict(s, "Paused", "paused: " + message, true, false, false);
        }
        return new StatusVerdict(s, phase, message, paused, false, false);
    }

    /**
     * The Argo Rollouts phase of a Rollout as the plugin gets it (rolloututil.GetRolloutPhase), mapped to a release
     * status: Progressing while the controller has not observed this generation or is unpausing, else the phase the
     * controller wrote, else (controllers before 1.0) the phase computed from the status.
     */
    public static StatusVerdict rollout(JsonNode r) {
        String phase = J.str(r, "status", "phase");
        String message = J.str(r, "status", "message");
        if (!generationObserved(r)) {
            return new StatusVerdict(ReleaseStatus.RUNNING, "Progressing", "waiting for rollout spec update to be observed", false, false, false);
        }
        JsonNode pauses = J.at(r, "status", "pauseConditions");
        if (J.bool(r, "status", "controllerPause") && (pauses == null || pauses.isEmpty())) {
            return new StatusVerdict(ReleaseStatus.RUNNING, "Progressing", "waiting for rollout to unpause", false, false, false);
        }
        if (phase.isEmpty()) {
            String[] computed = computePhase(r);
            phase = computed[0];
            message = computed[1];
        }
        boolean paused = "Paused".equals(phase);
        return switch (phase) {
            case "Healthy" -> new StatusVerdict(ReleaseStatus.SUCCESS, phase, message, false, false, false);
            case "Paused" -> new StatusVerdict(ReleaseStatus.RUNNING, phase,
                    message.isEmpty() ? "awaiting promotion" : "awaiting promotion (" + message + ")", true, true, false);
            case "Degraded" -> {
                if (!abortedByPerson(message.isEmpty() ? computePhase(r)[1] : message)) {
                    yield new StatusVerdict(ReleaseStatus.FAILED, phase, message, false, false, J.bool(r, "status", "abort"));
                }
                if (abortedAtProgressDeadline(r)) {
                    yield new StatusVerdict(ReleaseStatus.FAILED, phase, message + " " + DEADLINE_ABORT, false, false, true);
                }
                yield new StatusVerdict(ReleaseStatus.CANCELLED, phase, message, false, false, true);
            }
            default -> new StatusVerdict(ReleaseStatus.RUNNING, "Progressing", message, paused, false, false);
        };
    }

    /**
     * Whether a Degraded phase message ({@code <reason>: <condition message>}) says a person aborted the update.
     * Argo writes "Rollout aborted update to revision N" for {@code kubectl argo rollouts abort}, and appends
     * ": <why>" when the controller aborted it itself (progress deadline with progressDeadlineAbort, failed analysis).
     */
    static boolean abortedByPerson(String degradedMessage) {
        return degradedMessage.startsWith("RolloutAborted") && !ABORTED_WITH_REASON.matcher(degradedMessage).find();
    }

    /** The plugin's isGenerationObserved: an observedGeneration that is not a number (old controllers) or is ahead counts. */
    static boolean generationObserved(JsonNode r) {
        long generation = J.num(r, 0, "metadata", "generation");
        String observed = J.str(r, "status", "observedGeneration");
        try {
            return Long.parseLong(observed) >= generation;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** The completed phases of an AnalysisRun (Argo's AnalysisPhase.Completed). */
    private static final java.util.Set<String> ANALYSIS_DONE = java.util.Set.of("Successful", "Failed", "Error", "Inconclusive");

    static final String DEADLINE_ABORT = "(progressDeadlineAbort: aborted by the controller when the update ran past its progress deadline)";

    /**
     * Whether an abort that reads like a person's was the controller's: the real Argo controller, once it aborted an
     * update at its progress deadline ({@code spec.progressDeadlineAbort}), leaves exactly the status of
     * {@code kubectl argo rollouts abort} (the time-out is only in an Event). The deadline runs unless the update waits
     * at an indefinite pause ({@code pause: {}}), so an abort there is a person's; elsewhere, with
     * progressDeadlineAbort set, it is counted as the deadline's.
     */
    static boolean abortedAtProgressDeadline(JsonNode r) {
        if (!J.bool(r, "spec", "progressDeadlineAbort")) return false;
        JsonNode steps = J.at(r, "spec", "strategy", "canary", "steps");
        if (steps == null || !steps.isArray()) return true;
        JsonNode step = steps.path((int) J.num(r, 0, "status", "currentStepIndex"));
        boolean indefinitePause = step.has("pause") && !step.path("pause").has("duration");
        return !indefinitePause;
    }

    /** The plugin's phase computation, for when the controller has not (yet) set status.phase for this generation. */
    static String[] computePhase(JsonNode r) {
        JsonNode conds = J.at(r, "status", "conditions");
        if (conds != null) {
            // condition by condition, as the plugin does: the first InvalidSpec, RolloutAborted or deadline decides
            for (JsonNode c : conds) {
                if ("InvalidSpec".equals(c.path("type").asText())) {
                    return new String[] {"Degraded", "InvalidSpec: " + c.path("message").asText()};
                }
                String reason = c.path("reason").asText();
                if ("RolloutAborted".equals(reason) || "ProgressDeadlineExceeded".equals(reason)) {
                    return new String[] {"Degraded", reason + ": " + c.path("message").asText()};
                }
            }
        }
        if (J.bool(r, "spec", "paused")) {
            return new String[] {"Paused", "manually paused"};
        }
        JsonNode pcs = J.at(r, "status", "pauseConditions");
        if (pcs != null && pcs.size() > 0) {
            return new String[] {"Paused", pcs.get(0).path("reason").asText()};
        }
        String restartAt = J.str(r, "spec", "restartAt");
        String restartedAt = J.str(r, "status", "restartedAt");
        if (!restartAt.isEmpty() && !sameInstant(restartAt, restartedAt)) {
            return new String[] {"Progressing", "rollout is restarting"};
        }
        long replicas = J.num(r, 1, "spec", "replicas");
        long updated = J.num(r, 0, "status", "updatedReplicas");
        long available = J.num(r, 0, "status", "availableReplicas");
        if (updated < replicas) {
            return new String[] {"Progressing", "more replicas need to be updated"};
        }
        if (available < updated) {
            return new String[] {"Progressing", "updated replicas are still becoming available"};
        }
        String stable = J.str(r, "status", "stableRS");
        String current = J.str(r, "status", "currentPodHash");
        JsonNode blueGreen = J.at(r, "spec", "strategy", "blueGreen");
        if (blueGreen != null && blueGreen.isObject()) {
            String active = J.str(r, "status", "blueGreen", "activeSelector");
            if (active.isEmpty() || !active.equals(current)) {
                return new String[] {"Progressing", "active service cutover pending"};
            }
            if (stable.isEmpty() || !stable.equals(current)) {
                // the active service has the new ReplicaSet, not yet marked stable: post-promotion analysis or verification
                boolean analysisPending = blueGreen.path("postPromotionAnalysis").isObject()
                        && !ANALYSIS_DONE.contains(J.str(r, "status", "blueGreen", "postPromotionAnalysisRunStatus", "status"));
                return new String[] {"Progressing", analysisPending ? "waiting for analysis to complete"
                        : "waiting for post-promotion verification to complete"};
            }
            return new String[] {"Healthy", ""};
        }
        JsonNode canary = J.at(r, "spec", "strategy", "canary");
        if (canary != null && !canary.has("trafficRouting") && J.num(r, 0, "status", "replicas") > updated) {
            return new String[] {"Progressing", "old replicas are pending termination"};
        }
        if (stable.isEmpty() || !stable.equals(current)) {
            return new String[] {"Progressing", "waiting for all steps to complete"};
        }
        return new String[] {"Healthy", ""};
    }

    private static boolean sameInstant(String a, String b) {
        try {
            return java.time.Instant.parse(a).equals(java.time.Instant.parse(b));
        } catch (java.time.format.DateTimeParseException e) {
            return a.equals(b);
        }
    }
}

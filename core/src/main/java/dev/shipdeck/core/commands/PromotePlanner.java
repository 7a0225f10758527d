package dev.shipdeck.core.commands;

import dev.shipdeck.core.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code kubectl argo rollouts promote [--full]} (the plugin's getPatches; for a blue-green Rollout, which has no
 * steps, the same patches without a step index): the status patch goes to the status
 * subresource first, the unpause ({@code spec.paused=false}) separately after it; the unified patch is the plugin's
 * fallback for Rollouts without the status subresource. Pure: the Rollout's facts in, the requests out.
 */
final class PromotePlanner {
    private PromotePlanner() {}

    static Plan plan(WorkloadFacts f, String basePath, String name, boolean full) {
        WorkloadFacts.Canary c = f.canary();
        List<PlannedRequest> reqs = new ArrayList<>();
        String statusPatch = null;
        String unified;
        if (full) {
            if (!c.currentPodHash().equals(c.stableRS())) statusPatch = "{\"status\":{\"promoteFull\":true}}";
            unified = "{\"spec\":{\"paused\":false},\"status\":{\"promoteFull\":true}}";
        } else {
            unified = "{\"spec\":{\"paused\":false},\"status\":{\"pauseConditions\":null}}";
            boolean hasSteps = c.hasCanary() && !c.steps().isEmpty();
            long index = Math.max(0, c.currentStepIndex());
            if (c.inconclusive() && c.pausedAtStep() && c.controllerPause() && hasSteps) {
                // an inconclusive analysis: the plugin also lifts the controller's pause and moves on one step,
                // or the rollout would stay stuck when the next step is a pause
                statusPatch = "{\"status\":{\"pauseConditions\":null,\"controllerPause\":false,\"currentStepIndex\":"
                        + Math.min(index + 1, c.steps().size()) + "}}";
            } else if (c.pausedAtStep()) {
                statusPatch = "{\"status\":{\"pauseConditions\":null}}";
            } else if (hasSteps && index < c.steps().size()) {
                // not paused at a step (e.g. waiting for canary pods or an analysis): skip the current step
                statusPatch = "{\"status\":{\"currentStepIndex\":" + (index + 1) + "}}";
                unified = "{\"spec\":{\"paused\":false},\"status\":{\"pauseConditions\":null,\"currentStepIndex\":" + (index + 1) + "}}";
            }
        }
        if (statusPatch != null) reqs.add(PlannedRequest.mergePatch(basePath + "/status", statusPatch));
        if (f.paused()) reqs.add(PlannedRequest.mergePatch(basePath, "{\"spec\":{\"paused\":false}}"));
        String what;
        if (f.blueGreen() != null) {
            // blue-green has no steps: promote lifts the pause for promotion, --full also skips the analysis and delays
            what = full ? "promote " + name + " fully (switch the active service to the preview now)"
                    : "promote " + name + " (switch the active service to the preview)";
        } else {
            what = full ? "promote " + name + " fully (skip the remaining steps)" : "promote " + name + " to its next step";
        }
        return new Plan(reqs, reqs.isEmpty() ? "nothing to promote: " + name + " is not paused and has no step left" : what,
                PlannedRequest.mergePatch(basePath, unified));
    }
}

package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.json.J;
import dev.shipdeck.core.workload.Conventions;

/**
 * What a command read of its workload: enough to tell, later, whether someone else changed the workload's spec in
 * between (its uid or generation moved; a status update by a controller does not count), and to say what it runs.
 *
 * @param generation {@code metadata.generation}: moves with every change of the spec, never with the status
 * @param version the version of its pod template (what it runs, or is rolling out)
 * @param replicas {@code spec.replicas}
 */
public record WorkloadState(String namespace, String name, String uid, long generation, String resourceVersion, String version,
                            long replicas) {
    /** The state of a Deployment's or Rollout's JSON; of a workload that is gone (null): empty. */
    static WorkloadState of(JsonNode w) {
        if (w == null) return new WorkloadState("", "", "", -1, "", "", 0);
        return new WorkloadState(J.str(w, "metadata", "namespace"), J.str(w, "metadata", "name"), J.str(w, "metadata", "uid"),
                J.num(w, 0, "metadata", "generation"), J.str(w, "metadata", "resourceVersion"),
                Conventions.version(J.at(w, "spec", "template")), J.num(w, 1, "spec", "replicas"));
    }

    /** Whether {@code w} (as read now) is another object, or the same one with another spec, than this state. */
    boolean changedIn(JsonNode w) {
        return w == null || !uid.equals(J.str(w, "metadata", "uid")) || generation != J.num(w, 0, "metadata", "generation");
    }

    /**
     * Whether the workload's controller has seen its current spec (so its ReplicaSets carry the revisions of it): a
     * Deployment's {@code status.observedGeneration}, a Rollout's (a string); a Rollout without one counts as seen.
     */
    static boolean observed(JsonNode w) {
        if (w == null) return true;
        String observed = J.str(w, "status", "observedGeneration");
        if ("Rollout".equals(J.str(w, "kind")) && observed.isEmpty()) return true;
        try {
            return !observed.isEmpty() && Long.parseLong(observed) >= J.num(w, 0, "metadata", "generation");
        } catch (NumberFormatException e) {
            return true; // an older Argo Rollouts writes a hash here: nothing to wait for
        }
    }
}

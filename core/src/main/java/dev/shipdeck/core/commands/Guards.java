package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.StatusVerdict;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.status.J;
import dev.shipdeck.core.status.SnapshotBuilder;
import dev.shipdeck.core.status.StatusRules;

/**
 * The state rules that decide whether an action makes sense now, with the reason a UI shows when it does not.
 * Evaluated on the workload's JSON, fresh from the API server.
 */
final class Guards {
    private Guards() {}

    /** Null when allowed, else why not. */
    static String refusal(Action a, WorkloadKind kind, JsonNode w) {
        if (a.rolloutOnly() && kind != WorkloadKind.ROLLOUT) {
            return a.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " applies to Argo Rollouts only; "
                    + J.str(w, "metadata", "name") + " is a Deployment";
        }
        for (String p : SnapshotBuilder.PREFIXES) {
            String key = p + a.annotationWord() + "-enabled";
            if ("false".equalsIgnoreCase(J.annotation(w, key).trim())) {
                return "turned off for this component by the annotation " + key + ": \"false\"";
            }
        }
        boolean paused = J.bool(w, "spec", "paused");
        if (kind == WorkloadKind.DEPLOYMENT) {
            if (a == Action.RESTORE_VERSION && paused) {
                return "the Deployment is paused: kubectl refuses to roll back a paused deployment; resume it first (kubectl rollout resume)";
            }
            if (a == Action.RESTART && paused) {
                return "the Deployment is paused: kubectl cannot restart a paused deployment; resume it first (kubectl rollout resume)";
            }
            return null;
        }
        StatusVerdict v = StatusRules.rollout(w);
        boolean aborted = J.bool(w, "status", "abort") || v.status() == ReleaseStatus.CANCELLED;
        boolean fullyPromoted = !J.str(w, "status", "stableRS").isEmpty()
                && J.str(w, "status", "stableRS").equals(J.str(w, "status", "currentPodHash"));
        return switch (a) {
            case PROMOTE -> aborted ? "the rollout is aborted: retry it before promoting"
                    : fullyPromoted && !paused ? "nothing to promote: the rollout is fully promoted" : null;
            case PROMOTE_FULL -> aborted ? "the rollout is aborted: retry it before promoting"
                    : fullyPromoted && !paused ? "nothing to promote: the rollout is fully promoted" : null;
            case RETRY -> aborted ? null : "only an aborted rollout can be retried";
            case CANCEL -> !aborted && v.status() == ReleaseStatus.RUNNING ? null
                    : "only a progressing or paused rollout can be cancelled (it is " + v.phase() + ")";
            default -> null;
        };
    }
}

package dev.shipdeck.core.commands;

import java.util.List;

/**
 * {@code kubectl argo rollouts abort} and {@code retry}: {@code status.abort} true or false on the status subresource,
 * with the plain patch of the main resource as the fallback for Rollouts without it.
 */
final class AbortRetryPlanner {
    private AbortRetryPlanner() {}

    static Plan plan(Target t, boolean abort) {
        String body = "{\"status\":{\"abort\":" + abort + "}}";
        return new Plan(List.of(PlannedRequest.mergePatch(t.basePath() + "/status", body)),
                abort ? "cancel the rollout of " + t.name() + " (abort: back to the stable version)" : "retry the aborted rollout of " + t.name(),
                PlannedRequest.mergePatch(t.basePath(), body));
    }
}

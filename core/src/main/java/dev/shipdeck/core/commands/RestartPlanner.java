package dev.shipdeck.core.commands;

import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.workload.Conventions;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * {@code kubectl rollout restart} (the pod template's restartedAt annotation, a strategic merge patch) and
 * {@code kubectl argo rollouts restart} ({@code spec.restartAt}). Pure but for the clock.
 */
final class RestartPlanner {
    private RestartPlanner() {}

    static Plan plan(Target t, Clock clock) {
        if (t.kind() == WorkloadKind.DEPLOYMENT) {
            String now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (now.equals(t.facts().restartedAt())) {
                // kubectl's patch would be empty ({}), and it says so instead of sending it
                throw Refused.refused(t.name() + " was restarted within the past second; wait a moment and try again");
            }
            String body = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + Conventions.RESTARTED_AT + "\":\"" + now + "\"}}}}}";
            return Plan.one(new PlannedRequest("PATCH", t.basePath(), PlannedRequest.STRATEGIC_PATCH, body), "restart the pods of " + t.name());
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        return Plan.one(PlannedRequest.mergePatch(t.basePath(), "{\"spec\":{\"restartAt\":\"" + now + "\"}}"), "restart the pods of " + t.name());
    }
}

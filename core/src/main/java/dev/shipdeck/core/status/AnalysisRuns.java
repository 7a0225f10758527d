package dev.shipdeck.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.json.J;
import dev.shipdeck.core.model.AnalysisRun;
import dev.shipdeck.core.workload.Conventions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Argo Rollouts AnalysisRuns ({@code argoproj.io/v1alpha1}) as the model's {@link AnalysisRun}: the pod template hash
 * and kind of update from the labels Argo's controller puts on them ({@code rollouts-pod-template-hash},
 * {@code rollout-type}, {@code step-index}), {@code status.phase}/{@code message}, and
 * {@code status.metricResults[].measurements[]}.
 */
public final class AnalysisRuns {
    private AnalysisRuns() {}

    public static AnalysisRun of(JsonNode run) {
        List<AnalysisRun.Metric> metrics = new ArrayList<>();
        JsonNode results = J.at(run, "status", "metricResults");
        if (results != null) {
            for (JsonNode r : results) {
                List<AnalysisRun.Measurement> ms = new ArrayList<>();
                for (JsonNode m : r.path("measurements")) {
                    ms.add(new AnalysisRun.Measurement(J.str(m, "phase"), J.str(m, "value"), J.str(m, "message"),
                            J.time(m, "startedAt"), J.time(m, "finishedAt")));
                }
                metrics.add(new AnalysisRun.Metric(J.str(r, "name"), J.str(r, "phase"), J.str(r, "message"),
                        (int) J.num(r, 0, "count"), (int) J.num(r, 0, "failed"), ms));
            }
        }
        // metrics of the spec that have no result yet are Pending
        JsonNode specMetrics = J.at(run, "spec", "metrics");
        if (specMetrics != null) {
            for (JsonNode m : specMetrics) {
                String name = J.str(m, "name");
                if (metrics.stream().noneMatch(x -> x.name().equals(name))) {
                    metrics.add(new AnalysisRun.Metric(name, "Pending", "", 0, 0, List.of()));
                }
            }
        }
        long step = J.num(run, -1, "metadata", "labels", "step-index");
        Instant started = J.time(run, "status", "startedAt");
        return new AnalysisRun(J.str(run, "metadata", "name"), J.label(run, Conventions.ROLLOUT_HASH), J.label(run, "rollout-type"),
                (int) step, J.str(run, "status", "phase").isEmpty() ? "Pending" : J.str(run, "status", "phase"),
                J.str(run, "status", "message"), started != null ? started : J.time(run, "metadata", "creationTimestamp"), metrics);
    }

    /** The runs a Rollout (by uid) controls, newest first. */
    public static List<AnalysisRun> ownedBy(String rolloutUid, List<JsonNode> runs) {
        List<JsonNode> mine = new ArrayList<>();
        for (JsonNode r : runs) {
            if (rolloutUid.equals(Conventions.controllerUid(r))) mine.add(r);
        }
        mine.sort(Comparator.comparing((JsonNode r) -> J.str(r, "metadata", "creationTimestamp"))
                .thenComparing(r -> J.str(r, "metadata", "name")).reversed());
        return mine.stream().map(AnalysisRuns::of).toList();
    }
}

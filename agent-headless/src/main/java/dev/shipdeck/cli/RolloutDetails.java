package dev.shipdeck.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shipdeck.core.model.AnalysisRun;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.RolloutProgress;
import dev.shipdeck.core.model.Workload;

import java.time.Instant;
import java.util.List;

/**
 * What {@code -o json|yaml} adds for Argo Rollouts: a release's AnalysisRuns ({@code analysis}: each run's phase,
 * message, why it failed and every metric's measurements) and a blue-green workload's active and preview versions
 * ({@code blueGreen}). Absent (not null) where there is nothing to say.
 */
final class RolloutDetails {
    private RolloutDetails() {}

    /** One AnalysisRun, as printed; times are ISO-8601 UTC or null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Analysis(String name, String type, Integer stepIndex, String phase, String message, String reason, String startedAt,
                    List<Metric> metrics) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Metric(String name, String phase, String message, int count, int failed, List<Measurement> measurements) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Measurement(String phase, String value, String message, String startedAt, String finishedAt) {}

    /**
     * A blue-green Rollout: the versions (and pod template hashes) its active and preview services select, the services,
     * auto-promotion and the scale-down delay; {@code role}: what this release is to the services (active, preview,
     * both, or null for an older one).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BlueGreen(String role, String activeVersion, String activeHash, String previewVersion, String previewHash,
                     String activeService, String previewService, boolean autoPromotionEnabled, long autoPromotionSeconds,
                     long scaleDownDelaySeconds) {}

    /** The Rollout workload a release belongs to, if it is in the snapshot. */
    static Workload workloadOf(List<EnvironmentSnapshot> snapshots, Release r) {
        for (EnvironmentSnapshot s : snapshots) {
            if (!s.environment().name().equals(r.environment())) continue;
            for (Component c : s.components()) {
                for (Workload w : c.workloads()) {
                    if (w.rollout() != null && w.namespace().equals(r.namespace()) && w.name().equals(r.workloadName())) return w;
                }
            }
        }
        return null;
    }

    /** The AnalysisRuns of the update a release stands for (its pod template hash), newest first; empty when none. */
    static List<Analysis> analysis(Workload w, String templateHash) {
        if (w == null || w.rollout() == null || templateHash == null || templateHash.isEmpty()) return List.of();
        return w.rollout().analysisOf(templateHash).stream().map(RolloutDetails::analysis).toList();
    }

    static Analysis analysis(AnalysisRun a) {
        List<Metric> metrics = a.metrics().stream().map(m -> new Metric(m.name(), m.phase(), blank(m.message()), m.count(), m.failed(),
                m.measurements().stream().map(x -> new Measurement(x.phase(), blank(x.value()), blank(x.message()), iso(x.startedAt()),
                        iso(x.finishedAt()))).toList())).toList();
        return new Analysis(a.name(), blank(a.type()), a.stepIndex() < 0 ? null : a.stepIndex(), a.phase(), blank(a.message()),
                blank(a.reason()), iso(a.startedAt()), metrics);
    }

    /** The blue-green state for a release of {@code w} with {@code templateHash} (any hash: null role), or null. */
    static BlueGreen blueGreen(Workload w, String templateHash) {
        if (w == null || w.rollout() == null || !w.rollout().isBlueGreen()) return null;
        RolloutProgress.BlueGreen bg = w.rollout().blueGreen();
        boolean active = templateHash != null && templateHash.equals(bg.activeHash());
        boolean preview = templateHash != null && templateHash.equals(bg.previewHash());
        String role = active && preview ? "active,preview" : active ? "active" : preview ? "preview" : null;
        return new BlueGreen(role, blank(bg.activeVersion()), blank(bg.activeHash()), blank(bg.previewVersion()), blank(bg.previewHash()),
                blank(bg.activeService()), blank(bg.previewService()), bg.autoPromotionEnabled(), bg.autoPromotionSeconds(),
                bg.scaleDownDelaySeconds());
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}

package dev.shipdeck.core.model;

import java.util.List;

/**
 * A Rollout's position: a canary's steps, the current step, the canary weight and why it is paused; for blue-green,
 * its active and preview ReplicaSets and services ({@link BlueGreen}); and the Rollout's AnalysisRuns.
 *
 * @param manuallyPaused {@code spec.paused}: paused by a person ({@code kubectl argo rollouts pause}), not at a step
 * @param steps human-readable steps, e.g. {@code setWeight 20}, {@code pause}, {@code pause 30s}
 * @param blueGreen the blue-green state; null for canary Rollouts
 * @param analysis the AnalysisRuns the Rollout owns, newest first (each names the pod template hash it checks)
 */
public record RolloutProgress(List<String> steps, int currentStepIndex, int weight, String pauseReason,
                              boolean aborted, String stableHash, String currentHash, String phase, String message,
                              boolean manuallyPaused, BlueGreen blueGreen, List<AnalysisRun> analysis) {
    public RolloutProgress {
        steps = List.copyOf(steps);
        analysis = analysis == null ? List.of() : List.copyOf(analysis);
    }

    /** A canary's progress, without analysis. */
    public RolloutProgress(List<String> steps, int currentStepIndex, int weight, String pauseReason, boolean aborted, String stableHash,
                           String currentHash, String phase, String message, boolean manuallyPaused) {
        this(steps, currentStepIndex, weight, pauseReason, aborted, stableHash, currentHash, phase, message, manuallyPaused, null, List.of());
    }

    /**
     * A blue-green Rollout: the ReplicaSets (hash and version) its active and preview services select
     * ({@code status.blueGreen.activeSelector}/{@code previewSelector}), the services, whether it promotes itself
     * ({@code autoPromotionEnabled}, after {@code autoPromotionSeconds}), how long the old ReplicaSet stays up after the
     * switch ({@code scaleDownDelaySeconds}), and {@code previewReplicaCount} (-1: all replicas).
     */
    public record BlueGreen(String activeService, String previewService, String activeHash, String activeVersion,
                            String previewHash, String previewVersion, boolean autoPromotionEnabled, long autoPromotionSeconds,
                            long scaleDownDelaySeconds, long previewReplicaCount) {
        /** The preview runs another version than the active service: an update waits for (or is in) the switch. */
        public boolean previewDiffers() { return !previewHash.isEmpty() && !previewHash.equals(activeHash); }
    }

    public boolean fullyPromoted() { return !stableHash.isEmpty() && stableHash.equals(currentHash); }

    public boolean pausedAtStep() { return !pauseReason.isEmpty(); }

    public boolean isBlueGreen() { return blueGreen != null; }

    /** The AnalysisRuns of the update with pod template hash {@code hash}, newest first. */
    public List<AnalysisRun> analysisOf(String hash) {
        return analysis.stream().filter(a -> a.podHash().equals(hash)).toList();
    }
}

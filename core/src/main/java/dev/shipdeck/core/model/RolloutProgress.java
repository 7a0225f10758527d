package dev.shipdeck.core.model;

import java.util.List;

/**
 * A canary's position: its steps, the current step, the canary weight and why it is paused.
 *
 * @param manuallyPaused {@code spec.paused}: paused by a person ({@code kubectl argo rollouts pause}), not at a step
 * @param steps human-readable steps, e.g. {@code setWeight 20}, {@code pause}, {@code pause 30s}
 */
public record RolloutProgress(List<String> steps, int currentStepIndex, int weight, String pauseReason,
                              boolean aborted, String stableHash, String currentHash, String phase, String message,
                              boolean manuallyPaused) {
    public RolloutProgress {
        steps = List.copyOf(steps);
    }

    public boolean fullyPromoted() { return !stableHash.isEmpty() && stableHash.equals(currentHash); }

    public boolean pausedAtStep() { return !pauseReason.isEmpty(); }
}

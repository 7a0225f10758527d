package dev.shipdeck.core.model;

import java.time.Instant;
import java.util.List;

/**
 * An Argo Rollouts AnalysisRun of a Rollout: which update (pod template hash) and which part of it made it
 * ({@code rollout-type}: Step, PrePromotion, PostPromotion, Background), its phase and message, and every metric
 * with its measurements.
 *
 * @param type the {@code rollout-type} label; empty when the run has none
 * @param stepIndex the canary step that made it ({@code step-index}), or -1
 */
public record AnalysisRun(String name, String podHash, String type, int stepIndex, String phase, String message,
                          Instant startedAt, List<Metric> metrics) {
    public AnalysisRun {
        metrics = List.copyOf(metrics);
    }

    /** One metric's result: its phase, message, counts and measurements (oldest first). */
    public record Metric(String name, String phase, String message, int count, int failed, List<Measurement> measurements) {
        public Metric {
            measurements = List.copyOf(measurements);
        }
    }

    /** One measurement: {@code phase}, the measured {@code value}, the provider's {@code message}, when it ran. */
    public record Measurement(String phase, String value, String message, Instant startedAt, Instant finishedAt) {}

    public boolean failed() { return "Failed".equals(phase) || "Error".equals(phase); }

    public boolean completed() { return List.of("Successful", "Failed", "Error", "Inconclusive").contains(phase); }

    /**
     * Why it failed, in words: the run's message (Argo's {@code Metric "x" assessed Failed due to failed (1) >
     * failureLimit (0)}), else the first failed metric's and its last measurement's; empty when it did not fail.
     */
    public String reason() {
        if (!failed()) return "";
        if (!message.isEmpty()) return message;
        for (Metric m : metrics) {
            if ("Failed".equals(m.phase()) || "Error".equals(m.phase())) {
                String last = m.measurements().isEmpty() ? "" : m.measurements().get(m.measurements().size() - 1).message();
                return "Metric \"" + m.name() + "\" assessed " + m.phase() + (m.message().isEmpty() ? last.isEmpty() ? "" : ": " + last : ": " + m.message());
            }
        }
        return "analysis " + phase;
    }
}

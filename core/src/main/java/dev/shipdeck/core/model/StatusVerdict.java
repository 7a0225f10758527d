package dev.shipdeck.core.model;

/**
 * The status of a workload's current release and the words kubectl or the Argo plugin would use for it.
 *
 * @param phase the Argo Rollouts phase (Healthy, Progressing, Paused, Degraded), or the kubectl-style phase for Deployments
 */
public record StatusVerdict(ReleaseStatus status, String phase, String message, boolean paused, boolean awaitingPromotion,
                            boolean aborted) {
    public static StatusVerdict of(ReleaseStatus s, String phase, String message) {
        return new StatusVerdict(s, phase, message, false, false, false);
    }
}

package dev.shipdeck.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Deployment or Rollout that belongs to a component.
 *
 * @param versions every ReplicaSet it controls, newest revision first
 * @param rollout canary progress, or null for Deployments
 */
public record Workload(WorkloadKind kind, String namespace, String name, String uid, String version, String templateHash,
                       long revision, int desiredReplicas, int readyReplicas, int availableReplicas, int updatedReplicas,
                       StatusVerdict verdict, Labels labels, Set<Action> disabledActions, Map<String, String> annotations,
                       Trigger trigger, List<VersionInfo> versions, RolloutProgress rollout, Instant createdAt,
                       Instant lastChange, String hpaName) {
    public Workload {
        disabledActions = Set.copyOf(disabledActions);
        annotations = Map.copyOf(annotations);
        versions = List.copyOf(versions);
    }

    public boolean paused() { return verdict.paused(); }

    public boolean actionEnabled(Action a) { return !disabledActions.contains(a); }
}

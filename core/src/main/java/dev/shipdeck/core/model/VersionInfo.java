package dev.shipdeck.core.model;

import java.time.Instant;
import java.util.List;

/** One version of a workload = one pod template = one ReplicaSet, with its live pods. */
public record VersionInfo(String version, String templateHash, long revision, String replicaSetName, int replicas,
                          int readyReplicas, int availableReplicas, Instant createdAt, List<String> images,
                          Trigger trigger, boolean current, boolean stable) {
    public VersionInfo {
        images = List.copyOf(images);
    }

    public boolean active() { return replicas > 0; }
}

package dev.shipdeck.core.model;

import java.time.Instant;
import java.util.List;

/**
 * One version of a workload = one pod template = one ReplicaSet, with its live pods — or, in a workload's history
 * ({@link dev.shipdeck.core.status.VersionHistory}), a version known only from Release records, whose ReplicaSet no
 * longer exists ({@code replicaSetName} empty).
 *
 * @param notRestorable why this version cannot be restored (null when it can): {@link #OUTSIDE_HISTORY}
 * @param digestNote set when one of its images is pinned by a digest other than the one its tag is known to resolve
 *                   to elsewhere ({@code image digest changed since: …}); shown, never a refusal
 */
public record VersionInfo(String version, String templateHash, long revision, String replicaSetName, int replicas,
                          int readyReplicas, int availableReplicas, Instant createdAt, List<String> images,
                          Trigger trigger, boolean current, boolean stable, String notRestorable, String digestNote) {
    /** Why a version whose ReplicaSet is gone (beyond revisionHistoryLimit, or known only from records) cannot be restored. */
    public static final String OUTSIDE_HISTORY = "not restorable (outside revision history)";

    public VersionInfo {
        images = List.copyOf(images);
    }

    public VersionInfo(String version, String templateHash, long revision, String replicaSetName, int replicas, int readyReplicas,
                       int availableReplicas, Instant createdAt, List<String> images, Trigger trigger, boolean current, boolean stable) {
        this(version, templateHash, revision, replicaSetName, replicas, readyReplicas, availableReplicas, createdAt, images, trigger,
                current, stable, null, null);
    }

    public boolean active() { return replicas > 0; }

    /** Whether its ReplicaSet still exists, so that it can be restored. */
    public boolean restorable() { return notRestorable == null || notRestorable.isEmpty(); }

    public VersionInfo withNotes(String whyNot, String digest) {
        return new VersionInfo(version, templateHash, revision, replicaSetName, replicas, readyReplicas, availableReplicas, createdAt,
                images, trigger, current, stable, whyNot, digest);
    }
}

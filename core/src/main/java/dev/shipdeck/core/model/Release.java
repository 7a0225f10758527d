package dev.shipdeck.core.model;

import java.time.Duration;
import java.time.Instant;

/**
 * One deployment of a version of a component into an environment.
 *
 * @param source where it comes from: {@code derived} (ReplicaSet history), {@code agent}, {@code marker}
 * @param id stable: environment/namespace/kind/workload/template-hash for derived releases
 */
public record Release(String id, String component, String environment, String namespace, WorkloadKind workloadKind,
                      String workloadName, String version, String previousVersion, ReleaseType type, ReleaseStatus status,
                      String message, Instant startedAt, Instant endedAt, Trigger trigger, String source, boolean rollback,
                      String templateHash, long revision) {

    public Duration took() {
        return startedAt == null || endedAt == null ? null : Duration.between(startedAt, endedAt);
    }

    public Release withStatus(ReleaseStatus s, String msg, Instant ended) {
        return new Release(id, component, environment, namespace, workloadKind, workloadName, version, previousVersion,
                type, s, msg, startedAt, ended, trigger, source, rollback, templateHash, revision);
    }
}

package dev.shipdeck.core.commands;

import dev.shipdeck.core.workload.WorkloadFacts;

/**
 * What a command read of its workload: enough to tell, later, whether someone else changed the workload's spec in
 * between (its uid or generation moved; a status update by a controller does not count), and to say what it runs.
 *
 * @param generation {@code metadata.generation}: moves with every change of the spec, never with the status
 * @param version the version of its pod template (what it runs, or is rolling out)
 * @param replicas {@code spec.replicas}
 */
public record WorkloadState(String namespace, String name, String uid, long generation, String resourceVersion, String version,
                            long replicas) {
    /** The state of a target as read; of a workload that is gone: empty. */
    static WorkloadState of(Target t) {
        WorkloadFacts f = t.facts();
        if (f == null) return new WorkloadState("", "", "", -1, "", "", 0);
        return new WorkloadState(f.namespace(), f.name(), f.uid(), f.generation(), f.resourceVersion(), f.templateVersion(), f.replicas());
    }

    /** Whether {@code t} (as read now) is gone, another object, or the same one with another spec, than this state. */
    boolean changedIn(Target t) {
        WorkloadFacts f = t.facts();
        return f == null || !uid.equals(f.uid()) || generation != f.generation();
    }
}

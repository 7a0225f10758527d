package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.workload.WorkloadFacts;
import dev.shipdeck.core.workload.WorkloadPaths;

/**
 * A workload found for a request: its JSON as read (null when it is gone) and the facts parsed once from it.
 */
record Target(Environment env, WorkloadKind kind, JsonNode workload, WorkloadFacts facts, String namespace, String name) {
    static Target of(Environment env, WorkloadKind kind, JsonNode workload, String namespace, String name) {
        return new Target(env, kind, workload, workload == null ? null : WorkloadFacts.of(kind, workload), namespace, name);
    }

    long generation() {
        return facts == null ? -1 : facts.generation();
    }

    String basePath() {
        return WorkloadPaths.of(kind, namespace, name);
    }
}

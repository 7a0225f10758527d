package dev.shipdeck.app.common;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Workload;

import java.time.Instant;
import java.util.List;

/** The few direct cluster reads and writes the desktop makes besides core's commands. Blocking: use {@link Tasks}. */
public interface ClusterGateway {
    /** One pod, as the release page lists the pods of a version. */
    record Pod(String name, String phase, boolean ready, int restarts, Instant createdAt) {}

    /** Writes the {@code shipdeck.dev/labels} annotation of a workload with a JSON merge patch. */
    void writeLabels(String environment, Workload workload, Labels labels);

    /** The pod template ({@code spec.template}) of a ReplicaSet, or a missing node when it is gone. */
    JsonNode replicaSetTemplate(String environment, String namespace, String replicaSetName);

    /** The pods carrying {@code label=value} in a namespace, oldest first. */
    List<Pod> pods(String environment, String namespace, String label, String value);
}

package dev.shipdeck.app.common;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** The few direct cluster reads the desktop makes besides core's snapshots and commands. Blocking: use {@link Tasks}. */
public interface ClusterGateway {
    /** One pod, as the release page lists the pods of a version. */
    record Pod(String name, String phase, boolean ready, int restarts, Instant createdAt) {}

    /** The pod template ({@code spec.template}) of a ReplicaSet, or a missing node when it is gone. */
    JsonNode replicaSetTemplate(String environment, String namespace, String replicaSetName);

    /** The pods carrying {@code label=value} in a namespace, oldest first. */
    List<Pod> pods(String environment, String namespace, String label, String value);
}

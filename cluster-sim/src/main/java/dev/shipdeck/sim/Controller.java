package dev.shipdeck.sim;

import java.time.Duration;
import java.util.List;

/**
 * A simulated controller, run by {@link ControllerManager} on the cluster's single controller thread.
 * It reconciles one primary object at a time, identified by namespace and name.
 */
public interface Controller {
    /** A primary object to reconcile. */
    record Key(String namespace, String name) {}

    /** The primary resource type this controller owns (e.g. deployments). */
    ResourceType primary();

    /** The primaries an event concerns (the object itself, or its controller owner). Empty when none. */
    List<Key> keysFor(Store.Event event);

    /**
     * Brings the cluster one step closer to the primary's desired state. Returns after how much
     * <em>simulated</em> time to look again (e.g. a pod becomes ready, a pause ends, a deadline passes), or
     * null when only a new event can change anything. A missing primary is not an error (return null).
     */
    Duration reconcile(Key key);
}

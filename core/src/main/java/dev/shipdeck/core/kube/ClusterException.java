package dev.shipdeck.core.kube;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.ConnectionState;

/**
 * Talking to a cluster failed before an answer came back (unreachable, timed out, TLS) or the context cannot be used:
 * the same {@link ConnectionState} a read reports, so reads and writes say the same thing about the same trouble.
 */
public final class ClusterException extends ShipdeckException {
    private final ConnectionState state;

    public ClusterException(ConnectionState state, Throwable cause) {
        super(state.describe(), state.hint(), cause);
        this.state = state;
    }

    public ConnectionState state() { return state; }
}

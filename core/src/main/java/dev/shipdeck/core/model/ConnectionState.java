package dev.shipdeck.core.model;

/** A context's connection, with the reason when it is not connected. */
public record ConnectionState(Phase phase, String reason) {
    public enum Phase { CONNECTING, CONNECTED, RETRYING, FORBIDDEN, UNREACHABLE, FAILED }

    public static final ConnectionState CONNECTING = new ConnectionState(Phase.CONNECTING, "");
    public static final ConnectionState CONNECTED = new ConnectionState(Phase.CONNECTED, "");

    public ConnectionState {
        reason = reason == null ? "" : reason;
    }

    public static ConnectionState of(Phase p, String reason) { return new ConnectionState(p, reason); }

    public boolean connected() { return phase == Phase.CONNECTED; }

    /** e.g. {@code connected}, {@code retrying (401: token expired)}. */
    public String describe() {
        String p = phase.name().toLowerCase(java.util.Locale.ROOT);
        return reason.isEmpty() ? p : p + " (" + reason + ")";
    }
}

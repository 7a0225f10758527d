package dev.shipdeck.core.model;

/**
 * A context's connection, with the reason when it is not connected and, when known, what to do about it.
 * {@code MISCONFIGURED}: the context's kubeconfig entries cannot be used as written (no server, an undefined user,
 * data that is not base64, ...); retrying does not help until the file is fixed.
 */
public record ConnectionState(Phase phase, String reason, String hint) {
    public enum Phase { CONNECTING, CONNECTED, RETRYING, FORBIDDEN, UNREACHABLE, MISCONFIGURED, FAILED }

    public static final ConnectionState CONNECTING = new ConnectionState(Phase.CONNECTING, "");
    public static final ConnectionState CONNECTED = new ConnectionState(Phase.CONNECTED, "");

    public ConnectionState {
        reason = reason == null ? "" : reason;
        hint = hint == null ? "" : hint;
    }

    public ConnectionState(Phase phase, String reason) {
        this(phase, reason, "");
    }

    public static ConnectionState of(Phase p, String reason) { return new ConnectionState(p, reason); }

    public static ConnectionState of(Phase p, String reason, String hint) { return new ConnectionState(p, reason, hint); }

    public boolean connected() { return phase == Phase.CONNECTED; }

    /** e.g. {@code connected}, {@code retrying (401: token expired)}. */
    public String describe() {
        String p = phase.name().toLowerCase(java.util.Locale.ROOT);
        return reason.isEmpty() ? p : p + " (" + reason + ")";
    }
}

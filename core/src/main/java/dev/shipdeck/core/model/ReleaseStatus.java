package dev.shipdeck.core.model;

/** The status of a release, as the timeline shows it. */
public enum ReleaseStatus {
    /** planned by a deploy marker, not started */
    PENDING,
    RUNNING,
    SUCCESS,
    FAILED,
    /** superseded while running, or aborted by a person */
    CANCELLED,
    /** a queued command nobody picked up in its window */
    EXPIRED,
    /** a marker with no lifecycle */
    LOGGED;

    public boolean terminal() {
        return this == SUCCESS || this == FAILED || this == CANCELLED || this == EXPIRED || this == LOGGED;
    }

    public static ReleaseStatus parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new dev.shipdeck.core.ShipdeckException("unknown status \"" + s + "\"",
                    "use one of pending, running, success, failed, cancelled, expired, logged");
        }
    }
}

package dev.shipdeck.app.common;

import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Snapshot;

import java.time.Instant;

/** Why commands cannot run on an environment whose rows are a previous run's last known state. */
public final class Offline {
    private Offline() {}

    /** The reason every command is off in {@code environment}, or null when its rows are live. */
    public static String reason(Snapshot s, String environment) {
        Instant seen = s.lastSeen(environment);
        if (seen == null) return null;
        EnvironmentSnapshot e = s.environment(environment);
        String state = e == null ? "not connected" : e.connection().describe();
        return "not live: " + environment + " is " + state + "; this is what Shipdeck last saw of it ("
                + Times.clock(seen, Instant.now()) + "), and commands wait for a live connection";
    }
}

package dev.shipdeck.core.model;

import java.time.Instant;
import java.util.List;

/** Everything known about one environment at one moment. Immutable. */
public record EnvironmentSnapshot(Environment environment, ConnectionState connection, List<Component> components,
                                  List<Release> releases, boolean rolloutsAvailable, Instant asOf) {
    public EnvironmentSnapshot {
        components = List.copyOf(components);
        releases = List.copyOf(releases);
    }

    public static EnvironmentSnapshot empty(Environment env, ConnectionState state) {
        return new EnvironmentSnapshot(env, state, List.of(), List.of(), false, Instant.now());
    }
}

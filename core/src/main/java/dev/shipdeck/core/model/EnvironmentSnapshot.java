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

    /** The same moment with other components and releases (e.g. with the cluster's Release records added). */
    public EnvironmentSnapshot withHistory(List<Component> components, List<Release> releases) {
        return new EnvironmentSnapshot(environment, connection, components, releases, rolloutsAvailable, asOf);
    }

    public static EnvironmentSnapshot empty(Environment env, ConnectionState state) {
        return new EnvironmentSnapshot(env, state, List.of(), List.of(), false, Instant.now());
    }
}

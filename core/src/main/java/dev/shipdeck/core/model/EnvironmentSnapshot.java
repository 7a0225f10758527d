package dev.shipdeck.core.model;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything known about one environment at one moment. Immutable. {@code gaps} names the kinds that could not be
 * listed while the Deployments could: a snapshot with gaps is partial (some components or releases are missing).
 */
public record EnvironmentSnapshot(Environment environment, ConnectionState connection, List<Component> components,
                                  List<Release> releases, boolean rolloutsAvailable, Instant asOf, List<ReadGap> gaps) {
    public EnvironmentSnapshot {
        components = List.copyOf(components);
        releases = List.copyOf(releases);
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
    }

    /** A complete snapshot (no gaps). */
    public EnvironmentSnapshot(Environment environment, ConnectionState connection, List<Component> components,
                               List<Release> releases, boolean rolloutsAvailable, Instant asOf) {
        this(environment, connection, components, releases, rolloutsAvailable, asOf, List.of());
    }

    /** The same moment with other components and releases (e.g. with the cluster's Release records added). */
    public EnvironmentSnapshot withHistory(List<Component> components, List<Release> releases) {
        return new EnvironmentSnapshot(environment, connection, components, releases, rolloutsAvailable, asOf, gaps);
    }

    public static EnvironmentSnapshot empty(Environment env, ConnectionState state) {
        return new EnvironmentSnapshot(env, state, List.of(), List.of(), false, Instant.now());
    }

    /** Whether something could not be read while the rest could. */
    public boolean partial() {
        return !gaps.isEmpty();
    }

    /** The gap for {@code kind} ("Rollouts", "ReplicaSets", ...), or null. */
    public ReadGap gap(String kind) {
        return gaps.stream().filter(g -> g.kind().equals(kind)).findFirst().orElse(null);
    }

    /** e.g. {@code partial: Rollouts 503, Namespaces 403}; empty when complete. */
    public String partialText() {
        return gaps.isEmpty() ? "" : "partial: " + gaps.stream().map(ReadGap::brief).collect(Collectors.joining(", "));
    }

    /** The same snapshot with other releases (e.g. after the live view marked superseded ones). */
    public EnvironmentSnapshot withReleases(List<Release> newReleases) {
        return new EnvironmentSnapshot(environment, connection, components, newReleases, rolloutsAvailable, asOf, gaps);
    }
}

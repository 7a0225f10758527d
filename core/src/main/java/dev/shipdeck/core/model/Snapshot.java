package dev.shipdeck.core.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * All environments at one moment; {@code sequence} grows with every published snapshot. Immutable.
 *
 * @param lastSeen the environments whose components and releases are not live but the last known state a previous
 *                 run saw (the desktop's cache, shown until the environment answers), with when that state was seen;
 *                 empty for a snapshot that is live everywhere
 */
public record Snapshot(List<EnvironmentSnapshot> environments, long sequence, Map<String, Instant> lastSeen) {
    public static final Snapshot EMPTY = new Snapshot(List.of(), 0);

    public Snapshot {
        environments = List.copyOf(environments);
        lastSeen = lastSeen == null ? Map.of() : Map.copyOf(lastSeen);
    }

    /** A live snapshot. */
    public Snapshot(List<EnvironmentSnapshot> environments, long sequence) {
        this(environments, sequence, Map.of());
    }

    public Stream<Component> components() {
        return environments.stream().flatMap(e -> e.components().stream());
    }

    /** Every release, newest first. */
    public List<Release> timeline() {
        return environments.stream().flatMap(e -> e.releases().stream())
                .sorted(Comparator.comparing(Release::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .toList();
    }

    public EnvironmentSnapshot environment(String name) {
        return environments.stream().filter(e -> e.environment().name().equals(name)).findFirst().orElse(null);
    }

    /** When the shown state of {@code environment} was seen, if it is a previous run's (not live); else null. */
    public Instant lastSeen(String environment) {
        return lastSeen.get(environment);
    }
}

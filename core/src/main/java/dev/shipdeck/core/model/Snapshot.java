package dev.shipdeck.core.model;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** All environments at one moment; {@code sequence} grows with every published snapshot. Immutable. */
public record Snapshot(List<EnvironmentSnapshot> environments, long sequence) {
    public static final Snapshot EMPTY = new Snapshot(List.of(), 0);

    public Snapshot {
        environments = List.copyOf(environments);
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
}

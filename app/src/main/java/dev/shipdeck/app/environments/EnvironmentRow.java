package dev.shipdeck.app.environments;

import dev.shipdeck.core.model.EnvironmentSnapshot;

/**
 * One environment: its snapshot and how many of its components the filter keeps ({@code matching} of
 * {@code components}), failing and rolling out.
 */
public record EnvironmentRow(EnvironmentSnapshot snapshot, int components, int matching, int failed, int running) {
    public String name() { return snapshot.environment().name(); }

    public String key() { return name(); }
}

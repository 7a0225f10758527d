package dev.shipdeck.app.components;

import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Release;

/** One component in one environment, with its newest release (may be null). */
public record ComponentRow(Component component, Release lastRelease) {
    public String key() { return component.key(); }
}

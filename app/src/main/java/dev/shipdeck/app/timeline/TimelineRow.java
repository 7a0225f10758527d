package dev.shipdeck.app.timeline;

import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;

/** One row of the timeline: a release and the labels of its component. */
public record TimelineRow(Release release, Labels labels) {
    public String key() { return release.id(); }
}

package dev.shipdeck.app.palette;

import dev.shipdeck.core.model.Action;

/** One thing the palette can do: open a component or environment page, or start an action on a component. */
public record PaletteEntry(Kind kind, String title, String detail, String environment, String component, Action action) {
    public enum Kind { COMPONENT, ENVIRONMENT, ACTION }

    String searchText() {
        return (title + " " + detail).toLowerCase(java.util.Locale.ROOT);
    }
}

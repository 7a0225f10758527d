package dev.shipdeck.app.common;

import dev.shipdeck.core.model.Action;

/** Opening pages, from any view. */
public interface Navigation {
    void openComponent(String environment, String component);

    /** Opens the component page and starts {@code action} there (as the command palette does). */
    void runOnComponent(String environment, String component, Action action);

    void openRelease(String releaseId);

    void openEnvironment(String environment);

    /** Back to the previous page; false when already on the tabs. */
    boolean back();
}

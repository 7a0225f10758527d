package dev.shipdeck.app.main;

import dev.shipdeck.core.model.Action;
import javafx.scene.Parent;

/**
 * A page opened over the tabs (component, release, environment). Listens to live data only while its root is in
 * the scene (see {@link PageView}).
 */
public interface Page {
    Parent root();

    /** The breadcrumb, e.g. {@code checkout · prod-eu}. */
    String title();

    /** Starts an action's confirmation on this page (from the command palette); false when the page has no such action. */
    default boolean runAction(Action action) { return false; }
}

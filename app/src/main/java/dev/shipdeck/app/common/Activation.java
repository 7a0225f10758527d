package dev.shipdeck.app.common;

import javafx.beans.binding.BooleanExpression;
import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

/**
 * Ties a view model's activation to what the person sees: a page while its root is in a scene (the navigator puts
 * it there and takes it away), a tab while it is selected and its tab pane is in the scene (not covered by a page).
 */
public final class Activation {
    private Activation() {}

    /** Calls {@code on} each time {@code root} enters a scene and {@code off} each time it leaves. */
    public static void whileInScene(Node root, Runnable on, Runnable off) {
        follow(root.getProperties(), root.sceneProperty().isNotNull(), on, off);
    }

    /** Activates {@code vm} while {@code tab} is selected and {@code tabs} shown; deactivates it otherwise. */
    public static void whileSelected(Tab tab, TabPane tabs, PageViewModel vm) {
        follow(tab.getProperties(), BooleanExpression.booleanExpression(tab.selectedProperty()).and(tabs.sceneProperty().isNotNull()),
                vm::activate, vm::deactivate);
    }

    private static void follow(java.util.Map<Object, Object> owner, ObservableBooleanValue shown, Runnable on, Runnable off) {
        // bindings hold their inputs weakly: the node (or tab) keeps this one for as long as it lives
        owner.put(Activation.class, shown);
        shown.addListener((o, was, is) -> {
            if (is) on.run();
            else off.run();
        });
        if (shown.get()) on.run();
    }
}

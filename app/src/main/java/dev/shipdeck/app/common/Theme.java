package dev.shipdeck.app.common;

import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;

import java.util.Objects;

/**
 * Light and dark themes: AtlantaFX Primer as the user agent stylesheet, plus Shipdeck's own sheet. The AtlantaFX
 * 2.1 jar is compiled for Java 21, so its classes cannot load on Java 17; its stylesheets are plain resources and
 * are used directly.
 */
public final class Theme {
    public static final String CSS = resource("/dev/shipdeck/app/common/shipdeck.css");
    static final String PRIMER_LIGHT = resource("/atlantafx/base/theme/primer-light.css");
    static final String PRIMER_DARK = resource("/atlantafx/base/theme/primer-dark.css");

    private Theme() {}

    private static String resource(String path) {
        return Objects.requireNonNull(Theme.class.getResource(path), path).toExternalForm();
    }

    /** Switches the whole application (every window) to light or dark. */
    public static void apply(boolean dark) {
        Application.setUserAgentStylesheet(dark ? PRIMER_DARK : PRIMER_LIGHT);
    }

    /** Adds Shipdeck's sheet and the theme class to a scene's root. */
    public static void style(Scene scene, boolean dark) {
        if (!scene.getStylesheets().contains(CSS)) scene.getStylesheets().add(CSS);
        style(scene.getRoot(), dark);
    }

    public static void style(Parent root, boolean dark) {
        if (root == null) return;
        if (!root.getStylesheets().contains(CSS)) root.getStylesheets().add(CSS);
        root.getStyleClass().remove(dark ? "theme-light" : "theme-dark");
        if (!root.getStyleClass().contains(dark ? "theme-dark" : "theme-light")) root.getStyleClass().add(dark ? "theme-dark" : "theme-light");
    }
}

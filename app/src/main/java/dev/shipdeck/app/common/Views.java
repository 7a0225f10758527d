package dev.shipdeck.app.common;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;

/** Loads a view's FXML with the view object itself as controller (views are built by constructor injection). */
public final class Views {
    private Views() {}

    public static <T extends Parent> T load(Object controller, String fxml) {
        URL url = controller.getClass().getResource(fxml);
        if (url == null) throw new IllegalStateException("missing FXML " + fxml + " next to " + controller.getClass().getName());
        FXMLLoader loader = new FXMLLoader(url);
        loader.setController(controller);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + url + ": " + e.getMessage(), e);
        }
    }
}

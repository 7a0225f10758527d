package dev.shipdeck.app.common;

import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** Feather icons as nodes. */
public final class Icons {
    private Icons() {}

    public static FontIcon of(Feather f) {
        return new FontIcon(f);
    }

    public static FontIcon of(Feather f, String styleClass) {
        FontIcon i = new FontIcon(f);
        i.getStyleClass().add(styleClass);
        return i;
    }
}

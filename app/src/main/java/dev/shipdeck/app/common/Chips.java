package dev.shipdeck.app.common;

import dev.shipdeck.core.model.Labels;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

import java.util.List;

/** Labels drawn as small {@code key:value} tags. */
public final class Chips {
    private Chips() {}

    public static Label tag(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("label-tag");
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    /** A table column whose cells show a row's labels as chips (an empty row shows none). */
    public static <T> void column(javafx.scene.control.TableColumn<T, String> column, java.util.function.Function<T, Labels> labels) {
        Tables.graphic(column, r -> String.join(",", labels.apply(r).asStrings()), Tables::box,
                (box, r) -> fill(box, r == null ? null : labels.apply(r)));
    }

    /** Redraws {@code box} with the labels; null or empty clears it. */
    public static void fill(HBox box, Labels labels) {
        List<String> items = labels == null ? List.of() : labels.asStrings();
        if (box.getChildren().size() == items.size()) {
            boolean same = true;
            for (int i = 0; i < items.size() && same; i++) {
                same = ((Label) box.getChildren().get(i)).getText().equals(items.get(i));
            }
            if (same) return;
        }
        box.getChildren().clear();
        for (String s : items) box.getChildren().add(tag(s));
    }
}

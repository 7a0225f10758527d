package dev.shipdeck.app.environments;

import dev.shipdeck.core.matrix.PromotionOrder;
import javafx.beans.property.ReadOnlyObjectProperty;

import java.util.function.Consumer;

/** The open session's promotion order, as the environment page shows and changes it. */
public interface PromotionEditor {
    /** The order now (null before a session is open); the Matrix tab follows the same property. */
    ReadOnlyObjectProperty<PromotionOrder> orderProperty();

    /** Where a change is kept, said in words: the environments file, or that the demo keeps it only while it is open. */
    String savedWhere();

    /**
     * Moves {@code environment} one place earlier ({@code delta} -1) or later (+1) in its lanes: written to the
     * environments file off the UI thread, then the order changes; {@code onError} gets a one-line reason otherwise.
     */
    void move(String environment, int delta, Consumer<String> onError);

    /** For pages opened without a session that can change the order. */
    PromotionEditor NONE = new PromotionEditor() {
        private final javafx.beans.property.ReadOnlyObjectWrapper<PromotionOrder> none = new javafx.beans.property.ReadOnlyObjectWrapper<>();

        @Override
        public ReadOnlyObjectProperty<PromotionOrder> orderProperty() { return none.getReadOnlyProperty(); }

        @Override
        public String savedWhere() { return ""; }

        @Override
        public void move(String environment, int delta, Consumer<String> onError) { onError.accept("the promotion order cannot be changed here"); }
    };
}

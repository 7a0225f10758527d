package dev.shipdeck.core.commands;

import dev.shipdeck.core.matrix.PromotionOrder;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Environment;

/** Which word a person types to confirm an action in an environment, for every front end. */
public final class Confirmation {
    private Confirmation() {}

    /**
     * The word to type, or null when a plain confirmation suffices: the action's own word for destructive actions;
     * for {@link Action#SHIP} only when the target is production ({@link PromotionOrder#production}).
     */
    public static String word(Action a, Environment target) {
        if (a == Action.SHIP) return target != null && PromotionOrder.production(target) ? a.confirmWord() : null;
        return a.confirmWord();
    }
}

package dev.shipdeck.core.model;

/**
 * A command a person runs on a component; the annotation word turns it off with {@code shipdeck.dev/<word>-enabled: "false"}.
 * {@link #EDIT_LABELS} writes the component's {@code shipdeck.dev/labels} annotation (args {@code labels}, or {@code add}
 * and {@code remove}).
 */
public enum Action {
    RESTORE_VERSION("restore-version", "RESTORE"),
    SCALE("scale-component", "SCALE"),
    RESTART("restart-component", "RESTART"),
    RETRY("retry-release", null),
    PROMOTE("promote-release", null),
    PROMOTE_FULL("promote-release", null),
    CANCEL("cancel-release", "CANCEL"),
    EDIT_LABELS("edit-labels", null);

    private final String annotationWord;
    private final String confirmWord;

    Action(String annotationWord, String confirmWord) {
        this.annotationWord = annotationWord;
        this.confirmWord = confirmWord;
    }

    public String annotationWord() { return annotationWord; }

    /** The word a person types to confirm a destructive action, or null when a plain confirmation suffices. */
    public String confirmWord() { return confirmWord; }

    public boolean rolloutOnly() {
        return this == RETRY || this == PROMOTE || this == PROMOTE_FULL || this == CANCEL;
    }
}

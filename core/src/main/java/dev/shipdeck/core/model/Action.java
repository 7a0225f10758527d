package dev.shipdeck.core.model;

/**
 * A command a person runs on a component, with the words every front end shows for it: its verb (a dialog's title
 * and confirm button, the history), its label (the button) and its summary (the tooltip). The annotation word turns
 * it off with {@code shipdeck.dev/<word>-enabled: "false"}. {@link #EDIT_LABELS} writes the component's
 * {@code shipdeck.dev/labels} annotation (args {@code labels}, or {@code add} and {@code remove}).
 */
public enum Action {
    RESTORE_VERSION("restore-version", "RESTORE", "Restore", "Restore previous",
            "Roll back to the version before the current one (like kubectl rollout undo)"),
    SCALE("scale-component", "SCALE", "Scale", "Scale…", "Change the number of replicas"),
    RESTART("restart-component", "RESTART", "Restart", "Restart", "Replace every pod, one at a time (like kubectl rollout restart)"),
    RETRY("retry-release", null, "Retry", "Retry", "Retry the aborted rollout"),
    PROMOTE("promote-release", null, "Promote", "Promote", "Move the canary to its next step"),
    PROMOTE_FULL("promote-release", null, "Promote fully", "Promote full", "Skip the remaining canary steps"),
    CANCEL("cancel-release", "CANCEL", "Cancel", "Cancel rollout", "Abort the rollout: traffic goes back to the stable version"),
    EDIT_LABELS("edit-labels", null, "Relabel", "Edit labels", "Edit the labels (writes the shipdeck.dev/labels annotation)"),
    /**
     * Copies another environment's container images and version label into this one's pod template (args {@code from},
     * and {@code images}, {@code version} once read from there; an optional {@code reason}, kept in the audit record). Its word is typed only for a
     * production target (see {@code core.commands.Confirmation}).
     */
    SHIP("ship-version", "SHIP", "Ship", "Ship…", "Run the version of the environment before it here: its images and version label, nothing else");

    private final String annotationWord;
    private final String confirmWord;
    private final String verb;
    private final String label;
    private final String summary;

    Action(String annotationWord, String confirmWord, String verb, String label, String summary) {
        this.annotationWord = annotationWord;
        this.confirmWord = confirmWord;
        this.verb = verb;
        this.label = label;
        this.summary = summary;
    }

    public String annotationWord() { return annotationWord; }

    /** The word a person types to confirm a destructive action, or null when a plain confirmation suffices. */
    public String confirmWord() { return confirmWord; }

    /** The verb, capitalised: {@code Restore}, {@code Promote fully}. */
    public String verb() { return verb; }

    /** A button's text: {@code Restore previous}, {@code Scale…}. */
    public String label() { return label; }

    /** One sentence on what it does. */
    public String summary() { return summary; }

    public boolean rolloutOnly() {
        return this == RETRY || this == PROMOTE || this == PROMOTE_FULL || this == CANCEL;
    }
}

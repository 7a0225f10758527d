package dev.shipdeck.core;

/**
 * A failure a person can act on: {@link #getMessage()} says what is wrong, {@link #hint()} what to do.
 * Never carries a token, key or password.
 */
public class ShipdeckException extends RuntimeException {
    private final String hint;

    public ShipdeckException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public ShipdeckException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    /** What to do about it, or an empty string. */
    public String hint() {
        return hint == null ? "" : hint;
    }

    /** Message and hint on one line, for a status bar or stderr. */
    public String oneLine() {
        return hint().isEmpty() ? getMessage() : getMessage() + " (" + hint() + ")";
    }
}

package dev.shipdeck.app.common;

import dev.shipdeck.core.ShipdeckException;

/** One line a person can read for any failure. */
public final class Errors {
    private Errors() {}

    public static String oneLine(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException
                || c instanceof java.io.UncheckedIOException && c.getCause() != null && c.getMessage() == null) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ShipdeckException se) return se.oneLine();
        String m = c.getMessage();
        if (m == null || m.isBlank()) return c.getClass().getSimpleName();
        String first = m.split("\n")[0];
        return first.length() > 300 ? first.substring(0, 300) + "…" : first;
    }
}

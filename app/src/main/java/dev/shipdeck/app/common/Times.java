package dev.shipdeck.app.common;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * How times read in tables: {@code 2 min ago}, {@code 48 s}, {@code 1 h 5 min}. "Started … ago" and "Took …" are
 * written with the same units and precision, so a release that is still running reads the same in both.
 */
public final class Times {
    private static final DateTimeFormatter ABSOLUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Times() {}

    public static String ago(Instant t, Instant now) {
        if (t == null) return "—";
        Duration d = Duration.between(t, now);
        if (d.isNegative() || d.getSeconds() < 10) return "just now";
        if (d.toMinutes() < 10) return took(d) + " ago";
        if (d.toMinutes() < 60) return d.toMinutes() + " min ago";
        return took(d) + " ago";
    }

    public static String took(Duration d) {
        if (d == null) return "—";
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min" + (s % 60 != 0 && s < 600 ? " " + (s % 60) + " s" : "");
        if (s < 86_400) return (s / 3600) + " h" + ((s % 3600) / 60 != 0 ? " " + (s % 3600) / 60 + " min" : "");
        return (s / 86_400) + " d" + ((s % 86_400) / 3600 != 0 ? " " + (s % 86_400) / 3600 + " h" : "");
    }

    /** When a last known state was seen, as a status bar says it: {@code 10:42} today, else {@code Dec 1 10:42}. */
    public static String clock(Instant t, Instant now) {
        ZoneId zone = ZoneId.systemDefault();
        boolean today = t.atZone(zone).toLocalDate().equals(now.atZone(zone).toLocalDate());
        return DateTimeFormatter.ofPattern(today ? "HH:mm" : "MMM d HH:mm", java.util.Locale.ENGLISH).withZone(zone).format(t);
    }

    public static String absolute(Instant t) {
        return t == null ? "—" : ABSOLUTE.format(t);
    }
}

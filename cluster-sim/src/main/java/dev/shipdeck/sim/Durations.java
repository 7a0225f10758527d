package dev.shipdeck.sim;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration syntax ({@code time.ParseDuration}: {@code 300ms}, {@code 1.5s}, {@code 2m30s}, {@code 1h}), as Kubernetes and Argo write durations. */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private Durations() {}

    /** Parses {@code text}; a bare number is seconds. Throws IllegalArgumentException naming the text when it is not a duration. */
    static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.matches("\\d+(\\.\\d+)?")) {
            return Duration.ofNanos(new BigDecimal(t).movePointRight(9).longValueExact());
        }
        Matcher m = PART.matcher(t);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            end = m.end();
        }
        if (t.isEmpty() || end != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (like 500ms, 5s, 1m30s)");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    static String format(Duration d) {
        return format(d.toNanos());
    }

    /** Go's time.Duration.String() of a number of nanoseconds: 0s, 1.5s, 2m0s, 1h30m0s, 300ms. */
    static String format(long nanos) {
        if (nanos == 0) return "0s";
        boolean negative = nanos < 0;
        long u = Math.abs(nanos);
        String out;
        if (u < 1_000_000_000L) {
            if (u < 1_000) out = u + "ns";
            else if (u < 1_000_000) out = fraction(u, 1_000) + "µs";
            else out = fraction(u, 1_000_000) + "ms";
        } else {
            long hours = u / 3_600_000_000_000L;
            long minutes = u / 60_000_000_000L % 60;
            String seconds = fraction(u % 60_000_000_000L, 1_000_000_000L) + "s";
            out = hours > 0 ? hours + "h" + minutes + "m" + seconds : minutes > 0 ? minutes + "m" + seconds : seconds;
        }
        return negative ? "-" + out : out;
    }

    private static String fraction(long value, long unit) {
        long whole = value / unit;
        long rest = value % unit;
        if (rest == 0) return Long.toString(whole);
        String digits = String.format("%0" + Long.toString(unit).length() + "d", rest).substring(1).replaceAll("0+$", "");
        return whole + "." + digits;
    }
}

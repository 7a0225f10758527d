package dev.shipdeck.core.kube;

import java.time.Duration;

/** Durations as kubectl writes them: {@code 500ms}, {@code 1s}, {@code 1m30s}, {@code 2h}. */
public final class Durations {
    private Durations() {}

    public static String format(Duration d) {
        if (d.isZero()) return "0s";
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        StringBuilder out = new StringBuilder();
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        long rest = d.toMillisPart();
        if (h > 0) out.append(h).append('h');
        if (m > 0) out.append(m).append('m');
        if (s > 0 || rest > 0) out.append(s).append(rest > 0 ? String.format(java.util.Locale.ROOT, ".%03d", rest).replaceAll("0+$", "") : "").append('s');
        return out.toString();
    }
}

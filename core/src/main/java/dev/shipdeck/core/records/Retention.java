package dev.shipdeck.core.records;

import dev.shipdeck.core.ShipdeckException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How much history is kept, so etcd is never abused: per component (in one namespace) at most {@code perComponent}
 * finished records, none older than {@code maxAge}. Records still in flight are always kept, and so is the newest
 * record of each workload (the agent resumes from it).
 */
public record Retention(int perComponent, Duration maxAge) {
    public Retention {
        if (perComponent < 1) {
            throw new ShipdeckException("retention must keep at least 1 record per component, got " + perComponent, "use 1 or more");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new ShipdeckException("retention age must be positive, got " + maxAge, "use e.g. 90 days");
        }
    }

    public static final Retention DEFAULT = new Retention(100, Duration.ofDays(90));

    /** The release records to delete now. */
    public List<ReleaseRecord> releasesToDelete(List<ReleaseRecord> all, Instant now) {
        Set<String> anchors = new HashSet<>();
        Map<String, ReleaseRecord> newestByWorkload = new LinkedHashMap<>();
        for (ReleaseRecord r : all) {
            ReleaseRecord.WorkloadRef w = r.spec().workload();
            if (w == null) continue;
            String key = r.namespace() + "/" + w.kind() + "/" + w.name() + "/" + w.uid();
            newestByWorkload.merge(key, r, (a, b) -> a.spec().workload().revision() >= b.spec().workload().revision() ? a : b);
        }
        newestByWorkload.values().forEach(r -> anchors.add(r.namespace() + "/" + r.name()));
        return overflow(all, now, Comparator.comparing((ReleaseRecord r) -> time(r.status().endedAt(), r.status().startedAt()),
                Comparator.nullsLast(Comparator.reverseOrder())), r -> r.namespace() + "/" + r.spec().component(),
                r -> r.terminal() && !anchors.contains(r.namespace() + "/" + r.name()), r -> time(r.status().endedAt(), r.status().startedAt()));
    }

    /** The command records to delete now (finished ones only). */
    public List<ReleaseCommandRecord> commandsToDelete(List<ReleaseCommandRecord> all, Instant now) {
        return overflow(all, now, Comparator.comparing((ReleaseCommandRecord r) -> r.spec().requestedAt()).reversed(),
                r -> r.namespace() + "/" + r.spec().component(), r -> r.phase().terminal(), r -> time(r.status().finishedAt(), r.spec().requestedAt()));
    }

    /**
     * Per component ({@code component}: namespace/name), newest first: the prunable records past the first {@code perComponent} of
     * them, and those older than {@code maxAge}.
     */
    private <R> List<R> overflow(List<R> all, Instant now, Comparator<R> newestFirst, Function<R, String> component,
                                                Predicate<R> prunable, Function<R, Instant> time) {
        Map<String, List<R>> byComponent = new LinkedHashMap<>();
        for (R r : all) {
            byComponent.computeIfAbsent(component.apply(r), k -> new ArrayList<>()).add(r);
        }
        List<R> out = new ArrayList<>();
        Instant oldest = now.minus(maxAge);
        for (List<R> group : byComponent.values()) {
            group.sort(newestFirst);
            int kept = 0;
            for (R r : group) {
                if (!prunable.test(r)) continue;
                Instant t = time.apply(r);
                if (kept >= perComponent || t != null && t.isBefore(oldest)) {
                    out.add(r);
                } else {
                    kept++;
                }
            }
        }
        return out;
    }

    private static Instant time(Instant preferred, Instant fallback) {
        return preferred != null ? preferred : fallback;
    }
}

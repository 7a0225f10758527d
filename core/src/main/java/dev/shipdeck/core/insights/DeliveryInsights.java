package dev.shipdeck.core.insights;

import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The four delivery measures (deployment frequency, lead time for changes, change failure rate, time to restore)
 * computed from releases, as docs/INSIGHTS.md defines them. Pure: releases in, numbers out.
 *
 * <p>Give it the whole history that is known, not only the period's: whether a release was restored, and how fast,
 * depends on the releases after it, which may lie after the period's end.
 */
public final class DeliveryInsights {
    /** A change whose next release of that component in that environment is a restore within this time failed. */
    public static final Duration RESTORE_WINDOW = Duration.ofHours(24);

    /** The lead time distribution's buckets: up to 1 hour, 4 hours, 1 day, 1 week, more. */
    private static final List<Duration> BOUNDS = List.of(Duration.ofHours(1), Duration.ofHours(4), Duration.ofDays(1), Duration.ofDays(7));
    private static final List<String> BUCKET_LABELS = List.of("< 1 h", "1–4 h", "4–24 h", "1–7 d", "> 7 d");

    private DeliveryInsights() {}

    /** What is known about one release once its neighbours in its environment are known. */
    record Fact(Release release, Instant at, Instant finished, boolean successful, boolean change, boolean failedChange,
                Duration leadTime, Duration restoreTook) {}

    /**
     * The insights of {@code period}; days in {@code zone}; groups by {@code groupOf} (a team label's value, the
     * environment or the component; never null) named {@code groupedBy}.
     */
    public static Insights compute(Collection<Release> history, Period period, ZoneId zone, String groupedBy,
                                   Function<Release, String> groupOf) {
        List<Fact> facts = facts(history, RESTORE_WINDOW);
        List<Fact> now = facts.stream().filter(f -> period.contains(f.at())).toList();
        List<Fact> before = facts.stream().filter(f -> period.previous().contains(f.at())).toList();

        List<Insights.Day> days = new ArrayList<>();
        LocalDate last = period.to().minusNanos(1).atZone(zone).toLocalDate();
        for (LocalDate d = period.from().atZone(zone).toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
            LocalDate day = d;
            List<Fact> ofDay = now.stream().filter(f -> f.at().atZone(zone).toLocalDate().equals(day)).toList();
            Map<ReleaseStatus, Integer> byStatus = new EnumMap<>(ReleaseStatus.class);
            ofDay.forEach(f -> byStatus.merge(f.release().status(), 1, Integer::sum));
            days.add(new Insights.Day(day, byStatus, measures(ofDay, 1.0)));
        }

        int[] counts = new int[BOUNDS.size() + 1];
        for (Fact f : now) {
            if (f.leadTime() == null) continue;
            int i = 0;
            while (i < BOUNDS.size() && f.leadTime().compareTo(BOUNDS.get(i)) > 0) i++;
            counts[i]++;
        }
        List<Insights.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            buckets.add(new Insights.Bucket(BUCKET_LABELS.get(i), i < BOUNDS.size() ? BOUNDS.get(i) : null, counts[i]));
        }

        Map<String, List<Fact>> byGroup = new TreeMap<>();
        now.forEach(f -> byGroup.computeIfAbsent(groupOf.apply(f.release()), g -> new ArrayList<>()).add(f));
        List<Insights.Group> groups = byGroup.entrySet().stream()
                .map(e -> new Insights.Group(e.getKey(), measures(e.getValue(), period.days()))).toList();

        return new Insights(period, measures(now, period.days()), measures(before, period.previous().days()), days, buckets,
                groupedBy, groups);
    }

    /** The measures of the releases of {@code history} that {@code keep} selects, over a period of {@code days}. */
    public static Measures measures(Collection<Release> history, Period period, Predicate<Release> keep) {
        return measures(facts(history, RESTORE_WINDOW).stream().filter(f -> period.contains(f.at()) && keep.test(f.release())).toList(),
                period.days());
    }

    /** Each started release with what its environment's later releases say about it. */
    static List<Fact> facts(Collection<Release> history, Duration restoreWindow) {
        Map<String, List<Release>> lanes = new LinkedHashMap<>();
        for (Release r : history) {
            if (r.status() == ReleaseStatus.PENDING || r.status() == ReleaseStatus.EXPIRED || at(r) == null) continue;
            lanes.computeIfAbsent(r.environment() + "/" + r.component(), k -> new ArrayList<>()).add(r);
        }
        List<Fact> out = new ArrayList<>();
        for (List<Release> lane : lanes.values()) {
            lane.sort(Comparator.comparing(DeliveryInsights::at).thenComparingLong(Release::revision));
            for (int i = 0; i < lane.size(); i++) {
                Release r = lane.get(i);
                Instant finished = finished(r);
                boolean successful = successful(r);
                boolean change = !r.rollback() && (successful || r.status() == ReleaseStatus.FAILED || r.status() == ReleaseStatus.CANCELLED);
                Release next = i + 1 < lane.size() ? lane.get(i + 1) : null;
                boolean restoredSoon = successful && next != null && next.rollback() && finished != null
                        && Duration.between(finished, at(next)).compareTo(restoreWindow) <= 0;
                boolean failed = change && (r.status() == ReleaseStatus.FAILED || r.status() == ReleaseStatus.CANCELLED || restoredSoon);
                Duration restoreTook = null;
                if (failed && finished != null) {
                    for (int j = i + 1; j < lane.size(); j++) {
                        Release s = lane.get(j);
                        Instant fixed = finished(s);
                        if (successful(s) && fixed != null && !fixed.isBefore(finished)) {
                            restoreTook = Duration.between(finished, fixed);
                            break;
                        }
                    }
                }
                Instant committed = r.trigger() == null ? null : r.trigger().commitTime();
                Duration lead = successful && change && committed != null && finished != null && !committed.isAfter(finished)
                        ? Duration.between(committed, finished) : null;
                out.add(new Fact(r, at(r), finished, successful, change, failed, lead, restoreTook));
            }
        }
        return out;
    }

    static Measures measures(List<Fact> facts, double days) {
        int inProgress = (int) facts.stream().filter(f -> f.release().status() == ReleaseStatus.RUNNING).count();
        int deployments = (int) facts.stream().filter(Fact::successful).count();
        List<Duration> leads = facts.stream().map(Fact::leadTime).filter(d -> d != null).toList();
        int changes = (int) facts.stream().filter(Fact::change).count();
        int failed = (int) facts.stream().filter(Fact::failedChange).count();
        List<Duration> restores = facts.stream().filter(Fact::failedChange).map(Fact::restoreTook).filter(d -> d != null).toList();
        return new Measures(facts.size(), inProgress, deployments, days > 0 ? deployments / days : 0, median(leads), leads.size(),
                changes, failed, changes == 0 ? null : (double) failed / changes, median(restores), restores.size());
    }

    /** The median; for an even count the mean of the two middle values; null for none. */
    static Duration median(List<Duration> values) {
        if (values.isEmpty()) return null;
        List<Duration> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    /** When a release counts: its start; a marker without one, its end. */
    static Instant at(Release r) {
        return r.startedAt() != null ? r.startedAt() : r.endedAt();
    }

    /** When it finished: its end; a finished release whose end is not known (derived history), its start. */
    static Instant finished(Release r) {
        if (!r.status().terminal()) return null;
        return r.endedAt() != null ? r.endedAt() : r.startedAt();
    }

    private static boolean successful(Release r) {
        return r.status() == ReleaseStatus.SUCCESS || r.status() == ReleaseStatus.LOGGED;
    }
}

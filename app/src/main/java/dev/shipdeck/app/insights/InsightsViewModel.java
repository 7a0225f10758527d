package dev.shipdeck.app.insights;

import dev.shipdeck.app.common.FilterSpec;
import dev.shipdeck.app.common.PageViewModel;
import dev.shipdeck.app.common.Rows;
import dev.shipdeck.core.insights.DeliveryInsights;
import dev.shipdeck.core.insights.Insights;
import dev.shipdeck.core.insights.Measures;
import dev.shipdeck.core.insights.Period;
import dev.shipdeck.core.insights.Trend;
import dev.shipdeck.core.model.Label;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The Insights tab: the four delivery measures (docs/INSIGHTS.md) of the releases the filter selects, over the last
 * 7, 30 or 90 days, with the trend against the period before, the releases per day, the lead times' spread and the
 * measures per team (or environment, or component). Computed from the snapshot on the UI thread: pure arithmetic
 * over the releases already in memory, no cluster call.
 */
public final class InsightsViewModel extends PageViewModel {
    /** What a tile's trend means for the person: better, worse, or no trend to show. */
    public enum Mood { BETTER, WORSE, SAME, NONE }

    /** What the breakdown is by. */
    public enum GroupBy {
        TEAM("Team"), ENVIRONMENT("Environment"), COMPONENT("Component");

        private final String title;

        GroupBy(String title) { this.title = title; }

        public String title() { return title; }
    }

    /**
     * One measure's tile: its value, what it counts, its trend and the sparkline of its daily values (null for a day
     * without a value).
     */
    public record Tile(String id, String title, String value, String detail, String trend, Mood mood, List<Double> spark,
                       String definition) {}

    /** One row of the breakdown table, as shown. */
    public record GroupRow(String name, int releases, String frequency, String leadTime, String failureRate, String timeToRestore,
                           Measures measures) {}

    static final List<Integer> RANGES = List.of(7, 30, 90);

    private final ObjectProperty<FilterSpec> filters;
    private final Clock clock;
    private final ZoneId zone;
    private final IntegerProperty days = new SimpleIntegerProperty(this, "days", 30);
    private final ObjectProperty<GroupBy> groupBy = new SimpleObjectProperty<>(this, "groupBy", GroupBy.TEAM);
    private final ReadOnlyObjectWrapper<Insights> insights = new ReadOnlyObjectWrapper<>(this, "insights");
    private final ReadOnlyObjectWrapper<List<Tile>> tiles = new ReadOnlyObjectWrapper<>(this, "tiles", List.of());
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final Rows<GroupRow> groups = new Rows<>();

    public InsightsViewModel(ReadOnlyObjectProperty<Snapshot> snapshot, ReadOnlyObjectProperty<FilterSpec> filters, Clock clock,
                             ZoneId zone) {
        super(snapshot);
        this.filters = new SimpleObjectProperty<>();
        this.filters.bind(filters);
        this.clock = clock;
        this.zone = zone;
        watch(this.filters);
        watch(days);
        watch(groupBy);
    }

    @Override
    protected void refresh() {
        Snapshot s = snapshot.get();
        FilterSpec f = filters.get();
        Map<String, Labels> labels = new HashMap<>();
        s.components().forEach(c -> labels.put(c.key(), c.labels()));
        Function<Release, Labels> labelsOf = r -> labels.getOrDefault(r.environment() + "/" + r.component(), Labels.NONE);
        List<Release> selected = new ArrayList<>();
        for (Release r : s.timeline()) {
            Labels l = labelsOf.apply(r);
            if (!f.environment(r.environment()) || !f.labels(l)) continue;
            if (!f.text(r.component(), r.environment(), String.join(" ", l.asStrings()))) continue;
            selected.add(r);
        }
        GroupBy by = groupBy.get();
        Function<Release, String> groupOf = switch (by) {
            case ENVIRONMENT -> Release::environment;
            case COMPONENT -> Release::component;
            case TEAM -> r -> {
                List<String> teams = labelsOf.apply(r).items().stream().filter(l -> l.key().equals("team")).map(Label::value).sorted().toList();
                return teams.isEmpty() ? "(no team)" : String.join(", ", teams);
            };
        };
        Period period = Period.last(Duration.ofDays(days.get()), clock.instant());
        Insights in = DeliveryInsights.compute(selected, period, zone, by.name().toLowerCase(Locale.ROOT), groupOf);
        insights.set(in);
        tiles.set(tiles(in));
        List<GroupRow> rows = new ArrayList<>();
        for (Insights.Group g : in.groups()) {
            Measures m = g.measures();
            rows.add(new GroupRow(g.name(), m.releases(), frequency(m.deploymentsPerDay()), duration(m.leadTime()), rate(m.changeFailureRate()),
                    duration(m.timeToRestore()), m));
        }
        groups.setAll(rows);
        summary.set(in.current().releases() + " releases in the last " + days.get() + " days"
                + (in.current().inProgress() > 0 ? ", " + in.current().inProgress() + " in progress" : ""));
        emptyText.set(s.environments().isEmpty() ? "Waiting for the clusters…"
                : in.current().releases() == 0 ? "No release in the last " + days.get() + " days matches the filter." : "");
    }

    static List<Tile> tiles(Insights in) {
        Measures m = in.current();
        Measures p = in.previous();
        Trend t = Trend.of(m, p);
        List<Insights.Day> ds = in.days();
        return List.of(
                new Tile("frequency", "Deployment frequency", frequency(m.deploymentsPerDay()),
                        m.deployments() + " successful releases", percent(t.deploymentsPerDay(), "was " + frequency(p.deploymentsPerDay())),
                        mood(t.deploymentsPerDay(), true), ds.stream().map(d -> (double) d.measures().deployments()).toList(),
                        "Successful releases (restores included) per day. A release counts on the day it started."),
                new Tile("lead-time", "Lead time for changes", m.leadTime() == null ? "unknown" : duration(m.leadTime()),
                        m.leadTimesKnown() + " successful changes with a commit time",
                        percent(t.leadTime(), p.leadTime() == null ? "" : "was " + duration(p.leadTime())), mood(t.leadTime(), false),
                        ds.stream().map(d -> d.measures().leadTime() == null ? null : d.measures().leadTime().toSeconds() / 3600.0).toList(),
                        "Median time from the commit to the release's success, where CI gave the commit time (--commit-time, "
                                + "shipdeck.dev/commit-time); never guessed."),
                new Tile("failure-rate", "Change failure rate", m.changeFailureRate() == null ? "no changes" : rate(m.changeFailureRate()),
                        m.failedChanges() + " of " + m.changes() + " changes failed",
                        points(t.changeFailureRatePoints(), p.changeFailureRate() == null ? "" : "was " + rate(p.changeFailureRate())),
                        mood(t.changeFailureRatePoints(), false),
                        ds.stream().map(d -> d.measures().changeFailureRate() == null ? null : d.measures().changeFailureRate() * 100).toList(),
                        "Changes that ended FAILED or CANCELLED, or were restored within 24 hours, over all finished changes "
                                + "(restores are not changes)."),
                new Tile("time-to-restore", "Time to restore", m.failedChanges() == 0 ? "no failures"
                        : m.timeToRestore() == null ? "not restored" : duration(m.timeToRestore()),
                        m.restored() + " of " + m.failedChanges() + " failures restored",
                        percent(t.timeToRestore(), p.timeToRestore() == null ? "" : "was " + duration(p.timeToRestore())),
                        mood(t.timeToRestore(), false),
                        ds.stream().map(d -> d.measures().timeToRestore() == null ? null : d.measures().timeToRestore().toSeconds() / 3600.0).toList(),
                        "Median time from a failed change to the next successful release of that component in that environment."));
    }

    private static Mood mood(Double change, boolean moreIsBetter) {
        if (change == null) return Mood.NONE;
        if (Math.abs(change) < 1e-9) return Mood.SAME;
        return change > 0 == moreIsBetter ? Mood.BETTER : Mood.WORSE;
    }

    static String frequency(double perDay) {
        if (perDay == 0) return "none";
        if (perDay >= 1) return String.format(Locale.ROOT, "%.1f / day", perDay);
        return String.format(Locale.ROOT, "%.1f / week", perDay * 7);
    }

    static String duration(Duration d) {
        if (d == null) return "–";
        long s = d.toSeconds();
        if (s < 60) return s + " s";
        if (s < 3600) return s / 60 + " min";
        if (s < 86_400) return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
        return s / 86_400 + " d" + (s % 86_400 / 3600 == 0 ? "" : " " + s % 86_400 / 3600 + " h");
    }

    static String rate(Double r) {
        return r == null ? "–" : String.format(Locale.ROOT, "%.0f %%", r * 100);
    }

    private static String percent(Double change, String was) {
        if (change == null) return "no trend: nothing to compare with";
        return String.format(Locale.ROOT, "%s %.0f %% vs the period before", change >= 0 ? "▲" : "▼", Math.abs(change * 100))
                + (was.isEmpty() ? "" : " (" + was + ")");
    }

    private static String points(Double p, String was) {
        if (p == null) return "no trend: nothing to compare with";
        return String.format(Locale.ROOT, "%s %.0f pts vs the period before", p >= 0 ? "▲" : "▼", Math.abs(p)) + (was.isEmpty() ? "" : " (" + was + ")");
    }

    /** The day a bar stands for, as the timeline filters by it. */
    public LocalDate dayOf(int index) {
        Insights in = insights.get();
        return in == null || index < 0 || index >= in.days().size() ? null : in.days().get(index).date();
    }

    public ZoneId zone() { return zone; }

    public IntegerProperty daysProperty() { return days; }

    public ObjectProperty<GroupBy> groupByProperty() { return groupBy; }

    public ReadOnlyObjectProperty<Insights> insightsProperty() { return insights.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<List<Tile>> tilesProperty() { return tiles.getReadOnlyProperty(); }

    public ObservableList<GroupRow> groups() { return groups.view(); }

    public ReadOnlyStringProperty emptyTextProperty() { return emptyText.getReadOnlyProperty(); }

    public ReadOnlyStringProperty summaryProperty() { return summary.getReadOnlyProperty(); }
}

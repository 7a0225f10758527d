package dev.shipdeck.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shipdeck.core.insights.DeliveryInsights;
import dev.shipdeck.core.insights.Insights;
import dev.shipdeck.core.insights.Measures;
import dev.shipdeck.core.insights.Period;
import dev.shipdeck.core.insights.Trend;
import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Label;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code shipdeck insights}: the four delivery measures of a period, with the trend and a breakdown per team. */
@Command(name = "insights",
        header = "Deployment frequency, lead time, change failure rate and time to restore.",
        description = {
            "Computes the four delivery measures from the release history in the clusters (the Release records where the "
                + "Shipdeck CRDs are installed, else the ReplicaSet history) for the period --since gives, compares them with "
                + "the period of the same length before it, and breaks them down by team (or --by environment, component or "
                + "another label key):",
            "",
            "  deployment frequency   successful releases (restores included) per day",
            "  lead time for changes  median time from the commit (--commit-time of the deploy marker, or the "
                + "shipdeck.dev/commit-time annotation) to the successful release; unknown where no commit time was given",
            "  change failure rate    changes (releases that are not restores) that ended FAILED or CANCELLED, or were "
                + "restored within 24 hours, over all finished changes",
            "  time to restore        median time from a failed change to the next successful release of that component "
                + "in that environment",
            "",
            "A release counts in the period it started in. Days are UTC. The definitions in full: docs/INSIGHTS.md."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # The last 30 days, per team",
            "  shipdeck insights",
            "",
            "  # The payments team in production over the last week, as JSON",
            "  shipdeck insights --since 7d --label team:payments --environment prod-eu -o json",
            "",
            "  # Per component, for a spreadsheet",
            "  shipdeck insights --since 90d --by component -o csv"})
final class InsightsCommand extends ClusterCommand {
    private static final Pattern SINCE = Pattern.compile("(\\d+)([hdw])");

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "30d",
            description = "The period: the last N hours, days or weeks, e.g. 7d, 30d, 90d, 12h, 2w (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--until", paramLabel = "TIME",
            description = "The end of the period, ISO-8601 such as 2026-10-01T00:00:00Z (default: now).")
    String until;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY:VALUE",
            description = "Only components with this label (repeat: same key = any of them, different keys = all of them).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment (repeat for several).")
    List<String> environments = new ArrayList<>();

    @Option(names = "--component", paramLabel = "NAME", description = "Only this component.")
    String component;

    @Option(names = "--by", paramLabel = "KEY", defaultValue = "team",
            description = "Break the measures down by environment, component, or a label key (default: ${DEFAULT-VALUE}).")
    String by;

    /** One period's measures as printed; durations in seconds, rates as fractions (0.25 = 25 %). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MeasuresRow(int releases, int inProgress, int deployments, double deploymentsPerDay, Long leadTimeSeconds,
                       int leadTimesKnown, int changes, int failedChanges, Double changeFailureRate, Long timeToRestoreSeconds,
                       int restored) {
        static MeasuresRow of(Measures m) {
            return new MeasuresRow(m.releases(), m.inProgress(), m.deployments(), round(m.deploymentsPerDay()), seconds(m.leadTime()),
                    m.leadTimesKnown(), m.changes(), m.failedChanges(), m.changeFailureRate() == null ? null : round(m.changeFailureRate()),
                    seconds(m.timeToRestore()), m.restored());
        }
    }

    record GroupRow(String name, MeasuresRow measures) {}

    record DayRow(String date, int total, Map<String, Integer> releases) {}

    record BucketRow(String label, Long upToSeconds, int count) {}

    record Report(String from, String to, String groupedBy, MeasuresRow current, MeasuresRow previous, Trend trend,
                  List<DayRow> days, List<BucketRow> leadTimes, List<GroupRow> groups) {}

    @Override
    int run(Session session) {
        Duration length = since(since);
        Instant end = Instant.now();
        if (until != null) {
            try {
                end = java.time.OffsetDateTime.parse(until.trim()).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw new CliException(ExitCodes.USAGE, "--until " + until + ": not a time", "use ISO-8601, e.g. 2026-10-01T00:00:00Z");
            }
        }
        LabelFilter filter = Filters.labels(labels);
        String groupKey = by.trim();
        if (!groupKey.equals("environment") && !groupKey.equals("component")) {
            try {
                Label.checkKey(groupKey);
            } catch (RuntimeException e) {
                throw new CliException(ExitCodes.USAGE, "--by " + by + ": " + e.getMessage(), "use environment, component or a label key such as team");
            }
        }
        List<EnvironmentSnapshot> snapshots = new ArrayList<>();
        session.readHistories(session.select(environments)).forEach(h -> snapshots.add(h.snapshot()));
        Reading reading = new Reading(snapshots);
        reading.reportProblems(err());
        Map<String, Labels> componentLabels = new HashMap<>();
        List<Release> history = new ArrayList<>();
        for (EnvironmentSnapshot s : reading.readable()) {
            s.components().forEach(c -> componentLabels.put(c.key(), c.labels()));
            history.addAll(s.releases());
        }
        if (component != null && !reading.readable().isEmpty() && reading.readable().stream().flatMap(s -> s.components().stream())
                .map(Component::name).noneMatch(component::equals) && history.stream().map(Release::component).noneMatch(component::equals)) {
            throw new CliException(ExitCodes.NOT_FOUND, "component \"" + component + "\" not found", "run 'shipdeck components' to list them");
        }
        Function<Release, Labels> labelsOf = r -> componentLabels.getOrDefault(r.environment() + "/" + r.component(), Labels.NONE);
        List<Release> selected = history.stream()
                .filter(r -> component == null || r.component().equals(component))
                .filter(r -> filter.matches(labelsOf.apply(r)))
                .toList();
        Function<Release, String> groupOf = switch (groupKey) {
            case "environment" -> Release::environment;
            case "component" -> Release::component;
            default -> r -> {
                List<String> values = labelsOf.apply(r).items().stream().filter(l -> l.key().equals(groupKey)).map(Label::value).sorted().toList();
                return values.isEmpty() ? "(no " + groupKey + ")" : String.join(",", values);
            };
        };
        Insights in = DeliveryInsights.compute(selected, Period.last(length, end), ZoneOffset.UTC, groupKey, groupOf);
        print(in);
        return finish(reading, (s, g) -> false, "the releases");
    }

    private void print(Insights in) {
        Report report = report(in);
        switch (cluster.output) {
            case JSON, YAML -> Structured.print(out(), cluster.output, report);
            case CSV -> groups(in, true).printCsv(out());
            case TABLE -> {
                Table summary = new Table("measure", "last " + since, "previous " + since, "trend");
                Measures now = in.current();
                Measures before = in.previous();
                Trend t = report.trend();
                summary.row("deployment frequency", frequency(now), frequency(before), percent(t.deploymentsPerDay()));
                summary.row("lead time for changes", lead(now), lead(before), percent(t.leadTime()));
                summary.row("change failure rate", failureRate(now), failureRate(before), points(t.changeFailureRatePoints()));
                summary.row("time to restore", restore(now), restore(before), percent(t.timeToRestore()));
                summary.print(out());
                out().println();
                groups(in, false).print(out());
            }
        }
        out().flush();
        err().flush();
    }

    /** The breakdown: one row per group, the whole selection first. */
    private Table groups(Insights in, boolean raw) {
        Table t = new Table(in.groupedBy(), "releases", "deployments", "per day", "lead time", "known", "changes", "failed",
                "failure rate", "time to restore", "restored");
        Map<String, Measures> rows = new LinkedHashMap<>();
        rows.put("(all)", in.current());
        in.groups().forEach(g -> rows.put(g.name(), g.measures()));
        rows.forEach((name, m) -> t.row(name, m.releases(), m.deployments(),
                raw ? Double.toString(round(m.deploymentsPerDay())) : String.format(Locale.ROOT, "%.2f", m.deploymentsPerDay()),
                raw ? text(seconds(m.leadTime())) : duration(m.leadTime()), m.leadTimesKnown(), m.changes(), m.failedChanges(),
                raw ? text(m.changeFailureRate() == null ? null : round(m.changeFailureRate())) : rate(m.changeFailureRate()),
                raw ? text(seconds(m.timeToRestore())) : duration(m.timeToRestore()), m.restored()));
        return t;
    }

    private static Report report(Insights in) {
        List<DayRow> days = in.days().stream().map(d -> {
            Map<String, Integer> byStatus = new LinkedHashMap<>();
            for (ReleaseStatus s : ReleaseStatus.values()) {
                Integer n = d.releases().get(s);
                if (n != null) byStatus.put(s.name(), n);
            }
            return new DayRow(d.date().toString(), d.total(), byStatus);
        }).toList();
        return new Report(in.period().from().toString(), in.period().to().toString(), in.groupedBy(), MeasuresRow.of(in.current()),
                MeasuresRow.of(in.previous()), Trend.of(in.current(), in.previous()), days,
                in.leadTimes().stream().map(b -> new BucketRow(b.label(), seconds(b.upTo()), b.count())).toList(),
                in.groups().stream().map(g -> new GroupRow(g.name(), MeasuresRow.of(g.measures()))).toList());
    }

    static Duration since(String text) {
        Matcher m = SINCE.matcher(text.trim().toLowerCase(Locale.ROOT));
        long n = m.matches() ? Long.parseLong(m.group(1)) : 0;
        if (n <= 0 || n > 3650) {
            throw new CliException(ExitCodes.USAGE, "--since " + text + ": not a period", "use N hours, days or weeks, e.g. 12h, 7d, 30d or 2w");
        }
        return switch (m.group(2)) {
            case "h" -> Duration.ofHours(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofDays(n);
        };
    }

    private static String frequency(Measures m) {
        return String.format(Locale.ROOT, "%.2f/day (%d)", m.deploymentsPerDay(), m.deployments());
    }

    private static String lead(Measures m) {
        return m.leadTime() == null ? "unknown" : duration(m.leadTime()) + " (" + m.leadTimesKnown() + " known)";
    }

    private static String failureRate(Measures m) {
        return m.changeFailureRate() == null ? "no changes" : rate(m.changeFailureRate()) + " (" + m.failedChanges() + " of " + m.changes() + ")";
    }

    private static String restore(Measures m) {
        if (m.failedChanges() == 0) return "no failures";
        return (m.timeToRestore() == null ? "not restored" : duration(m.timeToRestore())) + " (" + m.restored() + " of "
                + m.failedChanges() + " restored)";
    }

    static String duration(Duration d) {
        if (d == null) return "";
        long s = d.toSeconds();
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m";
        if (s < 86_400) return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + "m");
        return (s / 86_400) + "d" + (s % 86_400 / 3600 == 0 ? "" : " " + (s % 86_400 / 3600) + "h");
    }

    private static String rate(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "%.0f%%", r * 100);
    }

    private static String percent(Double change) {
        return change == null ? "" : String.format(Locale.ROOT, "%+.0f%%", change * 100);
    }

    private static String points(Double p) {
        return p == null ? "" : String.format(Locale.ROOT, "%+.0f pts", p);
    }

    private static Long seconds(Duration d) {
        return d == null ? null : d.toSeconds();
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}

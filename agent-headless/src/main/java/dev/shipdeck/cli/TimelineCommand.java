package dev.shipdeck.cli;

import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code shipdeck timeline}: the releases of every component, newest first. */
@Command(name = "timeline",
        header = "List releases, newest first.",
        description = {
            "A release is one version of a component deployed into an environment: its status (RUNNING, SUCCESS, "
                + "FAILED, CANCELLED, ...), its type (DEPLOYMENT for Deployments, PROGRESSIVE for Argo Rollouts canaries), "
                + "when it started and ended, and where the record comes from. Where the Shipdeck CRDs are installed the "
                + "releases are the cluster's Release records (SOURCE 'agent' = observed by the agent, 'marker' = sent "
                + "from CI, 'derived' = imported from the ReplicaSet history), plus the releases of the ReplicaSet history "
                + "that no record covers yet; elsewhere they are derived from the ReplicaSet history (SOURCE 'derived'). "
                + "A component with deploy markers but no Deployment or Rollout yet has its releases listed too. "
                + "Times are UTC, ISO-8601."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # The 20 newest releases everywhere",
            "  shipdeck timeline --limit 20",
            "",
            "  # Every release of checkout in production",
            "  shipdeck timeline --component checkout --environment prod-eu",
            "",
            "  # The failed releases of the payments team, as JSON",
            "  shipdeck timeline --label team:payments --status failed -o json"})
final class TimelineCommand extends ClusterCommand {

    /** One release, as printed; times are ISO-8601 UTC or null. */
    record Row(String component, String environment, String version, String previousVersion, String status, String type,
               String startedAt, String endedAt, String source) {}

    @Option(names = "--component", paramLabel = "NAME", description = "Only the releases of this component.")
    String component;

    @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment (repeat for several).")
    List<String> environments = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY:VALUE",
            description = "Only components with this label (repeat: same key = any of them, different keys = all of them).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only releases with this status: pending, running, success, failed, cancelled, expired or logged.")
    String status;

    @Option(names = "--limit", paramLabel = "N", description = "At most N releases (the newest).")
    Integer limit;

    @Override
    int run(Session session) {
        LabelFilter filter = Filters.labels(labels);
        ReleaseStatus wanted = status == null ? null : Filters.status(status);
        if (limit != null && limit < 1) {
            throw new CliException(ExitCodes.USAGE, "--limit must be at least 1, got " + limit, "leave it out to see every release");
        }
        Reading reading = read(session, session.select(environments));
        List<EnvironmentSnapshot> readable = reading.readable();
        Map<String, Labels> componentLabels = new HashMap<>();
        readable.forEach(s -> s.components().forEach(c -> componentLabels.put(c.key(), c.labels())));
        if (component != null && !readable.isEmpty() && readable.stream().flatMap(s -> s.components().stream()).map(Component::name)
                .noneMatch(component::equals) && readable.stream().flatMap(s -> s.releases().stream()).map(Release::component)
                .noneMatch(component::equals)) {
            throw new CliException(ExitCodes.NOT_FOUND, "component \"" + component + "\" not found in "
                    + String.join(", ", readable.stream().map(s -> s.environment().name()).toList()),
                    "run 'shipdeck components' to list them");
        }
        Stream<Release> releases = readable.stream()
                .flatMap(s -> s.releases().stream())
                .sorted(Comparator.comparing(Release::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .filter(r -> component == null || r.component().equals(component))
                .filter(r -> wanted == null || r.status() == wanted)
                .filter(r -> filter.matches(componentLabels.getOrDefault(r.environment() + "/" + r.component(), Labels.NONE)));
        if (limit != null) releases = releases.limit(limit);
        List<Row> rows = releases.map(TimelineCommand::row).toList();
        Table table = new Table("component", "environment", "version", "previous", "status", "type", "started", "ended", "source");
        for (Row r : rows) {
            table.row(r.component(), r.environment(), r.version(), r.previousVersion(), r.status(), r.type(), r.startedAt(),
                    r.endedAt(), r.source());
        }
        print(rows, table, reading, "releases");
        return reading.exitCode();
    }

    private static Row row(Release r) {
        return new Row(r.component(), r.environment(), r.version(), r.previousVersion() == null || r.previousVersion().isEmpty() ? null
                : r.previousVersion(), r.status().name(), r.type().name(), iso(r.startedAt()), iso(r.endedAt()), r.source());
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}

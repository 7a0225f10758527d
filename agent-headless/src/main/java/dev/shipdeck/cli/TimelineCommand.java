package dev.shipdeck.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.ReadGap;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.records.ReleaseRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
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
                + "Times are UTC, ISO-8601. In -o json|yaml a release of an Argo Rollout carries its AnalysisRuns "
                + "(\"analysis\": phase, message, why it failed, each metric's measurements) and, for blue-green, "
                + "\"blueGreen\": the active and preview versions and services and what this release is to them.",
            "",
            "When a kind cannot be listed in an environment whose Deployments can (Rollouts or ReplicaSets failing with "
                + "503, 429, 403, ...), the releases that could be read are printed with a warning naming the environment, "
                + "the kind and why, and each row of that environment has \"partial\": true in -o json|yaml. When the "
                + "missing kind holds what was asked for (--kind rollout, or --component naming a component that may be "
                + "one of the missing ones), that line is an error and the exit code is 7."},
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
               String startedAt, String endedAt, String source, boolean partial,
               @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Reading.Missing> missing,
               @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RolloutDetails.Analysis> analysis,
               @JsonInclude(JsonInclude.Include.NON_NULL) RolloutDetails.BlueGreen blueGreen) {}

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

    @Option(names = "--kind", paramLabel = "KIND", converter = WorkloadKindConverter.class,
            description = "Only releases of workloads of this kind: deployment or rollout (PROGRESSIVE markers count as rollout).")
    WorkloadKind kind;

    @Override
    int run(Session session) {
        LabelFilter filter = Filters.labels(labels);
        ReleaseStatus wanted = status == null ? null : Filters.status(status);
        if (limit != null && limit < 1) {
            throw new CliException(ExitCodes.USAGE, "--limit must be at least 1, got " + limit, "leave it out to see every release");
        }
        // each environment with its Release records; records that exist but could not be read are one more gap
        Map<String, ReleaseRecords.History> histories = new HashMap<>();
        List<EnvironmentSnapshot> snapshots = new ArrayList<>();
        for (ReleaseRecords.History h : session.readHistories(session.select(environments))) {
            EnvironmentSnapshot s = h.snapshot();
            histories.put(s.environment().name(), h);
            List<ReadGap> gaps = new ArrayList<>(s.gaps());
            if (h.gap() != null) gaps.add(h.gap());
            snapshots.add(new EnvironmentSnapshot(s.environment(), s.connection(), s.components(), s.releases(), s.rolloutsAvailable(),
                    s.asOf(), gaps));
        }
        Reading reading = new Reading(snapshots);
        reading.reportProblems(err());
        List<EnvironmentSnapshot> readable = reading.readable();
        Map<String, Labels> componentLabels = new HashMap<>();
        readable.forEach(s -> s.components().forEach(c -> componentLabels.put(c.key(), c.labels())));
        boolean mayBeUnread = !reading.missingKind("Rollouts").isEmpty();
        if (component != null && !readable.isEmpty() && !mayBeUnread && readable.stream().flatMap(s -> s.components().stream()).map(Component::name)
                .noneMatch(component::equals) && readable.stream().flatMap(s -> s.releases().stream()).map(Release::component)
                .noneMatch(component::equals)) {
            reading.reportGaps(err(), (s, g) -> false, "");
            throw new CliException(ExitCodes.NOT_FOUND, "component \"" + component + "\" not found in "
                    + String.join(", ", readable.stream().map(s -> s.environment().name()).toList()),
                    "run 'shipdeck components' to list them");
        }
        Stream<Release> releases = readable.stream()
                .flatMap(s -> s.releases().stream())
                .sorted(Comparator.comparing(Release::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .filter(r -> component == null || r.component().equals(component))
                .filter(r -> wanted == null || r.status() == wanted)
                .filter(r -> kind == null || kindOf(r) == kind)
                .filter(r -> filter.matches(componentLabels.getOrDefault(r.environment() + "/" + r.component(), Labels.NONE)));
        if (limit != null) releases = releases.limit(limit);
        List<Row> rows = releases.map(r -> row(r, reading.missing(r.environment()), RolloutDetails.workloadOf(readable, r))).toList();
        Table table = new Table("component", "environment", "version", "previous", "status", "type", "started", "ended", "source");
        for (Row r : rows) {
            table.row(r.component(), r.environment(), r.version(), r.previousVersion(), r.status(), r.type(), r.startedAt(),
                    r.endedAt(), r.source());
        }
        BiPredicate<EnvironmentSnapshot, ReadGap> asked = (s, g) -> hides(s, g, histories.get(s.environment().name()));
        print(rows, table, reading, "releases", reading.hides(asked));
        return finish(reading, asked, "the releases asked for");
    }

    /**
     * Whether a gap hides what was asked for: in a history derived from ReplicaSets, missing ReplicaSets hide the
     * releases of any kind or component asked for, missing Rollouts those of Rollouts (also of a component not found,
     * which may be a Rollout). Records read from the cluster do not depend on either.
     */
    private boolean hides(EnvironmentSnapshot s, ReadGap g, ReleaseRecords.History h) {
        if (h == null || !h.derived() || g.kind().equals("Release records")) return false;
        boolean componentUnseen = component != null && s.components().stream().noneMatch(c -> c.name().equals(component));
        return switch (g.kind()) {
            case "ReplicaSets" -> kind != null || component != null;
            case "Rollouts" -> kind == WorkloadKind.ROLLOUT || componentUnseen;
            default -> false;
        };
    }

    /** The workload kind of a release; a marker without a workload counts by its type. */
    private static WorkloadKind kindOf(Release r) {
        if (r.workloadKind() != null) return r.workloadKind();
        return r.type() == ReleaseType.PROGRESSIVE ? WorkloadKind.ROLLOUT : WorkloadKind.DEPLOYMENT;
    }

    private static Row row(Release r, List<Reading.Missing> missing, dev.shipdeck.core.model.Workload rollout) {
        return new Row(r.component(), r.environment(), r.version(), r.previousVersion() == null || r.previousVersion().isEmpty() ? null
                : r.previousVersion(), r.status().name(), r.type().name(), iso(r.startedAt()), iso(r.endedAt()), r.source(),
                !missing.isEmpty(), missing, RolloutDetails.analysis(rollout, r.templateHash()),
                RolloutDetails.blueGreen(rollout, r.templateHash()));
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}

package dev.shipdeck.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReadGap;
import dev.shipdeck.core.model.WorkloadKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/** {@code shipdeck components}: every component with its version, status and replicas. */
@Command(name = "components",
        header = "List components with their version, status and replicas.",
        description = {
            "A component is the set of Deployments and Argo Rollouts of one environment that share the label "
                + "shipdeck.dev/component-name (circleci.com/component-name works too). VERSION is the shipdeck.dev/version "
                + "label of the pod template, else the first container's image tag; STATUS is the state of the current "
                + "release as 'kubectl rollout status' and the Argo Rollouts plugin see it (RUNNING, SUCCESS, FAILED, "
                + "CANCELLED).",
            "",
            "A component whose deploy markers ('shipdeck release plan|update|log') came before its first Deployment or "
                + "Rollout is listed too: KIND says <no workload yet> (noWorkloadYet in -o json), STATUS is its newest "
                + "marker's.",
            "",
            "Filter with --label key:value (from the shipdeck.dev/labels annotation): labels with the same key match "
                + "any of their values, labels with different keys must all match.",
            "",
            "When a kind cannot be listed in an environment whose Deployments can (e.g. the Rollouts list fails with 503), "
                + "the rest is printed with a warning naming the environment, the kind and why, and each row of that "
                + "environment has \"partial\": true and the missing kinds in -o json|yaml. With --kind rollout, a Rollouts "
                + "list that failed is an error (exit 7). Only a 404 (no Argo Rollouts CRD) means there are none."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # Every component in every environment",
            "  shipdeck components",
            "",
            "  # The components of the payments and search teams in production",
            "  shipdeck components --environment prod-eu -l team:payments -l team:search",
            "",
            "  # The payments team's workers, as JSON",
            "  shipdeck components --label team:payments --label role:worker -o json",
            "",
            "  # Only the Argo Rollouts canaries",
            "  shipdeck components --kind rollout"})
final class ComponentsCommand extends ClusterCommand {

    /**
     * One component, as printed. {@code noWorkloadYet}: it has deploy markers but no Deployment or Rollout yet; then
     * {@code kind} and {@code version} are null and {@code status} is the newest marker's. {@code partial}: its
     * environment could be read only in part ({@code missing} says what not).
     */
    record Row(String name, String environment, String namespace, String kind, String version, String status,
               List<String> labels, int readyReplicas, int desiredReplicas, boolean noWorkloadYet, boolean partial,
               @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Reading.Missing> missing,
               @JsonInclude(JsonInclude.Include.NON_NULL) RolloutDetails.BlueGreen blueGreen,
               @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RolloutDetails.Analysis> analysis) {}

    /** What the KIND column says for a component that has deploy markers but no workload yet. */
    static final String NO_WORKLOAD_KIND = "<no workload yet>";

    @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment (repeat for several).")
    List<String> environments = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY:VALUE",
            description = "Only components with this label (repeat: same key = any of them, different keys = all of them).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "KIND", converter = WorkloadKindConverter.class,
            description = "Only components with a workload of this kind: deployment or rollout.")
    WorkloadKind kind;

    @Override
    int run(Session session) {
        LabelFilter filter = Filters.labels(labels);
        Reading reading = read(session, session.select(environments));
        List<Row> rows = reading.readable().stream()
                .flatMap(s -> s.components().stream())
                .filter(c -> filter.matches(c.labels()))
                .filter(c -> kind == null || c.workloads().stream().anyMatch(w -> w.kind() == kind))
                .map(c -> row(c, reading.missing(c.environment())))
                .toList();
        Table table = new Table("name", "environment", "namespace", "kind", "version", "status", "ready", "labels");
        for (Row r : rows) {
            table.row(r.name(), r.environment(), r.namespace(), r.noWorkloadYet() ? NO_WORKLOAD_KIND : r.kind(), r.version(), r.status(),
                    r.readyReplicas() + "/" + r.desiredReplicas(), String.join(",", r.labels()));
        }
        // asked for Rollouts: a Rollouts list that failed hides what was asked for
        BiPredicate<EnvironmentSnapshot, ReadGap> asked =
                (s, g) -> kind == WorkloadKind.ROLLOUT && g.kind().equals("Rollouts");
        print(rows, table, reading, "components", reading.hides(asked));
        return finish(reading, asked, "the list of Rollout components");
    }

    private static Row row(Component c, List<Reading.Missing> missing) {
        if (!c.hasWorkload()) {
            return new Row(c.name(), c.environment(), c.namespace(), null, null, c.status().name(), c.labels().asStrings(), 0, 0, true,
                    !missing.isEmpty(), missing, null, List.of());
        }
        // a Rollout: blue-green's active/preview, and the AnalysisRuns of its current update
        dev.shipdeck.core.model.Workload w = c.primary();
        String current = w.rollout() == null ? "" : w.rollout().currentHash();
        return new Row(c.name(), c.environment(), c.namespace(), c.kind().kind(), c.version(), c.status().name(),
                c.labels().asStrings(), c.readyReplicas(), c.desiredReplicas(), false, !missing.isEmpty(), missing,
                RolloutDetails.blueGreen(w, current), RolloutDetails.analysis(w, current));
    }
}

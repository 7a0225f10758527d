package dev.shipdeck.cli;

import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.model.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

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
                + "any of their values, labels with different keys must all match."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # Every component in every environment",
            "  shipdeck components",
            "",
            "  # The components of the payments and search teams in production",
            "  shipdeck components --environment prod-eu -l team:payments -l team:search",
            "",
            "  # The payments team's workers, as JSON",
            "  shipdeck components --label team:payments --label role:worker -o json"})
final class ComponentsCommand extends ClusterCommand {

    /**
     * One component, as printed. {@code noWorkloadYet}: it has deploy markers but no Deployment or Rollout yet; then
     * {@code kind} and {@code version} are null and {@code status} is the newest marker's.
     */
    record Row(String name, String environment, String namespace, String kind, String version, String status,
               List<String> labels, int readyReplicas, int desiredReplicas, boolean noWorkloadYet) {}

    /** What the KIND column says for a component that has deploy markers but no workload yet. */
    static final String NO_WORKLOAD_KIND = "<no workload yet>";

    @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment (repeat for several).")
    List<String> environments = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY:VALUE",
            description = "Only components with this label (repeat: same key = any of them, different keys = all of them).")
    List<String> labels = new ArrayList<>();

    @Override
    int run(Session session) {
        LabelFilter filter = Filters.labels(labels);
        Reading reading = read(session, session.select(environments));
        List<Row> rows = reading.readable().stream()
                .flatMap(s -> s.components().stream())
                .filter(c -> filter.matches(c.labels()))
                .map(ComponentsCommand::row)
                .toList();
        Table table = new Table("name", "environment", "namespace", "kind", "version", "status", "ready", "labels");
        for (Row r : rows) {
            table.row(r.name(), r.environment(), r.namespace(), r.noWorkloadYet() ? NO_WORKLOAD_KIND : r.kind(), r.version(), r.status(),
                    r.readyReplicas() + "/" + r.desiredReplicas(), String.join(",", r.labels()));
        }
        print(rows, table, reading, "components");
        return reading.exitCode();
    }

    private static Row row(Component c) {
        if (!c.hasWorkload()) {
            return new Row(c.name(), c.environment(), c.namespace(), null, null, c.status().name(), c.labels().asStrings(), 0, 0, true);
        }
        return new Row(c.name(), c.environment(), c.namespace(), c.kind().kind(), c.version(), c.status().name(),
                c.labels().asStrings(), c.readyReplicas(), c.desiredReplicas(), false);
    }
}

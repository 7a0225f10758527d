package dev.shipdeck.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code shipdeck environments}: every environment, whether it can be reached, and how many components it has. */
@Command(name = "environments",
        header = "List the environments and whether they can be reached.",
        description = {
            "Every kubeconfig context is an environment, named after it unless the environments file gives it a name, "
                + "namespaces and labels. Each one is read once: CONNECTION says whether it answered (and why not), "
                + "COMPONENTS how many components it holds. An environment whose Deployments can be read but some other kind "
                + "not (Rollouts, ReplicaSets, ...) is connected and partial: CONNECTION names the kinds, a warning says why, "
                + "and -o json|yaml has \"partial\": true and \"missing\". Exits 5 when none of them can be reached."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # Every environment of the kubeconfig",
            "  shipdeck environments",
            "",
            "  # The environment of one context, as JSON",
            "  shipdeck environments --context prod-eu -o json",
            "",
            "  # Environments from another kubeconfig and environments file",
            "  shipdeck environments --kubeconfig ci.yaml --environments-file envs.yaml"})
final class EnvironmentsCommand extends ClusterCommand {

    /**
     * One environment, as printed; {@code components} is null when it could not be read; {@code partial} when some
     * kinds could not be listed ({@code missing}: which, and why).
     */
    record Row(String name, String context, List<String> namespaces, List<String> labels, String connection, Integer components,
               boolean partial, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Reading.Missing> missing) {}

    @Override
    int run(Session session) {
        Reading reading = read(session, session.environments());
        List<Row> rows = reading.snapshots().stream().map(EnvironmentsCommand::row).toList();
        Table table = new Table("name", "context", "namespaces", "labels", "connection", "components");
        for (Row r : rows) {
            table.row(r.name(), r.context(), r.namespaces().isEmpty() ? "*" : String.join(",", r.namespaces()),
                    String.join(",", r.labels()), r.connection(), r.components() == null ? "<unknown>" : r.components());
        }
        print(rows, table, reading, "environments");
        return finish(reading, (s, g) -> false, "");
    }

    private static Row row(EnvironmentSnapshot s) {
        Environment e = s.environment();
        boolean read = s.connection().connected();
        List<Reading.Missing> missing = read ? s.gaps().stream().map(Reading.Missing::of).toList() : List.of();
        return new Row(e.name(), e.context(), e.namespaces(), e.labels().asStrings(),
                s.connection().describe() + (read && s.partial() ? ", " + s.partialText() : ""),
                read ? s.components().size() : null, !missing.isEmpty(), missing);
    }
}

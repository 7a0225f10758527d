package dev.shipdeck.cli;

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
                + "COMPONENTS how many components it holds. Exits 5 when none of them can be reached."},
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

    /** One environment, as printed; {@code components} is null when it could not be read. */
    record Row(String name, String context, List<String> namespaces, List<String> labels, String connection, Integer components) {}

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
        return reading.exitCode();
    }

    private static Row row(EnvironmentSnapshot s) {
        Environment e = s.environment();
        return new Row(e.name(), e.context(), e.namespaces(), e.labels().asStrings(), s.connection().describe(),
                s.connection().connected() ? s.components().size() : null);
    }
}

package dev.shipdeck.cli;

import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.matrix.Matrix;
import dev.shipdeck.core.matrix.MatrixBuilder;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Snapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code shipdeck matrix}: which version of every component runs in every environment, in promotion order. */
@Command(name = "matrix",
        header = "Show which version of each component runs in each environment, in promotion order.",
        description = {"One row per component, one column per environment in promotion order: the promotion: lanes of "
            + "environments.yaml, else the environments' stage or tier labels (or a stage word in their names: dev, staging, "
            + "prod-eu), else their order. A cell shows the version, the release status and ready/desired replicas, and "
            + "markers comparing it with the environment before it in its lane:",
            "  BEHIND n   an older version (n releases behind, when the history tells)",
            "  AHEAD n    a newer version",
            "  DRIFT      the same version with other images or digests",
            "  MISSING    the component does not run there",
            "  IN-PROGRESS  a release is running",
            "",
            "With -o json|yaml every cell has its images, digests, highlights, the environment it is compared with and how many "
                + "releases apart they are (-1: unknown). --environment limits the columns (the markers still compare with the "
                + "environment before each in its lane)."},
        footerHeading = "%nExamples:%n",
        footer = {"  # Every component everywhere",
            "  shipdeck matrix",
            "",
            "  # The payments team's components in staging and prod-eu, as JSON",
            "  shipdeck matrix -l team:payments --environment staging --environment prod-eu -o json"})
final class MatrixCommand extends ClusterCommand {
    /** One component, as printed with -o json|yaml. */
    record Row(String component, List<String> labels, List<Cell> cells) {}

    /** One cell, as printed with -o json|yaml. */
    record Cell(String environment, boolean present, String version, String status, String kind, int readyReplicas, int desiredReplicas,
                List<String> images, List<String> digests, List<String> highlights, String previousEnvironment, String previousVersion,
                int releasesApart) {}

    @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment's column (repeat for several).")
    List<String> environments = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY:VALUE",
            description = "Only components with this label (repeat: same key = any of them, different keys = all of them).")
    List<String> labels = new ArrayList<>();

    @Override
    int run(Session session) {
        LabelFilter filter = Filters.labels(labels);
        List<Environment> shown = session.select(environments);
        // the environments before the shown ones in their lanes are read too: the markers compare with them
        Set<String> names = new LinkedHashSet<>();
        shown.forEach(e -> {
            names.add(e.name());
            String prev = session.promotion().previousOf(e.name());
            if (prev != null) names.add(prev);
        });
        List<Environment> read = session.environments().stream().filter(e -> names.contains(e.name())).toList();
        Reading reading = read(session, read);
        Matrix m = MatrixBuilder.build(new Snapshot(reading.readable(), 1), session.promotion())
                .filter(filter, "", shown.stream().map(Environment::name).filter(n -> reading.readable().stream()
                        .anyMatch(s -> s.environment().name().equals(n))).toList());
        List<String> headers = new ArrayList<>(List.of("component"));
        headers.addAll(m.environments());
        Table table = new Table(headers.toArray(String[]::new));
        List<Row> rows = new ArrayList<>();
        for (Matrix.Row r : m.rows()) {
            List<Object> cells = new ArrayList<>(List.of(r.component()));
            List<Cell> out = new ArrayList<>();
            for (Matrix.Cell c : r.cells()) {
                cells.add(text(c));
                out.add(new Cell(c.environment(), c.present(), c.version(), c.status() == null ? null : c.status().name(),
                        c.kind() == null ? null : c.kind().kind(), c.ready(), c.desired(), c.images(), c.digests(),
                        c.highlights().stream().map(Enum::name).toList(), c.previousEnvironment(), c.previousVersion(), c.releasesApart()));
            }
            table.row(cells.toArray());
            rows.add(new Row(r.component(), r.labels().asStrings(), out));
        }
        print(rows, table, reading, "components");
        return finish(reading, (s, g) -> false, "the matrix");
    }

    /** {@code 4.2.0 SUCCESS 5/5 [BEHIND 1]}, {@code - [MISSING]}. */
    private static String text(Matrix.Cell c) {
        String markers = c.markers().isEmpty() ? "" : " [" + String.join(", ", c.markers()) + "]";
        if (!c.present()) return "-" + markers;
        return c.version() + " " + c.status().name() + " " + c.ready() + "/" + c.desired() + markers;
    }
}

package dev.shipdeck.cli;

import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReadGap;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiPredicate;

/** The base of every command that reads clusters: the shared options, a {@link Session}, stdout and stderr. */
abstract class ClusterCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Shipdeck shipdeck;

    @Override
    public final Integer call() {
        if (!listsRows()) cluster.refuseCsv();
        try (Session session = Session.open(cluster, shipdeck)) {
            return run(session);
        }
    }

    /** Whether the command prints rows, which {@code -o csv} can print; commands that change something print one result. */
    boolean listsRows() {
        return true;
    }

    /** Does the command's work and returns its exit code. */
    abstract int run(Session session);

    /** Reads {@code envs} and reports on stderr each one that could not be read. */
    Reading read(Session session, List<Environment> envs) {
        Reading reading = new Reading(session.read(envs));
        reading.reportProblems(err());
        return reading;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code rows} as the table, or as JSON or YAML, as {@code -o} asks. */
    void print(List<?> rows, Table table, Reading reading, String noun) {
        print(rows, table, reading, noun, false);
    }

    /**
     * The same; {@code hidden}: what was asked for is in a part that could not be read, so an empty table is not
     * "none found" (the error line says what is missing).
     */
    void print(List<?> rows, Table table, Reading reading, String noun, boolean hidden) {
        if (cluster.output == OutputFormat.CSV) {
            table.printCsv(out());
        } else if (cluster.output == OutputFormat.TABLE) {
            if (!rows.isEmpty()) {
                table.print(out());
            } else if (!reading.noneReadable() && !hidden) {
                err().println("No " + noun + " found" + (reading.readable().stream().anyMatch(s -> s.partial())
                        ? " in what could be read (see the warnings)." : "."));
            }
        } else {
            Structured.print(out(), cluster.output, rows);
        }
        out().flush();
        err().flush();
    }

    /**
     * Reports the gaps of the environments read and returns the exit code: {@link ExitCodes#PARTIAL} when a gap hides
     * what was asked for ({@code asked}; its line is an {@code error:}), else the reading's (gaps are warnings).
     */
    int finish(Reading reading, BiPredicate<EnvironmentSnapshot, ReadGap> asked, String what) {
        return reading.reportGaps(err(), asked, what) ? ExitCodes.PARTIAL : reading.exitCode();
    }
}

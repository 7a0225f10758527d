package dev.shipdeck.cli;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.records.CommandRecords;
import dev.shipdeck.core.records.ReleaseCommandRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@code shipdeck commands}: who ran which command on which component, and how it ended. */
@Command(name = "commands",
        header = "List the commands run or queued on components, newest first.",
        description = {
            "Reads the ReleaseCommand records of each environment: commands run from the console or the CLI (who ran "
                + "them, when, with which outcome) and commands queued for the agent (QUEUED, RUNNING, then their "
                + "outcome, or EXPIRED when no agent picked them up in time). An environment without the Shipdeck CRDs "
                + "has no shared audit: it is reported on stderr."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # Every command run on checkout in production",
            "  shipdeck commands --environment prod-eu --component checkout"})
final class CommandsCommand extends ClusterCommand {
    /** One command, as printed. */
    record Row(String name, String environment, String namespace, String component, String action, Map<String, String> args,
               String requester, String requestedAt, boolean queued, String outcome, String finishedAt, String executedBy, String message,
               String reason) {}

    @Option(names = "--component", paramLabel = "NAME", description = "Only the commands on this component.")
    String component;

    @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment (repeat for several).")
    List<String> environments = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "At most N commands (the newest).")
    Integer limit;

    @Override
    int run(Session session) {
        if (limit != null && limit < 1) {
            throw new CliException(ExitCodes.USAGE, "--limit must be at least 1, got " + limit, "leave it out to see every command");
        }
        Reading reading = read(session, session.select(environments));
        List<Row> rows = new ArrayList<>();
        for (EnvironmentSnapshot s : reading.readable()) {
            Environment env = s.environment();
            CommandRecords records = new CommandRecords(session.clients().clientNow(env.context()));
            try {
                if (!records.installed()) {
                    err().println("warning: environment " + env.name() + " keeps no command records (the Shipdeck CRDs are not installed; "
                            + "shipdeck install adds them)");
                    continue;
                }
                for (ReleaseCommandRecord r : records.list(env)) {
                    if (component == null || component.equals(r.spec().component())) rows.add(row(env, r));
                }
            } catch (ShipdeckException e) {
                err().println("warning: environment " + env.name() + ": " + Diagnostics.oneLine(e.oneLine()));
            }
        }
        rows.sort(Comparator.comparing(Row::requestedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        if (limit != null && rows.size() > limit) rows = rows.subList(0, limit);
        Table table = new Table("name", "environment", "component", "action", "args", "requester", "requested", "outcome", "message", "reason");
        for (Row r : rows) {
            table.row(r.name(), r.environment(), r.component(), r.action(), r.args().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")), r.requester(), r.requestedAt(), r.outcome(), r.message(),
                    r.reason());
        }
        print(rows, table, reading, "commands");
        return reading.exitCode();
    }

    private static Row row(Environment env, ReleaseCommandRecord r) {
        ReleaseCommandRecord.Status s = r.status();
        return new Row(r.name(), env.name(), r.namespace(), r.spec().component(), r.spec().action().name(), new TreeMap<>(r.spec().args()),
                r.spec().requester(), iso(r.spec().requestedAt()), r.spec().queued(), r.phase().name(), iso(s.finishedAt()),
                s.executedBy().isEmpty() ? null : s.executedBy(), s.message().isEmpty() ? null : s.message(),
                r.spec().reason().isEmpty() ? null : r.spec().reason());
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}

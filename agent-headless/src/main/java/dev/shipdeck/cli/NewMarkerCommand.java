package dev.shipdeck.cli;

import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Instant;

/**
 * The base of {@code release plan} and {@code release log}: the options and arguments of a new deploy marker, and
 * the writing of its record; a subclass says which status the record starts with.
 */
abstract class NewMarkerCommand extends NestedClusterCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The record's name (default: generated).")
    String name;

    @Mixin
    MarkerOptions marker;

    @ArgGroup(exclusive = false, heading = "%nTrigger links:%n")
    CiTriggers trigger = new CiTriggers();

    @Override
    final int run(Session session) {
        Environment env = environment(session, marker.environment, "--environment-name");
        ReleaseRecords records = Markers.records(session, env);
        Instant now = Instant.now();
        ReleaseRecord r = new ReleaseRecord(Markers.name(name, marker.component, marker.version), marker.namespace, "",
                new ReleaseRecord.Spec(marker.component, env.name(), null, marker.version, "", marker.type, ReleaseRecord.SOURCE_MARKER,
                        marker.rollback, trigger.resolve(root()::env), ""),
                status(now, Markers.whoAmI(session, env)));
        Markers.print(cluster, out(), Markers.create(records, r), env);
        return ExitCodes.OK;
    }

    /** The status of the new record, created {@code now} by {@code who}. */
    abstract ReleaseRecord.Status status(Instant now, String who);
}

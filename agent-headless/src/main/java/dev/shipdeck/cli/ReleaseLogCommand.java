package dev.shipdeck.cli;

import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Instant;

/** {@code shipdeck release log}: a release that has happened, with no lifecycle (LOGGED). */
@Command(name = "log",
        header = "Record a release that already happened (LOGGED) and print its name.",
        description = {
            "For deployments Shipdeck does not watch (another tool rolled it out, or it is not on Kubernetes): writes a "
                + "Release record with status LOGGED, started and ended now, with the CI run's links."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # Log that the database migration 42 ran in staging",
            "  shipdeck release log --environment-name staging --component-name db-migrations --target-version 42"})
final class ReleaseLogCommand extends NestedClusterCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The record's name (default: generated).")
    String name;

    @Mixin
    MarkerOptions marker;

    @ArgGroup(exclusive = false, heading = "%nTrigger links:%n")
    CiTriggers trigger = new CiTriggers();

    @Override
    int run(Session session) {
        Environment env = environment(session, marker.environment, "--environment-name");
        ReleaseRecords records = Markers.records(session, env);
        Instant now = Instant.now();
        ReleaseRecord r = new ReleaseRecord(Markers.name(name, marker.component, marker.version), marker.namespace, "",
                new ReleaseRecord.Spec(marker.component, env.name(), null, marker.version, "", marker.type, ReleaseRecord.SOURCE_MARKER,
                        marker.rollback, trigger.resolve(root()::env), ""),
                new ReleaseRecord.Status(ReleaseStatus.LOGGED, "logged", "", now, now, "", Markers.whoAmI(session, env)));
        Markers.print(cluster, out(), Markers.create(records, r), env);
        return ExitCodes.OK;
    }
}

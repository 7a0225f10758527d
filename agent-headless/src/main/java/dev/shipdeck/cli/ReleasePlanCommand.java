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

/** {@code shipdeck release plan}: a PENDING release, before the deployment starts. */
@Command(name = "plan",
        header = "Record a planned release (PENDING) and print its name.",
        description = {
            "Writes a Release record with status PENDING for the component and version, with the pipeline, job and "
                + "commit links of the CI run (from the flags, else from the CI's environment variables). Prints the "
                + "record's name for 'shipdeck release update'."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # Plan release 1.4.2 of checkout in production, keep its name",
            "  NAME=$(shipdeck release plan --environment-name prod-eu --component-name checkout --target-version 1.4.2 -n shop)"})
final class ReleasePlanCommand extends NestedClusterCommand {
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
                new ReleaseRecord.Status(ReleaseStatus.PENDING, "planned", "", now, null, "", Markers.whoAmI(session, env)));
        Markers.print(cluster, out(), Markers.create(records, r), env);
        return ExitCodes.OK;
    }
}

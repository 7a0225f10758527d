package dev.shipdeck.cli;

import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.ReleaseRecord;
import picocli.CommandLine.Command;

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
final class ReleasePlanCommand extends NewMarkerCommand {
    @Override
    ReleaseRecord.Status status(Instant now, String who) {
        return new ReleaseRecord.Status(ReleaseStatus.PENDING, "planned", "", now, null, "", who);
    }
}

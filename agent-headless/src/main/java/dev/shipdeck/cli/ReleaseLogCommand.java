package dev.shipdeck.cli;

import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.ReleaseRecord;
import picocli.CommandLine.Command;

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
final class ReleaseLogCommand extends NewMarkerCommand {
    @Override
    ReleaseRecord.Status status(Instant now, String who) {
        return new ReleaseRecord.Status(ReleaseStatus.LOGGED, "logged", "", now, now, "", who);
    }
}

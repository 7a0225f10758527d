package dev.shipdeck.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code shipdeck release plan|update|log}: deploy markers from CI. */
@Command(name = "release",
        header = "Record releases from CI: plan, update and log deploy markers.",
        description = {
            "A deploy marker is a Release record written by CI rather than observed by the agent: 'plan' records a "
                + "release as PENDING, 'update' moves it to RUNNING and then to SUCCESS, FAILED or CANCELLED, and 'log' "
                + "records a release that has already happened (LOGGED). They show in 'shipdeck timeline' and in the "
                + "console like every other release. Needs the Shipdeck CRDs (shipdeck install)."},
        subcommands = {ReleasePlanCommand.class, ReleaseUpdateCommand.class, ReleaseLogCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # In a CI job: plan, then report progress",
            "  NAME=$(shipdeck release plan --environment-name prod-eu --component-name checkout --target-version 1.4.2)",
            "  shipdeck release update \"$NAME\" --environment-name prod-eu --status running",
            "  shipdeck release update \"$NAME\" --environment-name prod-eu --status success"})
final class ReleaseGroupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}

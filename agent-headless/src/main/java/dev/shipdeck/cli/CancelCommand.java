package dev.shipdeck.cli;

import dev.shipdeck.core.model.Action;
import picocli.CommandLine.Command;

/** {@code shipdeck cancel}: Cancel (abort) a progressing or paused canary, as kubectl argo rollouts abort does. */
@Command(name = "cancel",
        header = "Cancel (abort) a progressing or paused canary, as kubectl argo rollouts abort does.",
        description = {"Sets status.abort: the canary is scaled down and the stable version takes all traffic again."},
        footerHeading = "%nExamples:%n",
        footer = {"  # Stop the checkout canary in production",
            "  shipdeck cancel checkout --environment prod-eu"})
final class CancelCommand extends EnvironmentActionCommand {
    @Override
    Action action() { return Action.CANCEL; }
}

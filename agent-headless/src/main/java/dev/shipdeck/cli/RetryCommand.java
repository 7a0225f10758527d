package dev.shipdeck.cli;

import dev.shipdeck.core.model.Action;
import picocli.CommandLine.Command;

/** {@code shipdeck retry}: Retry an aborted canary, as kubectl argo rollouts retry does. */
@Command(name = "retry",
        header = "Retry an aborted canary, as kubectl argo rollouts retry does.",
        description = {"Sets status.abort back to false: the rollout starts its steps again."},
        footerHeading = "%nExamples:%n",
        footer = {"  # Try the cancelled checkout canary again",
            "  shipdeck retry checkout --environment prod-eu"})
final class RetryCommand extends EnvironmentActionCommand {
    @Override
    Action action() { return Action.RETRY; }
}

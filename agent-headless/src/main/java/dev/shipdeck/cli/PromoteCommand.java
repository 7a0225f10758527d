package dev.shipdeck.cli;

import dev.shipdeck.core.model.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shipdeck promote}: Promote a paused canary to its next step (or fully), as kubectl argo rollouts promote does. */
@Command(name = "promote",
        header = "Promote a paused canary to its next step (or fully), as kubectl argo rollouts promote does.",
        description = {"Clears the pause of the current step (or advances the step index), through the status subresource first and the spec "
            + "separately, exactly as the Argo Rollouts plugin. With --full, skips the remaining steps."},
        footerHeading = "%nExamples:%n",
        footer = {"  # Let the checkout canary go on",
            "  shipdeck promote checkout --environment prod-eu",
            "",
            "  # Skip all remaining steps",
            "  shipdeck promote checkout -e prod-eu --full"})
final class PromoteCommand extends EnvironmentActionCommand {
    @Option(names = "--full", description = "Skip every remaining step (promote full).")
    boolean full;

    @Override
    Action action() { return full ? Action.PROMOTE_FULL : Action.PROMOTE; }
}

package dev.shipdeck.cli;

import dev.shipdeck.core.model.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code shipdeck scale}: Set the number of replicas of a component, as kubectl scale does. */
@Command(name = "scale",
        header = "Set the number of replicas of a component, as kubectl scale does.",
        description = {"Patches the scale subresource of the Deployment or Rollout, with the resourceVersion it was computed from (as kubectl "
            + "scale --resource-version does): if someone else changed the workload meanwhile, nothing is applied, the command says what it "
            + "runs now and exits 6. When a HorizontalPodAutoscaler manages the workload, a warning says what it will do with the new count."},
        footerHeading = "%nExamples:%n",
        footer = {"  # Five replicas of payments-api in staging",
            "  shipdeck scale payments-api --environment staging --replicas 5"})
final class ScaleCommand extends EnvironmentActionCommand {
    @Option(names = "--replicas", required = true, paramLabel = "N", description = "The new number of replicas (0 or more).")
    int replicas;

    @Override
    Action action() { return Action.SCALE; }

    @Override
    Map<String, String> args() {
        if (replicas < 0) throw new CliException(ExitCodes.USAGE, "--replicas must be 0 or more, got " + replicas, "pass a whole number like 3");
        return Map.of("replicas", Integer.toString(replicas));
    }
}

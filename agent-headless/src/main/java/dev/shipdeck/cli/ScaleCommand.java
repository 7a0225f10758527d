package dev.shipdeck.cli;

import dev.shipdeck.core.model.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code shipdeck scale}: Set the number of replicas of a component, as kubectl scale does — or the range of its autoscaler. */
@Command(name = "scale",
        header = "Set the number of replicas of a component, as kubectl scale does, or the range of the autoscaler that manages it.",
        description = {"Patches the scale subresource of the Deployment or Rollout, with the resourceVersion it was computed from (as kubectl "
            + "scale --resource-version does): if someone else changed the workload meanwhile, nothing is applied, the command says what it "
            + "runs now and exits 6.",
            "",
            "When a HorizontalPodAutoscaler manages the workload (its scaleTargetRef names it), a scale by hand is refused (exit 4) with the "
            + "autoscaler named: it would change the count back. Either change the autoscaler's range with --hpa-min/--hpa-max (a merge "
            + "patch of the HorizontalPodAutoscaler only, after its own permission check; it is never deleted), or pass --force to scale "
            + "anyway."},
        footerHeading = "%nExamples:%n",
        footer = {"  # Five replicas of payments-api in staging",
            "  shipdeck scale payments-api --environment staging --replicas 5",
            "",
            "  # payments-api is autoscaled: let its autoscaler keep between 3 and 12",
            "  shipdeck scale payments-api -e prod-eu --hpa-min 3 --hpa-max 12 --reason \"black friday\"",
            "",
            "  # Scale anyway, knowing the autoscaler will change it back",
            "  shipdeck scale payments-api -e prod-eu --replicas 8 --force"})
final class ScaleCommand extends EnvironmentActionCommand {
    @Option(names = "--replicas", paramLabel = "N", description = "The new number of replicas (0 or more).")
    Integer replicas;

    @Option(names = "--force", description = "Scale although a HorizontalPodAutoscaler manages the replicas (it will change them back).")
    boolean force;

    @Option(names = "--hpa-min", paramLabel = "N", description = "Instead of scaling: the new minReplicas of the workload's HorizontalPodAutoscaler (1 or more).")
    Integer hpaMin;

    @Option(names = "--hpa-max", paramLabel = "N", description = "Instead of scaling: the new maxReplicas of the workload's HorizontalPodAutoscaler.")
    Integer hpaMax;

    @Override
    Action action() { return Action.SCALE; }

    @Override
    Map<String, String> args() {
        boolean range = hpaMin != null || hpaMax != null;
        if (range && replicas != null) {
            throw new CliException(ExitCodes.USAGE, "--replicas and --hpa-min/--hpa-max cannot be combined",
                    "scale with --replicas, or change the autoscaler's range with --hpa-min/--hpa-max");
        }
        if (range && force) throw new CliException(ExitCodes.USAGE, "--force goes with --replicas, not with --hpa-min/--hpa-max", "drop --force");
        if (!range && replicas == null) {
            throw new CliException(ExitCodes.USAGE, "missing --replicas (or --hpa-min/--hpa-max for an autoscaled component)", "pass a whole number like --replicas 3");
        }
        Map<String, String> args = new LinkedHashMap<>();
        if (range) {
            if (hpaMin != null && hpaMin < 1) throw new CliException(ExitCodes.USAGE, "--hpa-min must be 1 or more, got " + hpaMin, "pass a whole number like 2");
            if (hpaMax != null && hpaMax < 1) throw new CliException(ExitCodes.USAGE, "--hpa-max must be 1 or more, got " + hpaMax, "pass a whole number like 10");
            if (hpaMin != null && hpaMax != null && hpaMin > hpaMax) {
                throw new CliException(ExitCodes.USAGE, "--hpa-min (" + hpaMin + ") must not be above --hpa-max (" + hpaMax + ")", "swap them");
            }
            if (hpaMin != null) args.put("hpaMin", Integer.toString(hpaMin));
            if (hpaMax != null) args.put("hpaMax", Integer.toString(hpaMax));
            return args;
        }
        if (replicas < 0) throw new CliException(ExitCodes.USAGE, "--replicas must be 0 or more, got " + replicas, "pass a whole number like 3");
        args.put("replicas", Integer.toString(replicas));
        if (force) args.put("force", "true");
        return args;
    }
}

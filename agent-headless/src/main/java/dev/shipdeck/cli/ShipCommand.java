package dev.shipdeck.cli;

import dev.shipdeck.core.model.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code shipdeck ship}: Run another environment's version of a component, as kubectl set image would. */
@Command(name = "ship",
        header = "Ship the version a component runs in one environment to another.",
        description = {"Copies the container images of the component's workload in --from (per container name, init containers too, as "
            + "kubectl set image does) and its version label (shipdeck.dev/version, and circleci.com/version where the workloads use it) "
            + "into the pod template of its workload in --to, and nothing else: replicas, env, resources, command and args of the target "
            + "stay as they are; a warning line names each of them that differs from the source. A Deployment gets a strategic merge "
            + "patch, a Rollout a JSON merge patch (its canary starts); both carry the resourceVersion they were computed from, so a "
            + "workload changed meanwhile is a conflict (exit 6) and nothing is applied.",
            "",
            "Refused (exit 4) when the annotation shipdeck.dev/ship-version-enabled (or circleci.com/ship-version-enabled) says \"false\" on "
                + "the target, when the target Deployment is paused, and when RBAC does not allow the patch. Into a production environment "
                + "(tier or stage production, or a name like prod-eu) the word SHIP must be typed to confirm. --reason is kept in the audit "
                + "record with what was shipped."},
        footerHeading = "%nExamples:%n",
        footer = {"  # What would change if checkout's staging version went to prod-eu",
            "  shipdeck ship checkout --from staging --to prod-eu --dry-run",
            "",
            "  # Ship it, with a reason for the audit record",
            "  shipdeck ship checkout --from staging --to prod-eu --yes --reason \"release train 42\""})
final class ShipCommand extends ActionCommand {
    @Option(names = "--from", required = true, paramLabel = "ENV", description = "The environment whose version is shipped.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "ENV", description = "The environment that gets it.")
    String to;

    @Override
    Action action() { return Action.SHIP; }

    @Override
    String targetEnvironment() {
        if (from.equals(to)) {
            throw new CliException(ExitCodes.USAGE, "--from and --to are both " + to, "ship from one environment to another one");
        }
        return to;
    }

    @Override
    List<String> otherEnvironments() {
        return List.of(from);
    }

    @Override
    Map<String, String> args() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("from", from);
        return args;
    }
}

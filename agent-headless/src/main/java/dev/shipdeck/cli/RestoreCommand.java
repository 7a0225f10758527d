package dev.shipdeck.cli;

import dev.shipdeck.core.model.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code shipdeck restore}: Restore a component to an earlier version, as kubectl rollout undo (or kubectl argo rollouts undo) does. */
@Command(name = "restore",
        header = "Restore a component to an earlier version, as kubectl rollout undo (or kubectl argo rollouts undo) does.",
        description = {"Finds the ReplicaSet of the version (by default the previous revision), refuses a paused Deployment, skips when the "
            + "template already matches, and otherwise replaces the pod template with that ReplicaSet's, exactly as kubectl does. "
            + "The patch carries the resourceVersion it was computed from, and the plan is the one shown (or confirmed): if someone "
            + "changed the workload meanwhile, nothing is applied, the command says what it runs now and exits 6."},
        footerHeading = "%nExamples:%n",
        footer = {"  # Back to the previous version of checkout in production",
            "  shipdeck restore checkout --environment prod-eu",
            "",
            "  # A given version, without being asked (CI)",
            "  shipdeck restore checkout -e prod-eu --to-version 4.1.0 --yes",
            "",
            "  # Only show the patch",
            "  shipdeck restore checkout -e prod-eu --to-revision 3 --dry-run"})
final class RestoreCommand extends EnvironmentActionCommand {
    /** Which version to restore: at most one of the two. */
    static final class Target {
        @Option(names = "--to-version", paramLabel = "VERSION", description = "The version to restore (default: the previous revision).")
        String version;

        @Option(names = "--to-revision", paramLabel = "N", description = "The revision to restore; 0 means the previous one.")
        Long revision;
    }

    @ArgGroup(exclusive = true)
    Target target;

    @Override
    Action action() { return Action.RESTORE_VERSION; }

    @Override
    Map<String, String> args() {
        if (target == null) return Map.of();
        if (target.version != null) return Map.of("toVersion", target.version);
        if (target.revision != null && target.revision < 0) {
            throw new CliException(ExitCodes.USAGE, "--to-revision must be 0 or more, got " + target.revision, "use 0 for the previous revision");
        }
        return target.revision == null ? Map.of() : Map.of("toRevision", Long.toString(target.revision));
    }
}

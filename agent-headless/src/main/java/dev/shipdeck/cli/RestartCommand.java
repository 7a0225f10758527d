package dev.shipdeck.cli;

import dev.shipdeck.core.model.Action;
import picocli.CommandLine.Command;

/** {@code shipdeck restart}: Restart the pods of a component, as kubectl rollout restart (or kubectl argo rollouts restart) does. */
@Command(name = "restart",
        header = "Restart the pods of a component, as kubectl rollout restart (or kubectl argo rollouts restart) does.",
        description = {"Deployments get the pod template annotation kubectl.kubernetes.io/restartedAt; Rollouts get spec.restartAt. "
            + "A paused Deployment is refused, as kubectl refuses it."},
        footerHeading = "%nExamples:%n",
        footer = {"  # New pods for catalog in dev",
            "  shipdeck restart catalog --environment dev --yes"})
final class RestartCommand extends EnvironmentActionCommand {
    @Override
    Action action() { return Action.RESTART; }
}

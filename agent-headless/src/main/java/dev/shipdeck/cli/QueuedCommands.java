package dev.shipdeck.cli;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.Commands;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.records.CommandRecords;
import dev.shipdeck.core.records.ReleaseCommandRecord;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/**
 * {@code --queue}: instead of sending the requests, the command is written as a ReleaseCommand for the in-cluster
 * agent, which runs it with its own permissions (for people allowed to create ReleaseCommands but not to patch
 * workloads). The direct commands ({@code restore}, {@code scale}, {@code restart}, {@code promote}, {@code retry},
 * {@code cancel}) call {@link #submit} when {@code --queue} is given.
 */
final class QueuedCommands {
    private QueuedCommands() {}

    /**
     * Queues {@code request} in the namespace of the component's workload and prints what was queued.
     *
     * @return the record written
     */
    static ReleaseCommandRecord submit(Session session, Environment env, CommandRequest request, PrintWriter out) {
        EnvironmentSnapshot snap = session.read(List.of(env)).get(0);
        if (!snap.connection().connected()) {
            throw ClusterProblems.error(env, snap.connection());
        }
        Component component = snap.components().stream().filter(c -> c.name().equals(request.component())).findFirst()
                .orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "component \"" + request.component() + "\" not found in environment "
                        + env.name(), "list them with: shipdeck components --environment " + env.name()));
        List<Workload> targets = component.workloads().stream()
                .filter(w -> request.namespace() == null || request.namespace().isEmpty() || w.namespace().equals(request.namespace()))
                .filter(w -> request.workload() == null || request.workload().isEmpty() || w.name().equals(request.workload()))
                .toList();
        if (targets.size() != 1) {
            throw new CliException(targets.isEmpty() ? ExitCodes.NOT_FOUND : ExitCodes.USAGE, "component \"" + request.component() + "\" has "
                    + targets.size() + " matching workloads in " + env.name(), "name one with --namespace and --workload");
        }
        Workload w = targets.get(0);
        CommandRecords records = new CommandRecords(session.clients().clientNow(env.context()));
        try {
            if (!records.installed()) {
                throw new CliException(ExitCodes.FAILED, "environment " + env.name() + " cannot queue commands: the Shipdeck CRDs are not installed",
                        "install the agent with: shipdeck install --apply --context " + env.context() + ", or run the command without --queue");
            }
            String requester = new Commands(session.clients(), List.of(env)).whoAmI(env.name());
            ReleaseCommandRecord queued = records.queue(new CommandRequest(request.action(), env.name(), request.component(), w.namespace(),
                    w.name(), request.args(), request.reason(), ""), requester, Instant.now());
            out.println("queued " + request.action().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " of " + request.component()
                    + " for the Shipdeck agent: releasecommand " + queued.namespace() + "/" + queued.name()
                    + (queued.spec().plannedRelease().isEmpty() ? "" : " (planned release " + queued.spec().plannedRelease() + ")"));
            out.flush();
            return queued;
        } catch (CliException e) {
            throw e;
        } catch (ShipdeckException e) {
            throw ClusterProblems.of(env, e, ExitCodes.FAILED);
        }
    }
}

package dev.shipdeck.core.commands;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.workload.WorkloadPaths;

import java.time.Clock;
import java.util.List;

/**
 * The seven actions, sent exactly as {@code kubectl rollout undo/restart}, {@code kubectl scale} and
 * {@code kubectl argo rollouts promote/abort/retry/undo/restart} send them (KUBERNETES.md), after the same guards,
 * and after asking the API server whether this user may send each write (SelfSubjectAccessReview). A facade: the
 * {@link TargetResolver} finds the workload, {@link Guards} say whether the action makes sense, one planner per
 * action computes the exact requests, {@link AccessReviews} answers the permission questions and the
 * {@link CommandExecutor} sends, falls back, handles conflicts and records. Blocking: call from a background thread.
 */
public final class Commands {
    private final KubeClients clients;
    private final TargetResolver resolver;
    private final AccessReviews access;
    private final CommandExecutor executor;
    private final CommandLog log;

    public Commands(KubeClients clients, List<Environment> environments, CommandLog log, Clock clock) {
        this.clients = clients;
        this.executor = new CommandExecutor(clients, environments, log, clock);
        this.resolver = executor.resolver();
        this.access = executor.access();
        this.log = log;
    }

    public Commands(KubeClients clients, List<Environment> environments) {
        this(clients, environments, new InMemoryCommandLog(), Clock.systemUTC());
    }

    /** Dry run: the exact requests, nothing sent. Reads still happen. The result carries what it was computed from. */
    public CommandResult plan(CommandRequest r) {
        return executor.execute(r, true, null);
    }

    /** Reads the workload, plans and sends the requests (re-planned when only the workload's status moved meanwhile). */
    public CommandResult run(CommandRequest r) {
        return executor.execute(r, false, null);
    }

    /**
     * Runs what {@code plan} (from {@link #plan}) showed the person: when the workload's spec changed since that plan
     * was computed (someone else restored, scaled or shipped a version in between), nothing is sent and the result is
     * CONFLICT, saying what the workload runs now.
     */
    public CommandResult run(CommandRequest r, CommandResult plan) {
        return executor.execute(r, false, plan == null ? null : plan.basis());
    }

    public List<CommandRecord> history(String environment, String component) {
        return log.history(environment, component);
    }

    public CommandLog log() { return log; }

    /**
     * The request as it will be run: for {@link Action#SHIP}, with what is shipped (the source environment's version and
     * images, read now) in its args, so a dry run, the confirmed run and a queued command all ship the same thing;
     * other requests as they are. Blocking (reads the source environment).
     *
     * @throws ShipdeckException when the source cannot be read or has nothing to ship (NotFoundException: unknown environment or component)
     */
    public CommandRequest prepare(CommandRequest r) {
        if (r.action() != Action.SHIP) return r;
        Environment target = resolver.environment(r.environment());
        try {
            return executor.shipSource(r, target).into(r);
        } catch (Refused e) {
            throw new ShipdeckException(e.getMessage(), "");
        }
    }

    /** Whether {@code a} can be offered on this workload now: kind, annotation, state and RBAC (network call). */
    public Availability availability(Component c, Workload w, Action a) {
        Environment env = resolver.environment(c.environment());
        String guard = Guards.refusal(a, Guards.State.of(w));
        if (guard != null) return Availability.no(guard);
        if (a == Action.RESTORE_VERSION && w.versions().size() < 2) {
            return Availability.no("no other version to restore: older versions are " + dev.shipdeck.core.model.VersionInfo.OUTSIDE_HISTORY
                    + " — their ReplicaSets are gone");
        }
        String sub = switch (a) {
            case SCALE -> "scale";
            case PROMOTE, PROMOTE_FULL, CANCEL, RETRY -> "status";
            default -> "";
        };
        try {
            return access.mayPatch(env, new KubeApi(clients.clientNow(env.context())), WorkloadPaths.group(w.kind()),
                    WorkloadPaths.plural(w.kind()), sub, w.namespace(), w.name());
        } catch (ShipdeckException e) {
            return Availability.no("cannot check permissions: " + e.getMessage());
        }
    }

    /** The user the API server sees (SelfSubjectReview), else the kubeconfig user's name; see {@link AccessReviews#whoAmI}. */
    public String whoAmI(String environment) {
        return access.whoAmI(resolver.environment(environment));
    }
}

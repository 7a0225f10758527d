package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.json.J;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Redact;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.workload.Conventions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs a command: resolves its target, guards it, makes the reads its planner needs, plans, reviews each write, and
 * (unless a dry run) sends the requests with the plugin's fallback, handles conflicts and writes the audit record.
 * Blocking: call from a background thread.
 */
final class CommandExecutor {
    /** How often a write refused with 409 is planned again when only the workload's status had moved. */
    private static final int ATTEMPTS = 5;
    private static final long SETTLE_NANOS = 5_000_000_000L;
    private static final String INSTANCE = CommandEvents.instance();

    private final KubeClients clients;
    private final TargetResolver resolver;
    private final AccessReviews access;
    private final CommandLog log;
    private final Clock clock;

    CommandExecutor(KubeClients clients, List<Environment> environments, CommandLog log, Clock clock) {
        this(clients, new TargetResolver(environments, clients.secrets()), log, clock);
    }

    private CommandExecutor(KubeClients clients, TargetResolver resolver, CommandLog log, Clock clock) {
        this.clients = clients;
        this.resolver = resolver;
        this.access = new AccessReviews(clients);
        this.log = log;
        this.clock = clock;
    }

    TargetResolver resolver() { return resolver; }

    AccessReviews access() { return access; }

    /**
     * Reads, plans and (unless a dry run) sends. Every write carries the resourceVersion it was computed from; when the
     * server answers 409 the workload is read again: if its spec (generation) is still the one the command started
     * from, only its status moved (the controller) and the command is planned again; otherwise someone else changed
     * it and the result is CONFLICT naming what it runs now. The same holds against {@code basis}, the state a
     * confirmed plan was computed from.
     */
    CommandResult execute(CommandRequest r, boolean dryRun, WorkloadState basis) {
        Autoscaler[] autoscaler = {null};
        CommandResult result = execute(r, dryRun, basis, autoscaler);
        return autoscaler[0] == null ? result : result.withAutoscaler(autoscaler[0]);
    }

    /** {@link #execute(CommandRequest, boolean, WorkloadState)}; {@code autoscaler[0]} gets the HPA a scale found. */
    private CommandResult execute(CommandRequest r, boolean dryRun, WorkloadState basis, Autoscaler[] autoscaler) {
        Environment env = resolver.environment(r.environment());
        KubeApi api = new KubeApi(clients.clientNow(env.context()));
        Target t = resolver.resolve(env, api, r);
        ShipPlanner.Source source = null;
        if (r.action() == Action.SHIP) {
            // the target's guards first: a ship turned off there needs no read of the source
            String off = Guards.refusal(r.action(), Guards.State.of(t.facts()));
            if (off != null) return finish(r, t, dryRun, Outcome.REFUSED, off, List.of(), List.of(), WorkloadState.of(t));
            try {
                source = shipSource(r, env);
            } catch (Refused e) {
                return finish(r, t, dryRun, e.outcome, e.getMessage(), List.of(), List.of(), WorkloadState.of(t));
            }
            r = source.into(r); // the audit record says what was shipped
        }
        WorkloadState from = basis != null ? basis : WorkloadState.of(t);
        List<String> warnings = new ArrayList<>();
        List<PlannedRequest> sent = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            if (from.changedIn(t)) return finish(r, t, dryRun, Outcome.CONFLICT, conflict(t, basis != null), sent, warnings, from);
            String refusal = Guards.refusal(r.action(), Guards.State.of(t.facts()));
            if (refusal != null) return finish(r, t, dryRun, Outcome.REFUSED, refusal, List.of(), List.of(), from);
            warnings.clear();
            Plan plan;
            try {
                if (r.action() == Action.RESTORE_VERSION) {
                    // revision numbers are only settled once the controller has seen the spec
                    t = settled(api, t);
                    if (from.changedIn(t)) continue;
                }
                plan = r.action() == Action.SHIP ? ShipPlanner.plan(t, source, warnings) : plan(api, t, r, warnings, autoscaler);
                if (r.action() == Action.RESTORE_VERSION) {
                    // the ReplicaSets were listed after the workload was read: if its spec moved in between, they may
                    // belong to another version of it, and the plan is made again (or is a conflict)
                    Target again = resolver.reread(api, t);
                    if (again.generation() != t.generation()) {
                        t = again;
                        continue;
                    }
                }
            } catch (Refused e) {
                return finish(r, t, dryRun, e.outcome, e.getMessage(), List.of(), warnings, from);
            }
            if (plan.requests().isEmpty()) return finish(r, t, dryRun, Outcome.SKIPPED, plan.summary(), List.of(), warnings, from);
            for (PlannedRequest p : plan.requests()) {
                Availability a = access.mayPatch(env, api, p);
                if (!a.allowed()) {
                    // nothing was sent; a dry run still shows what would have been
                    return finish(r, t, dryRun, Outcome.REFUSED, a.reason(), dryRun ? plan.requests() : List.of(), warnings, from);
                }
            }
            if (dryRun) return new CommandResult(Outcome.PLANNED, plan.summary(), plan.requests(), warnings, null, from);
            List<PlannedRequest> accepted = new ArrayList<>();
            Target fresh = null;
            for (PlannedRequest p : plan.requests()) {
                KubeApi.Response resp;
                boolean fellBack = false;
                try {
                    sent.add(p);
                    resp = api.send(p.method(), p.path(), p.contentType(), p.body());
                    if (resp.code() == 404 && p.path().endsWith("/status") && plan.fallback() != null) {
                        // Rollouts without the status subresource (v0.9): the plugin sends its unified spec+status
                        // patch to the main resource instead, and nothing after it
                        p = plan.fallback();
                        sent.add(p);
                        resp = api.send(p.method(), p.path(), p.contentType(), p.body());
                        fellBack = true;
                    }
                } catch (RuntimeException e) {
                    return finish(r, t, false, Outcome.FAILED, "cannot reach the API server: "
                            + Redact.text(String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), clients.secrets())
                            + applied(accepted), sent, warnings, from);
                }
                if (!resp.ok()) {
                    String msg = Redact.text(resp.message(), clients.secrets());
                    if (resp.code() == 409 && accepted.isEmpty()) {
                        Target now;
                        try {
                            now = resolver.reread(api, t);
                        } catch (Refused e) {
                            return finish(r, t, false, Outcome.CONFLICT, t.name() + " was changed by someone else since Shipdeck read it, and "
                                    + e.getMessage() + "; nothing was applied — reload and try again", sent, warnings, from);
                        }
                        if (now.workload() != null && !from.changedIn(now) && attempt < ATTEMPTS) {
                            fresh = now; // only the status moved: plan again from the fresh copy
                            break;
                        }
                        return finish(r, now, false, Outcome.CONFLICT, conflict(now, basis != null), sent, warnings, from);
                    }
                    if (resp.code() == 409) {
                        return finish(r, t, false, Outcome.CONFLICT, t.name() + " was changed by someone else while Shipdeck wrote to it ("
                                + msg + ")" + applied(accepted) + "; reload and check it", sent, warnings, from);
                    }
                    return finish(r, t, false, Outcome.FAILED, "the API server refused: " + msg + applied(accepted), sent, warnings, from);
                }
                accepted.add(p);
                if (fellBack) break;
            }
            if (fresh == null) return finish(r, t, false, Outcome.SUCCEEDED, plan.summary(), sent, warnings, from);
            t = fresh;
        }
    }

    /** The planner of the action, with the reads it needs (made when it asks, after its checks of the request). */
    private Plan plan(KubeApi api, Target t, CommandRequest r, List<String> warnings, Autoscaler[] autoscaler) {
        return switch (r.action()) {
            case RESTORE_VERSION -> RestorePlanner.plan(t, () -> ownedReplicaSets(api, t), () -> pods(api, t), r, warnings);
            case SCALE -> ScalePlanner.plan(t, () -> {
                ScalePlanner.Autoscalers read = hpas(api, t);
                autoscaler[0] = ScalePlanner.targeting(t, read);
                return read;
            }, r, warnings);
            case RESTART -> RestartPlanner.plan(t, clock);
            case PROMOTE -> PromotePlanner.plan(t.facts(), t.basePath(), t.name(), false);
            case PROMOTE_FULL -> PromotePlanner.plan(t.facts(), t.basePath(), t.name(), true);
            case CANCEL -> AbortRetryPlanner.plan(t, true);
            case RETRY -> AbortRetryPlanner.plan(t, false);
            case EDIT_LABELS -> LabelsPlan.plan(t.facts(), t.basePath(), t.name(), r.args());
            case SHIP -> throw new IllegalStateException("ship is planned with its source");
        };
    }

    /** The pods of the workload's selector; none when they cannot be read (they only inform a warning). */
    private static List<JsonNode> pods(KubeApi api, Target t) {
        List<String> terms = new ArrayList<>();
        t.facts().selector().forEach((k, v) -> terms.add(k + "=" + v));
        if (terms.isEmpty()) return List.of();
        List<JsonNode> out = new ArrayList<>();
        try {
            KubeApi.Response resp = api.get("/api/v1/namespaces/" + t.namespace() + "/pods?labelSelector="
                    + URLEncoder.encode(String.join(",", terms), StandardCharsets.UTF_8));
            if (resp.ok()) resp.body().path("items").forEach(out::add);
        } catch (RuntimeException unreachable) {
            // the restore itself will say so
        }
        return out;
    }

    /**
     * What a ship copies: read from the source environment's workload when this process knows that environment, else
     * (the agent, which watches one environment) what the request carries. When both are there, the request's images
     * and version win (they are what the person confirmed) and the read only says which fields are not copied.
     */
    ShipPlanner.Source shipSource(CommandRequest r, Environment target) {
        String fromName = r.arg(ShipPlanner.FROM).trim();
        if (fromName.isEmpty()) throw Refused.refused("ship needs the environment to ship from (from)");
        if (fromName.equals(target.name())) throw Refused.refused("ship needs two environments: " + fromName + " is the target itself");
        ShipPlanner.Source carried = ShipPlanner.Source.of(r);
        Environment fromEnv = resolver.find(fromName);
        if (fromEnv == null) {
            if (carried != null) return carried;
            resolver.environment(fromName); // throws: unknown environment
        }
        ShipPlanner.Source read;
        try {
            KubeApi fromApi = new KubeApi(clients.clientNow(fromEnv.context()));
            Target src = resolver.resolve(fromEnv, fromApi, new CommandRequest(Action.SHIP, fromName, r.component(), null, null, java.util.Map.of()));
            read = ShipPlanner.Source.of(fromName, src.facts());
        } catch (RuntimeException e) {
            if (carried != null) return carried;
            throw e;
        }
        return carried == null ? read : new ShipPlanner.Source(fromName, carried.version(), carried.images(), read.facts());
    }

    /** The ReplicaSets the workload controls (listed by its selector, kept by their controller's uid). */
    private List<JsonNode> ownedReplicaSets(KubeApi api, Target t) {
        List<String> terms = new ArrayList<>();
        t.facts().selector().forEach((k, v) -> terms.add(k + "=" + v));
        String selector = String.join(",", terms);
        KubeApi.Response resp = api.get("/apis/apps/v1/namespaces/" + t.namespace() + "/replicasets"
                + (selector.isEmpty() ? "" : "?labelSelector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)));
        if (!resp.ok()) throw new Refused(Outcome.FAILED, "cannot list the ReplicaSets of " + t.name() + ": " + resp.message());
        List<JsonNode> out = new ArrayList<>();
        resp.body().path("items").forEach(rs -> {
            if (t.facts().uid().equals(Conventions.controllerUid(rs))) out.add(rs);
        });
        return out;
    }

    /**
     * The HorizontalPodAutoscalers of the workload's namespace: autoscaling/v2, else (a server without it) v1. When
     * they cannot be read the scale goes on, with a warning that says so.
     */
    private ScalePlanner.Autoscalers hpas(KubeApi api, Target t) {
        String apiVersion = "autoscaling/v2";
        KubeApi.Response resp = api.get("/apis/" + apiVersion + "/namespaces/" + t.namespace() + "/horizontalpodautoscalers");
        if (resp.code() == 404) {
            apiVersion = "autoscaling/v1";
            resp = api.get("/apis/" + apiVersion + "/namespaces/" + t.namespace() + "/horizontalpodautoscalers");
        }
        List<JsonNode> out = new ArrayList<>();
        if (!resp.ok()) return new ScalePlanner.Autoscalers(out, apiVersion, resp.code() + ": " + Redact.text(resp.message(), clients.secrets()));
        resp.body().path("items").forEach(out::add);
        return new ScalePlanner.Autoscalers(out, apiVersion, null);
    }

    /** The CONFLICT message: who changed what is not known, what the workload runs now is. */
    private static String conflict(Target now, boolean confirmed) {
        String since = " since Shipdeck " + (confirmed ? "planned this" : "read it");
        if (now.workload() == null) return now.name() + " was deleted by someone else" + since + "; nothing was applied";
        WorkloadState s = WorkloadState.of(now);
        return now.name() + " was changed by someone else" + since + ": it now runs version " + s.version() + " with " + s.replicas()
                + (s.replicas() == 1 ? " replica" : " replicas") + "; nothing was applied — reload and try again";
    }

    /** Waits (briefly) until the controller has observed the workload's spec, so its revisions are settled; the fresh copy. */
    private Target settled(KubeApi api, Target t) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        Target cur = t;
        while (cur.facts() != null && !cur.facts().observed() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return cur;
            }
            cur = resolver.reread(api, cur);
        }
        return cur;
    }

    /** For a failure after an earlier request went through: which requests the server had already accepted. */
    private static String applied(List<PlannedRequest> accepted) {
        if (accepted.isEmpty()) return "";
        return "; already applied: " + String.join(", ", accepted.stream().map(p -> p.method() + " " + p.path()).toList());
    }

    private CommandResult finish(CommandRequest r, Target t, boolean dryRun, Outcome outcome, String message,
                                 List<PlannedRequest> requests, List<String> warnings, WorkloadState from) {
        if (dryRun) {
            return new CommandResult(outcome == Outcome.SUCCEEDED ? Outcome.PLANNED : outcome, message, requests, warnings, null, from);
        }
        Environment env = resolver.environment(r.environment());
        String who = access.whoAmI(env);
        if (outcome != Outcome.REFUSED && t.facts() != null) {
            // a refused command sent nothing: there is nothing for the workload's watchers to know
            String note = event(env, r, t, outcome, message, r.requestedBy().isEmpty() ? who : r.requestedBy() + " (queued; run by " + who + ")");
            if (note != null) message = message + "; note: " + note;
        }
        CommandRecord rec = new CommandRecord(UUID.randomUUID().toString(), r.action(), r.environment(), r.component(),
                t.namespace(), t.name(), r.args(), who, clock.instant(), outcome, message, r.reason());
        log.record(rec);
        return new CommandResult(outcome, message, requests, warnings, rec, from);
    }

    /** Writes the command's Event on its workload; null when written, else why not. */
    private String event(Environment env, CommandRequest r, Target t, Outcome outcome, String message, String who) {
        boolean warning = outcome == Outcome.FAILED || outcome == Outcome.CONFLICT;
        String text = CommandEvents.message(r, who, t.name(), outcome, message);
        try {
            KubeApi api = new KubeApi(clients.clientNow(env.context()));
            return CommandEvents.write(api, CommandEvents.event(t, r.action(), text, warning, clock.instant(), INSTANCE), clients.secrets());
        } catch (RuntimeException e) {
            return "the Event on the workload could not be written (" + Redact.text(String.valueOf(e.getMessage()), clients.secrets()) + ")";
        }
    }
}

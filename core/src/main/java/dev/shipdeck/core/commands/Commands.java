package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.kube.AccessReview;
import dev.shipdeck.core.kube.ClusterException;
import dev.shipdeck.core.kube.Failures;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Redact;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.json.J;
import dev.shipdeck.core.workload.Conventions;
import dev.shipdeck.core.workload.WorkloadFacts;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seven actions, sent exactly as {@code kubectl rollout undo/restart}, {@code kubectl scale} and
 * {@code kubectl argo rollouts promote/abort/retry/undo/restart} send them (KUBERNETES.md), after the same guards,
 * and after asking the API server whether this user may send each write (SelfSubjectAccessReview). A restore also
 * carries the resourceVersion it was computed from, so a concurrent change makes it fail with a conflict instead of
 * overwriting someone else's work. Blocking: call from a background thread.
 */
public final class Commands {
    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC_PATCH = "application/strategic-merge-patch+json";

    private final KubeClients clients;
    private final List<Environment> environments;
    private final CommandLog log;
    private final Clock clock;
    private final Map<String, CachedIdentity> identities = new ConcurrentHashMap<>();
    private final Map<String, CachedReview> reviews = new ConcurrentHashMap<>();

    /** A permission answer and when it was fetched (System.nanoTime: the injected clock may be fixed). */
    private record CachedReview(Availability answer, long atNanos) {}

    /** Who the API server says the user is, and when it said so. */
    private record CachedIdentity(String name, long atNanos) {}

    private static final long REVIEW_TTL_NANOS = 30_000_000_000L;
    /** How long a SelfSubjectReview answer (or a server's "I have none") is kept: credentials may be replaced. */
    private static final long IDENTITY_TTL_NANOS = 600_000_000_000L;

    /** A workload found for a request. */
    private record Target(Environment env, WorkloadKind kind, JsonNode workload, String namespace, String name) {
        long generation() {
            return workload == null ? -1 : J.num(workload, 0, "metadata", "generation");
        }

        String basePath() {
            return (kind == WorkloadKind.DEPLOYMENT ? "/apis/apps/v1" : "/apis/argoproj.io/v1alpha1")
                    + "/namespaces/" + namespace + "/" + (kind == WorkloadKind.DEPLOYMENT ? "deployments" : "rollouts") + "/" + name;
        }
    }

    public Commands(KubeClients clients, List<Environment> environments, CommandLog log, Clock clock) {
        this.clients = clients;
        this.environments = List.copyOf(environments);
        this.log = log;
        this.clock = clock;
    }

    public Commands(KubeClients clients, List<Environment> environments) {
        this(clients, environments, new InMemoryCommandLog(), Clock.systemUTC());
    }

    /** Dry run: the exact requests, nothing sent. Reads still happen. The result carries what it was computed from. */
    public CommandResult plan(CommandRequest r) {
        return execute(r, true, null);
    }

    /** Reads the workload, plans and sends the requests (re-planned when only the workload's status moved meanwhile). */
    public CommandResult run(CommandRequest r) {
        return execute(r, false, null);
    }

    /**
     * Runs what {@code plan} (from {@link #plan}) showed the person: when the workload's spec changed since that plan
     * was computed (someone else restored, scaled or shipped a version in between), nothing is sent and the result is
     * CONFLICT, saying what the workload runs now.
     */
    public CommandResult run(CommandRequest r, CommandResult plan) {
        return execute(r, false, plan == null ? null : plan.basis());
    }

    public List<CommandRecord> history(String environment, String component) {
        return log.history(environment, component);
    }

    public CommandLog log() { return log; }

    /** Whether {@code a} can be offered on this workload now: kind, annotation, state and RBAC (network call). */
    public Availability availability(Component c, Workload w, Action a) {
        Environment env = environment(c.environment());
        String guard = Guards.refusal(a, Guards.State.of(w));
        if (guard != null) return Availability.no(guard);
        if (a == Action.RESTORE_VERSION && w.versions().size() < 2) {
            return Availability.no("no other version to restore: the ReplicaSets of older versions are gone");
        }
        String resource = w.kind() == WorkloadKind.DEPLOYMENT ? "deployments" : "rollouts";
        String group = w.kind() == WorkloadKind.DEPLOYMENT ? "apps" : "argoproj.io";
        String sub = switch (a) {
            case SCALE -> "scale";
            case PROMOTE, PROMOTE_FULL, CANCEL, RETRY -> "status";
            default -> "";
        };
        try {
            return review(env, new KubeApi(clients.clientNow(env.context())), group, resource, sub, w.namespace(), w.name());
        } catch (ShipdeckException e) {
            return Availability.no("cannot check permissions: " + e.getMessage());
        }
    }

    /**
     * The user the API server sees (SelfSubjectReview), else the kubeconfig user's name. A server answer is kept for
     * ten minutes, and so is a server that has no SelfSubjectReview (404) or refuses it (403); after a failure that may
     * pass (5xx, 429, no connection) the fallback is used for this call only and the next call asks again, so audit
     * records name the right user as soon as the server answers.
     */
    public String whoAmI(String environment) {
        Environment env = environment(environment);
        String ctx = env.context();
        CachedIdentity cached = identities.get(ctx);
        if (cached != null && System.nanoTime() - cached.atNanos() < IDENTITY_TTL_NANOS) return cached.name();
        String user = clients.kubeconfig().context(ctx).user();
        String fallback = user.isEmpty() ? "unknown" : user;
        try {
            KubeApi api = new KubeApi(clients.clientNow(ctx));
            KubeApi.Response resp = api.send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "application/json",
                    "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
            String name = resp.ok() ? J.str(resp.body(), "status", "userInfo", "username") : "";
            if (!name.isEmpty()) {
                identities.put(ctx, new CachedIdentity(name, System.nanoTime()));
                return name;
            }
            if (resp.ok() || resp.code() == 404 || resp.code() == 403) {
                // older servers have no SelfSubjectReview: the kubeconfig's user name is the best there is
                identities.put(ctx, new CachedIdentity(fallback, System.nanoTime()));
            }
        } catch (RuntimeException unreachable) {
            // not cached: ask again next time
        }
        return fallback;
    }

    // ------------------------------------------------------------------ execution

    /** How often a write refused with 409 is planned again when only the workload's status had moved. */
    private static final int ATTEMPTS = 5;

    /**
     * Reads, plans and (unless a dry run) sends. Every write carries the resourceVersion it was computed from; when the
     * server answers 409 the workload is read again: if its spec (generation) is still the one the command started
     * from, only its status moved (the controller) and the command is planned again; otherwise someone else changed
     * it and the result is CONFLICT naming what it runs now. The same holds against {@code basis}, the state a
     * confirmed plan was computed from.
     */
    private CommandResult execute(CommandRequest r, boolean dryRun, WorkloadState basis) {
        Environment env = environment(r.environment());
        KubeApi api = new KubeApi(clients.clientNow(env.context()));
        Target t = resolve(env, api, r);
        WorkloadState from = basis != null ? basis : WorkloadState.of(t.workload());
        List<String> warnings = new ArrayList<>();
        List<PlannedRequest> sent = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            if (from.changedIn(t.workload())) {
                return finish(r, t, dryRun, Outcome.CONFLICT, conflict(t, basis != null), sent, warnings, from);
            }
            String refusal = Guards.refusal(r.action(), Guards.State.of(WorkloadFacts.of(t.kind(), t.workload())));
            if (refusal != null) return finish(r, t, dryRun, Outcome.REFUSED, refusal, List.of(), List.of(), from);
            warnings.clear();
            Plan plan;
            try {
                if (r.action() == Action.RESTORE_VERSION) {
                    // revision numbers are only settled once the controller has seen the spec
                    t = settled(env, api, t);
                    if (from.changedIn(t.workload())) continue;
                }
                plan = switch (r.action()) {
                    case RESTORE_VERSION -> restore(api, t, r);
                    case SCALE -> scale(api, t, r, warnings);
                    case RESTART -> restart(t);
                    case PROMOTE -> promote(t, false);
                    case PROMOTE_FULL -> promote(t, true);
                    case CANCEL -> statusPatch(t, "{\"status\":{\"abort\":true}}");
                    case RETRY -> statusPatch(t, "{\"status\":{\"abort\":false}}");
                    case EDIT_LABELS -> LabelsPlan.plan(t.workload(), t.basePath(), t.name(), r.args());
                };
                if (r.action() == Action.RESTORE_VERSION) {
                    // the ReplicaSets were listed after the workload was read: if its spec moved in between, they may
                    // belong to another version of it, and the plan is made again (or is a conflict)
                    Target again = reread(env, api, t);
                    if (again.generation() != t.generation()) {
                        t = again;
                        continue;
                    }
                }
            } catch (Refused e) {
                return finish(r, t, dryRun, e.outcome, e.getMessage(), List.of(), warnings, from);
            }
            if (plan.requests().isEmpty()) {
                return finish(r, t, dryRun, Outcome.SKIPPED, plan.summary(), List.of(), warnings, from);
            }
            for (PlannedRequest p : plan.requests()) {
                Availability a = reviewPath(env, api, p);
                if (!a.allowed()) {
                    // nothing was sent; a dry run still shows what would have been
                    return finish(r, t, dryRun, Outcome.REFUSED, a.reason(), dryRun ? plan.requests() : List.of(), warnings, from);
                }
            }
            if (dryRun) {
                return new CommandResult(Outcome.PLANNED, plan.summary(), plan.requests(), warnings, null, from);
            }
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
                            now = reread(env, api, t);
                        } catch (Refused e) {
                            return finish(r, t, false, Outcome.CONFLICT, t.name() + " was changed by someone else since Shipdeck read it, and "
                                    + e.getMessage() + "; nothing was applied — reload and try again", sent, warnings, from);
                        }
                        if (now.workload() != null && !from.changedIn(now.workload()) && attempt < ATTEMPTS) {
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

    /** The CONFLICT message: who changed what is not known, what the workload runs now is. */
    private static String conflict(Target now, boolean confirmed) {
        String since = " since Shipdeck " + (confirmed ? "planned this" : "read it");
        if (now.workload() == null) return now.name() + " was deleted by someone else" + since + "; nothing was applied";
        WorkloadState s = WorkloadState.of(now.workload());
        return now.name() + " was changed by someone else" + since + ": it now runs version " + s.version() + " with " + s.replicas()
                + (s.replicas() == 1 ? " replica" : " replicas") + "; nothing was applied — reload and try again";
    }

    /** Waits (briefly) until the controller has observed the workload's spec, so its revisions are settled; the fresh copy. */
    private Target settled(Environment env, KubeApi api, Target t) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        Target cur = t;
        while (!WorkloadState.observed(cur.workload()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return cur;
            }
            cur = reread(env, api, cur);
        }
        return cur;
    }

    private static final long SETTLE_NANOS = 5_000_000_000L;

    /**
     * The workload again, by a list in its namespace restricted to its name (the list verb the command already needs; the
     * agent may not get single objects).
     */
    private Target reread(Environment env, KubeApi api, Target t) {
        String plural = t.kind() == WorkloadKind.DEPLOYMENT ? "deployments" : "rollouts";
        String group = t.kind() == WorkloadKind.DEPLOYMENT ? "/apis/apps/v1" : "/apis/argoproj.io/v1alpha1";
        KubeApi.Response resp = api.get(group + "/namespaces/" + t.namespace() + "/" + plural + "?fieldSelector="
                + java.net.URLEncoder.encode("metadata.name=" + t.name(), java.nio.charset.StandardCharsets.UTF_8));
        if (!resp.ok()) {
            throw new Refused(Outcome.FAILED, "cannot read " + t.name() + " again: " + Redact.text(resp.message(), clients.secrets()));
        }
        for (JsonNode w : resp.body().path("items")) {
            if (t.name().equals(J.str(w, "metadata", "name"))) return new Target(env, t.kind(), w, t.namespace(), t.name());
        }
        return new Target(env, t.kind(), null, t.namespace(), t.name());
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
        CommandRecord rec = new CommandRecord(UUID.randomUUID().toString(), r.action(), r.environment(), r.component(),
                t.namespace(), t.name(), r.args(), whoAmI(r.environment()), clock.instant(), outcome, message);
        log.record(rec);
        return new CommandResult(outcome, message, requests, warnings, rec, from);
    }

    /** The requests of an action, the sentence that says what they do, and the plain-patch fallback of a status patch. */
    record Plan(List<PlannedRequest> requests, String summary, PlannedRequest fallback) {}

    /** A guard's or a planner's no, with the outcome to record. */
    static final class Refused extends RuntimeException {
        final Outcome outcome;

        Refused(Outcome outcome, String message) {
            super(message);
            this.outcome = outcome;
        }
    }

    // ------------------------------------------------------------------ restore

    private Plan restore(KubeApi api, Target t, CommandRequest r) {
        boolean deploy = t.kind() == WorkloadKind.DEPLOYMENT;
        JsonNode ref = J.at(t.workload(), "spec", "workloadRef");
        if (!deploy && ref != null && J.at(t.workload(), "spec", "template") == null) {
            // the template lives in the referenced workload; the plugin patches that one instead
            throw new Refused(Outcome.REFUSED, t.name() + " takes its pod template from " + J.str(ref, "kind") + " " + J.str(ref, "name")
                    + " (spec.workloadRef): restore a version there, e.g. kubectl argo rollouts undo " + t.name());
        }
        String revKey = deploy ? Conventions.DEPLOY_REVISION : Conventions.ROLLOUT_REVISION;
        String hashKey = deploy ? "pod-template-hash" : "rollouts-pod-template-hash";
        List<JsonNode> rss = ownedReplicaSets(api, t);
        rss.sort(Comparator.comparingLong((JsonNode rs) -> J.num(rs, 0, "metadata", "annotations", revKey)).reversed());
        JsonNode chosen = pick(rss, revKey, r);
        long revision = J.num(chosen, 0, "metadata", "annotations", revKey);
        String version = Conventions.version(J.at(chosen, "spec", "template"));
        ObjectNode template = ((ObjectNode) chosen.path("spec").path("template")).deepCopy();
        JsonNode labels = template.path("metadata").path("labels");
        if (labels instanceof ObjectNode ol) ol.remove(hashKey);
        JsonNode current = stripHash(t.workload().path("spec").path("template"), hashKey);
        // kubectl compares the two typed templates (Semantic.DeepEqual); the plugin asks whether the Rollout's
        // unstructured template is a derivative of the ReplicaSet's (fields the server defaulted in the
        // ReplicaSet but the Rollout never set do not count)
        if (deploy ? semanticEqual(current, template) : derivative(current, template)) {
            return new Plan(List.of(), "skipped: " + t.name() + " already runs version " + version + " (revision " + revision + ")", null);
        }
        ArrayNode ops = KubeApi.JSON.createArrayNode();
        ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion")
                .put("value", J.str(t.workload(), "metadata", "resourceVersion"));
        ops.addObject().put("op", "replace").put("path", "/spec/template").set("value", template);
        if (deploy) {
            ops.addObject().put("op", "replace").put("path", "/metadata/annotations").set("value", restoredAnnotations(t.workload(), chosen));
        }
        return new Plan(List.of(new PlannedRequest("PATCH", t.basePath(), JSON_PATCH, ops.toString())),
                "restore " + t.name() + " to version " + version + " (revision " + revision + ")", null);
    }

    /** As kubectl: the Deployment keeps its own revision/last-applied annotations, takes the rest from the ReplicaSet. */
    private static ObjectNode restoredAnnotations(JsonNode deployment, JsonNode rs) {
        List<String> skip = List.of("kubectl.kubernetes.io/last-applied-configuration", Conventions.DEPLOY_REVISION,
                "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
                "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to");
        ObjectNode out = KubeApi.JSON.createObjectNode();
        JsonNode own = J.at(deployment, "metadata", "annotations");
        for (String k : skip) {
            if (own != null && own.has(k)) out.set(k, own.get(k));
        }
        JsonNode theirs = J.at(rs, "metadata", "annotations");
        if (theirs != null) {
            theirs.fields().forEachRemaining(e -> {
                if (!skip.contains(e.getKey())) out.set(e.getKey(), e.getValue());
            });
        }
        return out;
    }

    /** Semantic.DeepEqual on JSON: nulls, empty objects and empty arrays equal absent fields. */
    static boolean semanticEqual(JsonNode a, JsonNode b) {
        return withoutEmpty(a).equals(withoutEmpty(b));
    }

    private static JsonNode withoutEmpty(JsonNode n) {
        if (n == null) return KubeApi.JSON.nullNode();
        if (n.isObject()) {
            ObjectNode out = KubeApi.JSON.createObjectNode();
            n.fields().forEachRemaining(e -> {
                JsonNode v = withoutEmpty(e.getValue());
                if (!v.isNull() && !((v.isObject() || v.isArray()) && v.isEmpty())) out.set(e.getKey(), v);
            });
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = KubeApi.JSON.createArrayNode();
            n.forEach(v -> out.add(withoutEmpty(v)));
            return out;
        }
        return n;
    }

    /**
     * Semantic.DeepDerivative(a, b) on unstructured JSON, as the Argo plugin's undo uses it: empty or null values in
     * {@code a} match anything, a non-empty object matches when each of its keys is in {@code b} and matches, a
     * non-empty array when it is no longer than {@code b}'s and its elements match pairwise.
     */
    static boolean derivative(JsonNode a, JsonNode b) {
        if (a == null || a.isNull() || a.isMissingNode()) return true;
        if (b == null || b.isMissingNode()) return false;
        if (a.isObject()) {
            if (a.isEmpty()) return true;
            if (!b.isObject() || a.size() > b.size()) return false;
            for (var it = a.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!b.has(e.getKey()) || !derivative(e.getValue(), b.get(e.getKey()))) return false;
            }
            return true;
        }
        if (a.isArray()) {
            if (a.isEmpty()) return true;
            if (!b.isArray() || a.size() > b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                if (!derivative(a.get(i), b.get(i))) return false;
            }
            return true;
        }
        if (a.isTextual()) return a.asText().isEmpty() || b.isTextual() && a.asText().equals(b.asText());
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        return a.equals(b);
    }

    private static JsonNode stripHash(JsonNode template, String hashKey) {
        ObjectNode copy = template.isObject() ? ((ObjectNode) template).deepCopy() : KubeApi.JSON.createObjectNode();
        JsonNode labels = copy.path("metadata").path("labels");
        if (labels instanceof ObjectNode ol) ol.remove(hashKey);
        return copy;
    }

    private static JsonNode pick(List<JsonNode> rss, String revKey, CommandRequest r) {
        List<String> kept = rss.stream().map(rs -> "revision " + J.num(rs, 0, "metadata", "annotations", revKey) + " = "
                + Conventions.version(J.at(rs, "spec", "template"))).toList();
        if (!r.arg("toVersion").isEmpty()) {
            for (JsonNode rs : rss) {
                if (Conventions.version(J.at(rs, "spec", "template")).equals(r.arg("toVersion"))) return rs;
            }
            throw new Refused(Outcome.REFUSED, "version " + r.arg("toVersion") + " is no longer available: no ReplicaSet of it is kept"
                    + " (pruned by revisionHistoryLimit, or never deployed). Kept: " + String.join(", ", kept));
        }
        long want = 0;
        if (!r.arg("toRevision").isEmpty()) {
            try {
                want = Long.parseLong(r.arg("toRevision"));
            } catch (NumberFormatException e) {
                throw new Refused(Outcome.REFUSED, "revision must be a number, got \"" + r.arg("toRevision") + "\"");
            }
        }
        if (want == 0) {
            if (rss.size() < 2) throw new Refused(Outcome.REFUSED, "no previous version to restore (kept: " + String.join(", ", kept) + ")");
            return rss.get(1);
        }
        for (JsonNode rs : rss) {
            if (J.num(rs, 0, "metadata", "annotations", revKey) == want) return rs;
        }
        throw new Refused(Outcome.REFUSED, "revision " + want + " not found: its ReplicaSet was pruned or never existed. Kept: " + String.join(", ", kept));
    }

    private List<JsonNode> ownedReplicaSets(KubeApi api, Target t) {
        String selector = matchLabels(t.workload().path("spec").path("selector"));
        KubeApi.Response resp = api.get("/apis/apps/v1/namespaces/" + t.namespace() + "/replicasets"
                + (selector.isEmpty() ? "" : "?labelSelector=" + java.net.URLEncoder.encode(selector, java.nio.charset.StandardCharsets.UTF_8)));
        if (!resp.ok()) throw new Refused(Outcome.FAILED, "cannot list the ReplicaSets of " + t.name() + ": " + resp.message());
        String uid = J.str(t.workload(), "metadata", "uid");
        List<JsonNode> out = new ArrayList<>();
        resp.body().path("items").forEach(rs -> {
            if (uid.equals(Conventions.controllerUid(rs))) out.add(rs);
        });
        return out;
    }

    private static String matchLabels(JsonNode selector) {
        List<String> terms = new ArrayList<>();
        selector.path("matchLabels").fields().forEachRemaining(e -> terms.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(",", terms);
    }

    // ------------------------------------------------------------------ scale, restart, promote

    private Plan scale(KubeApi api, Target t, CommandRequest r, List<String> warnings) {
        int replicas;
        try {
            replicas = Integer.parseInt(r.arg("replicas").trim());
        } catch (NumberFormatException e) {
            throw new Refused(Outcome.REFUSED, "replicas must be a whole number, got \"" + r.arg("replicas") + "\"");
        }
        if (replicas < 0) throw new Refused(Outcome.REFUSED, "replicas must be 0 or more, got " + replicas);
        KubeApi.Response hpas = api.get("/apis/autoscaling/v2/namespaces/" + t.namespace() + "/horizontalpodautoscalers");
        if (hpas.ok()) {
            for (JsonNode h : hpas.body().path("items")) {
                JsonNode ref = h.path("spec").path("scaleTargetRef");
                if (ref.path("kind").asText().equals(t.kind().kind()) && ref.path("name").asText().equals(t.name())) {
                    long min = h.path("spec").path("minReplicas").asLong(1);
                    long max = h.path("spec").path("maxReplicas").asLong();
                    warnings.add("HorizontalPodAutoscaler \"" + J.str(h, "metadata", "name") + "\" manages the replicas of " + t.name()
                            + " (min " + min + ", max " + max + "): it will change them again"
                            + (replicas < min || replicas > max ? ", back into " + min + "–" + max : " as load changes"));
                }
            }
        }
        long current = J.num(t.workload(), 1, "spec", "replicas");
        // as kubectl scale --resource-version: the count applies to the workload as read, or not at all (409)
        ObjectNode body = KubeApi.JSON.createObjectNode();
        body.putObject("metadata").put("resourceVersion", J.str(t.workload(), "metadata", "resourceVersion"));
        body.putObject("spec").put("replicas", replicas);
        return new Plan(List.of(new PlannedRequest("PATCH", t.basePath() + "/scale", MERGE_PATCH, body.toString())),
                "scale " + t.name() + " from " + current + " to " + replicas + " replicas", null);
    }

    private Plan restart(Target t) {
        if (t.kind() == WorkloadKind.DEPLOYMENT) {
            String now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (now.equals(J.str(t.workload(), "spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"))) {
                // kubectl's patch would be empty ({}), and it says so instead of sending it
                throw new Refused(Outcome.REFUSED, t.name() + " was restarted within the past second; wait a moment and try again");
            }
            String body = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"" + now + "\"}}}}}";
            return new Plan(List.of(new PlannedRequest("PATCH", t.basePath(), STRATEGIC_PATCH, body)), "restart the pods of " + t.name(), null);
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        return new Plan(List.of(new PlannedRequest("PATCH", t.basePath(), MERGE_PATCH, "{\"spec\":{\"restartAt\":\"" + now + "\"}}")),
                "restart the pods of " + t.name(), null);
    }

    /**
     * As {@code kubectl argo rollouts promote [--full]}: the status patch goes to the status subresource first, the
     * unpause ({@code spec.paused=false}) separately after it; the unified patch is the plugin's fallback for
     * Rollouts without the status subresource.
     */
    private Plan promote(Target t, boolean full) {
        return promotePlan(t.workload(), t.basePath(), t.name(), full);
    }

    /** The promote requests for a Rollout's JSON (static: the plugin's getPatches, testable without a cluster). */
    static Plan promotePlan(JsonNode w, String basePath, String name, boolean full) {
        boolean paused = J.bool(w, "spec", "paused");
        List<PlannedRequest> reqs = new ArrayList<>();
        String statusPatch = null;
        String unified;
        if (full) {
            if (!J.str(w, "status", "currentPodHash").equals(J.str(w, "status", "stableRS"))) {
                statusPatch = "{\"status\":{\"promoteFull\":true}}";
            }
            unified = "{\"spec\":{\"paused\":false},\"status\":{\"promoteFull\":true}}";
        } else {
            unified = "{\"spec\":{\"paused\":false},\"status\":{\"pauseConditions\":null}}";
            JsonNode pcs = J.at(w, "status", "pauseConditions");
            boolean pausedAtStep = pcs != null && pcs.size() > 0;
            JsonNode steps = J.at(w, "spec", "strategy", "canary", "steps");
            boolean hasSteps = J.at(w, "spec", "strategy", "canary") != null && steps != null && steps.size() > 0;
            long index = J.num(w, 0, "status", "currentStepIndex");
            boolean inconclusive = J.at(w, "spec", "strategy", "canary") != null
                    && "Inconclusive".equals(J.str(w, "status", "canary", "currentStepAnalysisRunStatus", "status"));
            if (inconclusive && pausedAtStep && J.bool(w, "status", "controllerPause") && hasSteps) {
                // an inconclusive analysis: the plugin also lifts the controller's pause and moves on one step,
                // or the rollout would stay stuck when the next step is a pause
                statusPatch = "{\"status\":{\"pauseConditions\":null,\"controllerPause\":false,\"currentStepIndex\":"
                        + Math.min(index + 1, steps.size()) + "}}";
            } else if (pausedAtStep) {
                statusPatch = "{\"status\":{\"pauseConditions\":null}}";
            } else if (hasSteps && index < steps.size()) {
                // not paused at a step (e.g. waiting for canary pods or an analysis): skip the current step
                statusPatch = "{\"status\":{\"currentStepIndex\":" + (index + 1) + "}}";
                unified = "{\"spec\":{\"paused\":false},\"status\":{\"pauseConditions\":null,\"currentStepIndex\":" + (index + 1) + "}}";
            }
        }
        if (statusPatch != null) reqs.add(new PlannedRequest("PATCH", basePath + "/status", MERGE_PATCH, statusPatch));
        if (paused) reqs.add(new PlannedRequest("PATCH", basePath, MERGE_PATCH, "{\"spec\":{\"paused\":false}}"));
        String what = full ? "promote " + name + " fully (skip the remaining steps)" : "promote " + name + " to its next step";
        return new Plan(reqs, reqs.isEmpty() ? "nothing to promote: " + name + " is not paused and has no step left" : what,
                new PlannedRequest("PATCH", basePath, MERGE_PATCH, unified));
    }

    private Plan statusPatch(Target t, String body) {
        boolean abort = body.contains("true");
        return new Plan(List.of(new PlannedRequest("PATCH", t.basePath() + "/status", MERGE_PATCH, body)),
                abort ? "cancel the rollout of " + t.name() + " (abort: back to the stable version)" : "retry the aborted rollout of " + t.name(),
                new PlannedRequest("PATCH", t.basePath(), MERGE_PATCH, body));
    }

    // ------------------------------------------------------------------ lookup and permissions

    private Environment environment(String name) {
        for (Environment e : environments) {
            if (e.name().equals(name)) return e;
        }
        throw new NotFoundException("unknown environment \"" + name + "\"", "known environments: "
                + String.join(", ", environments.stream().map(Environment::name).toList()));
    }

    private Target resolve(Environment env, KubeApi api, CommandRequest r) {
        List<Target> found = new ArrayList<>();
        // a namespaced user can only list in the namespaces the environment names, not cluster-wide
        List<String> namespaces = r.namespace() != null && !r.namespace().isEmpty() ? List.of(r.namespace())
                : env.explicitNamespaces().isEmpty() ? java.util.Collections.singletonList(null) : env.explicitNamespaces();
        ShipdeckException unreadable = null;
        for (WorkloadKind kind : WorkloadKind.values()) {
            String group = kind == WorkloadKind.DEPLOYMENT ? "/apis/apps/v1" : "/apis/argoproj.io/v1alpha1";
            String plural = kind == WorkloadKind.DEPLOYMENT ? "deployments" : "rollouts";
            for (String ns : namespaces) {
                KubeApi.Response resp = api.get(group + (ns == null ? "" : "/namespaces/" + ns) + "/" + plural);
                if (resp.code() == 404 && kind == WorkloadKind.ROLLOUT) break; // no Argo Rollouts in this cluster
                if (!resp.ok()) {
                    // remembered, not thrown: a Deployment is still found when only Rollouts are unreadable
                    if (unreadable == null) {
                        // the state a read gives for the same answer (401 advice, 403 reason), so reads and writes agree
                        unreadable = new ClusterException(Failures.http(resp.code(), "cannot list " + kind.kind().toLowerCase(java.util.Locale.ROOT)
                                + "s: " + resp.message(), clients.secrets()), null);
                    }
                    continue;
                }
                for (JsonNode w : resp.body().path("items")) {
                    String wns = J.str(w, "metadata", "namespace");
                    if (env.manages(wns) && r.component().equals(Conventions.componentName(w))
                            && (r.workload() == null || r.workload().isEmpty() || r.workload().equals(J.str(w, "metadata", "name")))) {
                        found.add(new Target(env, kind, w, wns, J.str(w, "metadata", "name")));
                    }
                }
            }
        }
        if (found.isEmpty() && unreadable != null) throw unreadable;
        if (found.isEmpty()) {
            throw new NotFoundException("component \"" + r.component() + "\" not found in environment " + env.name(),
                    "list them with: shipdeck components --environment " + env.name());
        }
        if (found.size() > 1) {
            throw new ShipdeckException("component \"" + r.component() + "\" has " + found.size() + " workloads in " + env.name() + " ("
                    + String.join(", ", found.stream().map(f -> f.namespace() + "/" + f.name()).toList()) + ")",
                    "name one with --namespace and --workload");
        }
        return found.get(0);
    }

    /** SelfSubjectAccessReview for the write a planned request makes. */
    private Availability reviewPath(Environment env, KubeApi api, PlannedRequest p) {
        String[] s = p.path().split("/");
        // /apis/<group>/<version>/namespaces/<ns>/<resource>/<name>[/<sub>]
        String group = s[2];
        String ns = s[5];
        String resource = s[6];
        String name = s[7];
        String sub = s.length > 8 ? s[8] : "";
        return review(env, api, group, resource, sub, ns, name);
    }

    private Availability review(Environment env, KubeApi api, String group, String resource, String sub, String ns, String name) {
        String key = env.context() + "|" + group + "|" + resource + "|" + sub + "|" + ns + "|" + name;
        CachedReview cached = reviews.get(key);
        if (cached != null && System.nanoTime() - cached.atNanos() < REVIEW_TTL_NANOS) return cached.answer();
        AccessReview.Answer review = AccessReview.ask(api.http(), "patch", group, resource, sub, ns, name);
        Availability answer;
        if (!review.answered()) {
            answer = Availability.no("cannot check permissions (" + review.reason() + ")");
        } else if (review.allowed()) {
            answer = Availability.YES;
        } else {
            answer = Availability.no("RBAC: " + whoAmI(env.name()) + " may not patch " + resource + (sub.isEmpty() ? "" : "/" + sub)
                    + " in namespace " + ns + " (" + env.name() + ")");
        }
        reviews.put(key, new CachedReview(answer, System.nanoTime()));
        return answer;
    }
}

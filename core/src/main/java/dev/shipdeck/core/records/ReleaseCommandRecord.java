package dev.shipdeck.core.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.json.J;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code releasecommands.shipdeck.dev} object: a command someone ran (the audit entry, {@code queued=false}) or
 * queued for the agent ({@code queued=true}), and how it ended.
 */
public record ReleaseCommandRecord(String name, String namespace, String resourceVersion, Spec spec, Status status) {

    /**
     * @param workload the Deployment or Rollout, or empty when the component has one
     * @param plannedRelease the Release record planned for this command, or empty
     * @param reason why the person ran it ({@code --reason}, the dialog's Reason field), or empty
     */
    public record Spec(Action action, String environment, String component, String workload, Map<String, String> args,
                       String requester, Instant requestedAt, boolean queued, String plannedRelease, String reason) {
        public Spec {
            environment = ReleaseRecord.nz(environment);
            workload = ReleaseRecord.nz(workload);
            args = args == null ? Map.of() : Map.copyOf(args);
            requester = ReleaseRecord.nz(requester);
            requestedAt = ReleaseRecord.seconds(requestedAt);
            plannedRelease = ReleaseRecord.nz(plannedRelease);
            reason = ReleaseRecord.nz(reason);
        }

        public Spec(Action action, String environment, String component, String workload, Map<String, String> args,
                    String requester, Instant requestedAt, boolean queued, String plannedRelease) {
            this(action, environment, component, workload, args, requester, requestedAt, queued, plannedRelease, "");
        }
    }

    /** @param phase null when never written: the same as QUEUED for a queued command */
    public record Status(CommandPhase phase, String message, Instant startedAt, Instant finishedAt, String executedBy) {
        public static final Status NONE = new Status(null, "", null, null, "");

        public Status {
            message = ReleaseRecord.nz(message);
            executedBy = ReleaseRecord.nz(executedBy);
            startedAt = ReleaseRecord.seconds(startedAt);
            finishedAt = ReleaseRecord.seconds(finishedAt);
        }
    }

    public ReleaseCommandRecord {
        resourceVersion = ReleaseRecord.nz(resourceVersion);
        status = status == null ? Status.NONE : status;
    }

    public CommandPhase phase() {
        return status.phase() == null ? CommandPhase.QUEUED : status.phase();
    }

    public ReleaseCommandRecord withStatus(Status s) {
        return new ReleaseCommandRecord(name, namespace, resourceVersion, spec, s);
    }

    /** The request the agent runs: the component in this record's namespace, on behalf of its requester, with its reason. */
    public CommandRequest request(String environment) {
        return new CommandRequest(spec.action(), environment, spec.component(), namespace,
                spec.workload().isEmpty() ? null : spec.workload(), spec.args(), spec.reason(), spec.requester());
    }

    /** The audit entry, or null while the command has no outcome (queued, running or expired). */
    public CommandRecord toCommandRecord(String environmentName) {
        if (phase().outcome() == null) return null;
        Instant at = status.finishedAt() != null ? status.finishedAt() : spec.requestedAt();
        String who = spec.queued() && !status.executedBy().isEmpty()
                ? spec.requester() + " (queued; run by " + status.executedBy() + ")" : spec.requester();
        return new CommandRecord(namespace + "/" + name, spec.action(), environmentName, spec.component(), namespace,
                spec.workload(), spec.args(), who, at, phase().outcome(), status.message(), spec.reason());
    }

    // ------------------------------------------------------------------ JSON

    public ObjectNode toJson() {
        ObjectNode o = ReleaseRecords.skeleton("ReleaseCommand", name, namespace, resourceVersion, spec.component(), Map.of());
        ObjectNode s = o.putObject("spec");
        s.put("action", spec.action().name()).put("component", spec.component());
        if (!spec.environment().isEmpty()) s.put("environment", spec.environment());
        if (!spec.workload().isEmpty()) s.put("workload", spec.workload());
        ObjectNode args = s.putObject("args");
        spec.args().forEach(args::put);
        s.put("requester", spec.requester()).put("requestedAt", spec.requestedAt().toString()).put("queued", spec.queued());
        if (!spec.plannedRelease().isEmpty()) s.put("plannedRelease", spec.plannedRelease());
        if (!spec.reason().isEmpty()) s.put("reason", spec.reason());
        if (status.phase() != null) o.set("status", statusJson(status));
        return o;
    }

    static ObjectNode statusJson(Status st) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("phase", st.phase().name());
        if (!st.message().isEmpty()) n.put("message", st.message());
        if (st.startedAt() != null) n.put("startedAt", st.startedAt().toString());
        if (st.finishedAt() != null) n.put("finishedAt", st.finishedAt().toString());
        if (!st.executedBy().isEmpty()) n.put("executedBy", st.executedBy());
        return n;
    }

    /** Reads a stored object; null when its action is not one Shipdeck knows. */
    public static ReleaseCommandRecord fromJson(JsonNode o) {
        JsonNode s = o.path("spec");
        Action action;
        try {
            action = Action.valueOf(J.str(s, "action"));
        } catch (IllegalArgumentException unknown) {
            return null;
        }
        Map<String, String> args = new LinkedHashMap<>();
        s.path("args").fields().forEachRemaining(e -> args.put(e.getKey(), e.getValue().asText()));
        Instant requested = J.time(s, "requestedAt");
        if (requested == null) requested = J.time(o, "metadata", "creationTimestamp");
        Spec spec = new Spec(action, J.str(s, "environment"), J.str(s, "component"), J.str(s, "workload"), args,
                J.str(s, "requester"), requested == null ? Instant.EPOCH : requested, J.bool(s, "queued"), J.str(s, "plannedRelease"),
                J.str(s, "reason"));
        JsonNode st = o.path("status");
        CommandPhase phase = J.enumValue(CommandPhase.class, st, "phase");
        return new ReleaseCommandRecord(J.str(o, "metadata", "name"), J.str(o, "metadata", "namespace"),
                J.str(o, "metadata", "resourceVersion"), spec,
                new Status(phase, J.str(st, "message"), J.time(st, "startedAt"), J.time(st, "finishedAt"), J.str(st, "executedBy")));
    }
}

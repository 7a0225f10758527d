package dev.shipdeck.core.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.json.J;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * A {@code releases.shipdeck.dev} object: what was released ({@link Spec}, written once) and how it went
 * ({@link Status}, written through the status subresource).
 *
 * @param resourceVersion as read from the server; empty for a record not yet created
 * @param createdAt the server's creation time of the object; null for a record not yet created
 */
public record ReleaseRecord(String name, String namespace, String resourceVersion, Spec spec, Status status, Instant createdAt) {
    public static final String SOURCE_AGENT = "agent";
    public static final String SOURCE_MARKER = "marker";
    public static final String SOURCE_DERIVED = "derived";

    /** The Deployment or Rollout and the pod template revision a release is about. */
    public record WorkloadRef(WorkloadKind kind, String name, String uid, String templateHash, long revision) {
        public WorkloadRef {
            uid = nz(uid);
            templateHash = nz(templateHash);
        }
    }

    /**
     * @param workload null for markers, which name a component but no workload
     * @param plannedBy the ReleaseCommand that planned this release, or empty
     */
    public record Spec(String component, String environment, WorkloadRef workload, String version, String previousVersion,
                       ReleaseType type, String source, boolean rollback, Trigger trigger, String plannedBy) {
        public Spec {
            previousVersion = nz(previousVersion);
            trigger = trigger == null ? Trigger.NONE : trigger;
            plannedBy = nz(plannedBy);
        }
    }

    /**
     * @param phase null when the status was never written (a writer stopped between create and status update)
     * @param rolloutStep for canaries, e.g. {@code 2/4 pause}
     * @param observedBy the agent or person that wrote this status
     */
    public record Status(ReleaseStatus phase, String message, String failureReason, Instant startedAt, Instant endedAt,
                         String rolloutStep, String observedBy) {
        public static final Status NONE = new Status(null, "", "", null, null, "", "");

        public Status {
            message = nz(message);
            failureReason = nz(failureReason);
            rolloutStep = nz(rolloutStep);
            observedBy = nz(observedBy);
            startedAt = seconds(startedAt);
            endedAt = seconds(endedAt);
        }

        /** PENDING when the status was never written. */
        public ReleaseStatus effectivePhase() {
            return phase == null ? ReleaseStatus.PENDING : phase;
        }
    }

    public ReleaseRecord {
        resourceVersion = nz(resourceVersion);
        status = status == null ? Status.NONE : status;
    }

    /** A record as it is to be written (the server sets the creation time). */
    public ReleaseRecord(String name, String namespace, String resourceVersion, Spec spec, Status status) {
        this(name, namespace, resourceVersion, spec, status, null);
    }

    /** This record with its trigger's commit time set (a marker updated with {@code --commit-time}). */
    public ReleaseRecord withCommitTime(Instant commitTime) {
        Spec p = spec;
        return new ReleaseRecord(name, namespace, resourceVersion, new Spec(p.component(), p.environment(), p.workload(), p.version(),
                p.previousVersion(), p.type(), p.source(), p.rollback(), p.trigger().withCommitTime(commitTime), p.plannedBy()), status, createdAt);
    }

    public ReleaseRecord withStatus(Status s) {
        return new ReleaseRecord(name, namespace, resourceVersion, spec, s, createdAt);
    }

    public ReleaseRecord withSpec(Spec s) {
        return new ReleaseRecord(name, namespace, resourceVersion, s, status, createdAt);
    }

    public boolean terminal() {
        return status.effectivePhase().terminal();
    }

    /** The timeline's view of this record, under the environment name the reader uses for this cluster. */
    public Release toRelease(String environmentName) {
        WorkloadRef w = spec.workload();
        String message = status.failureReason().isEmpty() ? status.message() : status.failureReason();
        return new Release(environmentName + "/" + namespace + "/Release/" + name, spec.component(), environmentName, namespace,
                w == null ? null : w.kind(), w == null ? "" : w.name(), spec.version(), spec.previousVersion(), spec.type(),
                status.effectivePhase(), message, status.startedAt(), status.endedAt(), spec.trigger(), spec.source(),
                spec.rollback(), w == null ? "" : w.templateHash(), w == null ? 0 : w.revision());
    }

    // ------------------------------------------------------------------ JSON

    /** The object as the API server stores it (status included; the status subresource is written separately). */
    public ObjectNode toJson() {
        ObjectNode o = ReleaseRecords.skeleton("Release", name, namespace, resourceVersion, spec.component(),
                Map.of(ReleaseRecords.SOURCE_LABEL, spec.source()));
        ObjectNode s = o.putObject("spec");
        s.put("component", spec.component()).put("environment", spec.environment()).put("version", spec.version());
        if (!spec.previousVersion().isEmpty()) s.put("previousVersion", spec.previousVersion());
        s.put("type", spec.type().name()).put("source", spec.source()).put("rollback", spec.rollback());
        if (!spec.plannedBy().isEmpty()) s.put("plannedBy", spec.plannedBy());
        if (spec.workload() != null) {
            WorkloadRef w = spec.workload();
            ObjectNode wn = s.putObject("workload");
            wn.put("kind", w.kind().kind()).put("name", w.name());
            if (!w.uid().isEmpty()) wn.put("uid", w.uid());
            if (!w.templateHash().isEmpty()) wn.put("templateHash", w.templateHash());
            wn.put("revision", w.revision());
        }
        Trigger t = spec.trigger();
        if (!t.isEmpty()) {
            ObjectNode tn = s.putObject("trigger");
            putIf(tn, "pipelineUrl", t.pipelineUrl());
            putIf(tn, "jobUrl", t.jobUrl());
            putIf(tn, "commitSha", t.commitSha());
            putIf(tn, "commitUrl", t.commitUrl());
            if (t.commitTime() != null) tn.put("commitTime", t.commitTime().toString());
        }
        if (status.phase() != null) o.set("status", statusJson(status));
        return o;
    }

    static ObjectNode statusJson(Status st) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("phase", st.phase().name());
        putIf(n, "message", st.message());
        putIf(n, "failureReason", st.failureReason());
        if (st.startedAt() != null) n.put("startedAt", st.startedAt().toString());
        if (st.endedAt() != null) n.put("endedAt", st.endedAt().toString());
        putIf(n, "rolloutStep", st.rolloutStep());
        putIf(n, "observedBy", st.observedBy());
        return n;
    }

    /** Reads a stored object; lenient with what another version of Shipdeck (or a person) may have written. */
    public static ReleaseRecord fromJson(JsonNode o) {
        JsonNode s = o.path("spec");
        WorkloadRef w = null;
        JsonNode wn = s.get("workload");
        if (wn != null && wn.isObject()) {
            w = new WorkloadRef("Rollout".equals(J.str(wn, "kind")) ? WorkloadKind.ROLLOUT : WorkloadKind.DEPLOYMENT,
                    J.str(wn, "name"), J.str(wn, "uid"), J.str(wn, "templateHash"), J.num(wn, 0, "revision"));
        }
        JsonNode tn = s.path("trigger");
        Trigger t = new Trigger(J.str(tn, "pipelineUrl"), J.str(tn, "jobUrl"), J.str(tn, "commitSha"), J.str(tn, "commitUrl"),
                Trigger.commitTimeOrNull(J.str(tn, "commitTime")));
        String type = J.str(s, "type");
        Spec spec = new Spec(J.str(s, "component"), J.str(s, "environment"), w, J.str(s, "version"), J.str(s, "previousVersion"),
                "PROGRESSIVE".equals(type) ? ReleaseType.PROGRESSIVE : ReleaseType.DEPLOYMENT,
                J.str(s, "source").isEmpty() ? SOURCE_MARKER : J.str(s, "source"), J.bool(s, "rollback"), t, J.str(s, "plannedBy"));
        JsonNode st = o.path("status");
        ReleaseStatus phase = J.enumValue(ReleaseStatus.class, st, "phase");
        Status status = new Status(phase, J.str(st, "message"), J.str(st, "failureReason"), J.time(st, "startedAt"),
                J.time(st, "endedAt"), J.str(st, "rolloutStep"), J.str(st, "observedBy"));
        return new ReleaseRecord(J.str(o, "metadata", "name"), J.str(o, "metadata", "namespace"),
                J.str(o, "metadata", "resourceVersion"), spec, status, J.time(o, "metadata", "creationTimestamp"));
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null && !value.isEmpty()) n.put(field, value);
    }

    static String nz(String s) { return s == null ? "" : s; }

    /** Kubernetes times have whole seconds. */
    static Instant seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS);
    }
}

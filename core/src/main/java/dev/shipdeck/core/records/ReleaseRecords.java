package dev.shipdeck.core.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReadGap;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.kube.Failures;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@code releases.shipdeck.dev} records of one cluster: the shared release history the agent writes as it
 * observes releases and CI writes as deploy markers. Blocking: call from a background thread.
 */
public final class ReleaseRecords {
    public static final String GROUP = "shipdeck.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String COMPONENT_LABEL = "shipdeck.dev/component-name";

    /**
     * The start of a record object: apiVersion, kind, name, namespace, resourceVersion (when known) and the labels
     * every record has — managed by Shipdeck, then {@code extraLabels}, then the component's name when it is a valid
     * label value.
     */
    static ObjectNode skeleton(String kind, String name, String namespace, String resourceVersion, String component,
                               Map<String, String> extraLabels) {
        ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        o.put("apiVersion", API_VERSION).put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name).put("namespace", namespace);
        if (!resourceVersion.isEmpty()) meta.put("resourceVersion", resourceVersion);
        ObjectNode labels = meta.putObject("labels");
        labels.put("app.kubernetes.io/managed-by", "shipdeck");
        extraLabels.forEach(labels::put);
        if (RecordNames.of(component).equals(component)) labels.put(COMPONENT_LABEL, component);
        return o;
    }
    public static final String SOURCE_LABEL = "shipdeck.dev/source";
    public static final ResourceDefinitionContext TYPE = RecordClient.type("releases", "Release");

    private final RecordClient records;

    public ReleaseRecords(KubernetesClient client) {
        this.records = new RecordClient(client, TYPE);
    }

    /** Whether the cluster serves Release records (the CRD is installed). */
    public boolean installed() {
        return records.served();
    }

    /** The records in {@code namespaces} (every namespace when empty). */
    public List<ReleaseRecord> list(List<String> namespaces) {
        return records.list(namespaces).stream().map(ReleaseRecord::fromJson).toList();
    }

    /** The record, or null when there is none of that name. */
    public ReleaseRecord get(String namespace, String name) {
        JsonNode o = records.get(namespace, name);
        return o == null ? null : ReleaseRecord.fromJson(o);
    }

    /**
     * Creates the record, then writes its status (a create cannot carry one). Throws a {@link RecordConflictException}
     * with {@code alreadyExists()} when a record of that name exists.
     */
    public ReleaseRecord create(ReleaseRecord r) {
        ReleaseRecord created = ReleaseRecord.fromJson(records.create(r.toJson()));
        return r.status().phase() == null ? created : writeStatus(created.withStatus(r.status()));
    }

    /** Writes {@code r}'s status; a {@link RecordConflictException} when the record changed since {@code r} was read. */
    public ReleaseRecord writeStatus(ReleaseRecord r) {
        return ReleaseRecord.fromJson(records.updateStatus(r.toJson()));
    }

    /** Writes {@code r}'s spec and labels; a {@link RecordConflictException} when it changed since {@code r} was read. */
    public ReleaseRecord update(ReleaseRecord r) {
        ObjectNode json = r.toJson();
        json.remove("status");
        return ReleaseRecord.fromJson(records.update(json));
    }

    public void delete(ReleaseRecord r) {
        records.delete(r.namespace(), r.name());
    }

    /** The records of an environment's namespaces, as releases under its name, newest first. */
    public List<Release> releases(Environment env) {
        List<Release> out = new ArrayList<>();
        for (ReleaseRecord r : list(env.explicitNamespaces())) {
            if (env.manages(r.namespace())) out.add(r.toRelease(env.name()));
        }
        out.sort(Comparator.comparing(Release::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
        return out;
    }

    /**
     * The environment as Shipdeck shows it: its Release records and the ReplicaSet history they do not cover, and the
     * components that only have deploy markers so far ({@link ReleaseHistory}); the snapshot as it is where the
     * cluster has no records or this user may not read them. What {@code shipdeck timeline} and {@code components}
     * print. Blocking (a discovery and a list request).
     */
    public static EnvironmentSnapshot withRecords(KubernetesClient client, EnvironmentSnapshot snapshot) {
        return history(client, snapshot).snapshot();
    }

    /**
     * The environment with its release history ({@link #withRecords}), saying where the history comes from:
     * {@code derived} when it is the ReplicaSet history of the snapshot alone, and the {@code gap} (else null) when the
     * records exist but could not be read, so the derived history stands in for them (the gap is not added to the
     * snapshot: the caller decides whether it matters for what was asked).
     */
    public record History(EnvironmentSnapshot snapshot, boolean derived, ReadGap gap) {}

    public static History history(KubernetesClient client, EnvironmentSnapshot snapshot) {
        ReleaseRecords records = new ReleaseRecords(client);
        try {
            return records.installed() ? new History(ReleaseHistory.withRecords(snapshot, records.releases(snapshot.environment())), false, null)
                    : new History(snapshot, true, null);
        } catch (ShipdeckException e) {
            // the records cannot be read (RBAC, connection): what the cluster shows still can, and the caller can say so
            int code = e.getCause() instanceof KubernetesClientException ke ? ke.getCode() : 0;
            String reason = code > 0 ? ReadGap.phrase(code) : Failures.describe(e, java.util.Set.of()).reason();
            return new History(snapshot, true, new ReadGap("Release records", TYPE.getPlural() + "." + GROUP, code, reason));
        }
    }
}

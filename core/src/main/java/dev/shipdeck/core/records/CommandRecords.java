package dev.shipdeck.core.records;

import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Trigger;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The {@code releasecommands.shipdeck.dev} records of one cluster: the audit of commands run, and the queue of
 * commands for the agent. Blocking: call from a background thread.
 */
public final class CommandRecords {
    public static final ResourceDefinitionContext TYPE = RecordClient.type("releasecommands", "ReleaseCommand");

    private final KubernetesClient client;
    private final RecordClient records;

    public CommandRecords(KubernetesClient client) {
        this.client = client;
        this.records = new RecordClient(client, TYPE);
    }

    /** Whether the cluster serves ReleaseCommand records (the CRD is installed). */
    public boolean installed() {
        return records.served();
    }

    /** The records in {@code namespaces} (every namespace when empty); objects with an unknown action are skipped. */
    public List<ReleaseCommandRecord> list(List<String> namespaces) {
        return records.list(namespaces).stream().map(ReleaseCommandRecord::fromJson).filter(Objects::nonNull).toList();
    }

    /** An environment's records, newest first. */
    public List<ReleaseCommandRecord> list(Environment env) {
        List<ReleaseCommandRecord> out = new ArrayList<>();
        for (ReleaseCommandRecord r : list(env.explicitNamespaces())) {
            if (env.manages(r.namespace())) out.add(r);
        }
        out.sort(Comparator.comparing((ReleaseCommandRecord r) -> r.spec().requestedAt()).reversed());
        return out;
    }

    /** Creates the record, then writes its status. */
    public ReleaseCommandRecord create(ReleaseCommandRecord r) {
        ReleaseCommandRecord created = ReleaseCommandRecord.fromJson(records.create(r.toJson()));
        return r.status().phase() == null ? created : writeStatus(created.withStatus(r.status()));
    }

    /** Writes the status; a {@link RecordConflictException} when the record changed since {@code r} was read. */
    public ReleaseCommandRecord writeStatus(ReleaseCommandRecord r) {
        return ReleaseCommandRecord.fromJson(records.updateStatus(r.toJson()));
    }

    public void delete(ReleaseCommandRecord r) {
        records.delete(r.namespace(), r.name());
    }

    /**
     * Queues a command for the agent: a ReleaseCommand in the component's namespace, without a status (which reads as
     * QUEUED: the agent may claim it the moment it exists, so nobody else writes its status), and for a restore to a
     * named version a PENDING Release planned by it (the agent completes it when the restore rolls out,
     * or marks it EXPIRED with the command).
     *
     * @param request with the namespace of the component's workload (the agent acts in that namespace only)
     */
    public ReleaseCommandRecord queue(CommandRequest request, String requester, Instant now) {
        if (request.namespace() == null || request.namespace().isEmpty()) {
            throw new IllegalArgumentException("a queued command needs the namespace of its component");
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = RecordNames.of(request.component(), request.action().name(), id);
        String planned = "";
        String toVersion = request.arg("toVersion");
        if (request.action() == dev.shipdeck.core.model.Action.RESTORE_VERSION && !toVersion.isEmpty()) {
            ReleaseRecord release = new ReleaseRecord(RecordNames.of(request.component(), toVersion, "restore", id), request.namespace(), "",
                    new ReleaseRecord.Spec(request.component(), request.environment(), null, toVersion, "", ReleaseType.DEPLOYMENT,
                            ReleaseRecord.SOURCE_AGENT, true, Trigger.NONE, name),
                    new ReleaseRecord.Status(ReleaseStatus.PENDING, "queued: restore " + toVersion + " (requested by " + requester + ")",
                            "", now, null, "", requester));
            planned = new ReleaseRecords(client).create(release).name();
        }
        ReleaseCommandRecord cmd = new ReleaseCommandRecord(name, request.namespace(), "",
                new ReleaseCommandRecord.Spec(request.action(), request.environment(), request.component(),
                        request.workload(), request.args(), requester, now, true, planned, request.reason()),
                ReleaseCommandRecord.Status.NONE);
        return create(cmd);
    }
}

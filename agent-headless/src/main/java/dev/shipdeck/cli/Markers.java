package dev.shipdeck.cli;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.commands.Commands;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.RecordConflictException;
import dev.shipdeck.core.records.RecordNames;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Writing deploy markers: the records, the checks that keep them honest, and what the commands print. */
final class Markers {
    /** One marker, as printed with {@code -o json|yaml}. */
    record Row(String name, String namespace, String component, String environment, String version, String previousVersion,
               String type, String status, String failureReason, String startedAt, String endedAt, String source, boolean rollback) {}

    private Markers() {}

    static ReleaseRecords records(Session session, Environment env) {
        ReleaseRecords records = new ReleaseRecords(session.clients().clientNow(env.context()));
        boolean installed;
        try {
            installed = records.installed();
        } catch (ShipdeckException e) {
            throw ClusterProblems.of(env, e, ExitCodes.FAILED);
        }
        if (!installed) {
            throw new CliException(ExitCodes.FAILED, "environment " + env.name() + " has no Release records: the Shipdeck CRDs are not installed",
                    "install them with: shipdeck install --apply --context " + env.context());
        }
        return records;
    }

    static String whoAmI(Session session, Environment env) {
        return new Commands(session.clients(), List.of(env)).whoAmI(env.name());
    }

    /** The name given, or {@code <component>-<version>-<random>}. */
    static String name(String given, String component, String version) {
        if (given == null || given.isBlank()) return RecordNames.of(component, version, UUID.randomUUID().toString().substring(0, 6));
        if (!given.equals(RecordNames.of(given))) {
            throw new CliException(ExitCodes.USAGE, "\"" + given + "\" cannot name a release",
                    "use at most 63 lower-case letters, digits and '-', e.g. " + RecordNames.of(given));
        }
        return given;
    }

    /** Creates a marker with its status; a name already taken ends the command with USAGE. */
    static ReleaseRecord create(ReleaseRecords records, ReleaseRecord r) {
        try {
            return records.create(r);
        } catch (RecordConflictException e) {
            if (!e.alreadyExists()) throw CliException.of(ExitCodes.FAILED, e);
            throw new CliException(ExitCodes.USAGE, "a release named " + r.name() + " already exists in namespace " + r.namespace(),
                    "leave the name out to get a fresh one, or update it with: shipdeck release update " + r.name());
        }
    }

    static void print(ClusterOptions o, PrintWriter out, ReleaseRecord r, Environment env) {
        if (o.output == OutputFormat.TABLE) {
            out.println(r.name());
        } else {
            ReleaseRecord.Status s = r.status();
            Structured.print(out, o.output, List.of(new Row(r.name(), r.namespace(), r.spec().component(), env.name(), r.spec().version(),
                    r.spec().previousVersion().isEmpty() ? null : r.spec().previousVersion(), r.spec().type().name(),
                    s.effectivePhase().name(), s.failureReason().isEmpty() ? null : s.failureReason(), iso(s.startedAt()),
                    iso(s.endedAt()), r.spec().source(), r.spec().rollback())));
        }
        out.flush();
    }

    static ReleaseStatus status(String text) {
        ReleaseStatus s = Filters.status(text);
        if (s == ReleaseStatus.PENDING || s == ReleaseStatus.EXPIRED || s == ReleaseStatus.LOGGED) {
            throw new CliException(ExitCodes.USAGE, "--status " + text + " cannot be set by an update",
                    "use running, success, failed or cancelled ('release plan' makes PENDING, 'release log' LOGGED)");
        }
        return s;
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}

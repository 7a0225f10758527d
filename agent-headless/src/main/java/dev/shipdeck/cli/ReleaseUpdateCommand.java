package dev.shipdeck.cli;

import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.records.RecordConflictException;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;

/** {@code shipdeck release update}: moves a planned release through its lifecycle. */
@Command(name = "update",
        header = "Move a planned release to running, success, failed or cancelled.",
        description = {
            "Updates the status of a deploy marker made by 'shipdeck release plan'. RUNNING sets its start time, the "
                + "others its end time. A release that has ended (SUCCESS, FAILED, CANCELLED, EXPIRED, LOGGED) keeps its "
                + "status: the update is refused and the command exits with 4. Releases the agent records follow the "
                + "cluster and cannot be updated by hand. Without NAME, the newest unfinished marker of --component-name "
                + "in the namespace is updated."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # The deployment started, then failed",
            "  shipdeck release update \"$NAME\" --environment-name prod-eu --status running",
            "  shipdeck release update \"$NAME\" --environment-name prod-eu --status failed --failure-reason 'smoke tests failed'"})
final class ReleaseUpdateCommand extends NestedClusterCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The release, as 'release plan' printed it.")
    String name;

    @Option(names = "--status", paramLabel = "STATUS", required = true, description = "running, success, failed or cancelled.")
    String status;

    @Option(names = "--failure-reason", paramLabel = "TEXT", description = "Why it failed (with --status failed).")
    String failureReason;

    @Option(names = "--environment-name", paramLabel = "NAME",
            description = "The environment (default: the only one, when the kubeconfig has one context).")
    String environment;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = "default", converter = NamespaceConverter.class,
            description = "The namespace of the record (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--component-name", paramLabel = "NAME", description = "Without NAME: the component whose marker to update.")
    String component;

    @Option(names = "--commit-time", paramLabel = "TIME",
            description = "When the deployed commit was made, if 'release plan' did not say: ISO-8601 (git log -1 --format=%%cI) "
                    + "or Unix seconds (git log -1 --format=%%ct).")
    String commitTime;

    @Override
    int run(Session session) {
        ReleaseStatus next = Markers.status(status);
        if (failureReason != null && next != ReleaseStatus.FAILED) {
            throw new CliException(ExitCodes.USAGE, "--failure-reason goes with --status failed", "leave it out, or use --status failed");
        }
        Instant committed;
        try {
            committed = Trigger.parseCommitTime(commitTime);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--commit-time: " + e.getMessage(), "or leave it out");
        }
        Environment env = environment(session, environment, "--environment-name");
        ReleaseRecords records = Markers.records(session, env);
        String who = Markers.whoAmI(session, env);
        for (int attempt = 0; ; attempt++) {
            ReleaseRecord r = find(records);
            refuse(r, next);
            if (committed != null && !committed.equals(r.spec().trigger().commitTime())) {
                try {
                    r = records.update(r.withCommitTime(committed));
                } catch (RecordConflictException e) {
                    if (attempt >= 2) throw CliException.of(ExitCodes.FAILED, e);
                    continue;
                }
            }
            Instant now = Instant.now();
            ReleaseRecord.Status s = r.status();
            boolean starts = next == ReleaseStatus.RUNNING && s.effectivePhase() != ReleaseStatus.RUNNING;
            Instant started = starts || s.startedAt() == null ? now : s.startedAt();
            String message = next == ReleaseStatus.FAILED && failureReason != null ? failureReason : next.name().toLowerCase(Locale.ROOT);
            ReleaseRecord updated = r.withStatus(new ReleaseRecord.Status(next, message, next == ReleaseStatus.FAILED
                    ? (failureReason == null ? "" : failureReason) : "", started, next.terminal() ? now : null, "", who));
            try {
                Markers.print(cluster, out(), records.writeStatus(updated), env);
                return ExitCodes.OK;
            } catch (RecordConflictException e) {
                if (attempt >= 2) throw CliException.of(ExitCodes.FAILED, e);
            }
        }
    }

    private ReleaseRecord find(ReleaseRecords records) {
        if (name != null) {
            ReleaseRecord r = records.get(namespace, name);
            if (r == null) {
                throw new CliException(ExitCodes.NOT_FOUND, "release " + name + " not found in namespace " + namespace,
                        "check the name 'shipdeck release plan' printed, and --namespace");
            }
            return r;
        }
        if (component == null) {
            throw new CliException(ExitCodes.USAGE, "say which release: give its NAME, or --component-name",
                    "e.g. shipdeck release update checkout-1-4-2-a1b2c3 --status running");
        }
        return records.list(java.util.List.of(namespace)).stream()
                .filter(r -> r.spec().component().equals(component) && ReleaseRecord.SOURCE_MARKER.equals(r.spec().source()) && !r.terminal())
                .max(Comparator.comparing((ReleaseRecord r) -> r.status().startedAt(), Comparator.nullsFirst(Comparator.naturalOrder())))
                .orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "no unfinished release of " + component + " in namespace " + namespace,
                        "plan one first with: shipdeck release plan --component-name " + component));
    }

    private static void refuse(ReleaseRecord r, ReleaseStatus next) {
        ReleaseStatus now = r.status().effectivePhase();
        if (!ReleaseRecord.SOURCE_MARKER.equals(r.spec().source())) {
            throw new CliException(ExitCodes.REFUSED, "release " + r.name() + " is recorded by the Shipdeck agent, not by a deploy marker",
                    "the agent follows what the cluster does; plan a marker of your own with 'shipdeck release plan'");
        }
        if (now.terminal()) {
            throw new CliException(ExitCodes.REFUSED, "release " + r.name() + " has already ended with status " + now
                    + (r.status().endedAt() == null ? "" : " at " + r.status().endedAt()) + "; it cannot become " + next,
                    "a finished release keeps its status: plan a new one with 'shipdeck release plan'");
        }
    }
}

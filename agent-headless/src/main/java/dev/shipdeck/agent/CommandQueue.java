package dev.shipdeck.agent;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.commands.CommandResult;
import dev.shipdeck.core.commands.Commands;
import dev.shipdeck.core.commands.NotFoundException;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.CommandPhase;
import dev.shipdeck.core.records.CommandRecords;
import dev.shipdeck.core.records.RecordConflictException;
import dev.shipdeck.core.records.ReleaseCommandRecord;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Runs the queued ReleaseCommands of the managed namespaces through core's {@link Commands}, as the agent's own
 * Kubernetes identity, oldest first. A command is claimed (RUNNING, written with its resourceVersion) before it runs,
 * so it runs at most once; one not picked up within the window is EXPIRED, and so is the release planned for it. A
 * command found RUNNING that this agent did not start (the previous leader stopped while running it) ends FAILED
 * rather than being sent twice.
 */
final class CommandQueue {
    private final CommandRecords commands;
    private final ReleaseRecords releases;
    private final Commands runner;
    private final String environment;
    private final Duration window;
    private final String identity;
    private final RecordCache cache;
    private final Metrics metrics;
    private final AgentLog log;
    private final Clock clock;
    private final Instant startedAt;

    CommandQueue(CommandRecords commands, ReleaseRecords releases, Commands runner, String environment, Duration window, String identity,
                 RecordCache cache, Metrics metrics, AgentLog log, Clock clock) {
        this.commands = commands;
        this.releases = releases;
        this.runner = runner;
        this.environment = environment;
        this.window = window;
        this.identity = identity;
        this.cache = cache;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** Expires, finishes or runs every queued command once. */
    void run() {
        List<ReleaseCommandRecord> queued = cache.commands().stream()
                .filter(c -> c.spec().queued() && !c.phase().terminal())
                .sorted(Comparator.comparing(c -> c.spec().requestedAt()))
                .toList();
        for (ReleaseCommandRecord c : queued) {
            Instant now = clock.instant();
            if (c.phase() == CommandPhase.RUNNING) {
                Instant began = c.status().startedAt();
                if (began == null || began.isBefore(startedAt) || began.plus(window).isBefore(now)) {
                    finish(c, CommandPhase.FAILED, "interrupted: the agent stopped while running it; check the component and queue it again", now);
                }
            } else if (c.spec().requestedAt().plus(window).isBefore(now)) {
                finish(c, CommandPhase.EXPIRED, "not picked up within " + window.toSeconds() + "s: no Shipdeck agent was running", now);
            } else {
                execute(c, now);
            }
        }
    }

    private void execute(ReleaseCommandRecord c, Instant now) {
        ReleaseCommandRecord claimed;
        try {
            claimed = commands.writeStatus(c.withStatus(new ReleaseCommandRecord.Status(CommandPhase.RUNNING, "running", now, null, who())));
        } catch (RecordConflictException e) {
            metrics.writeConflicts.incrementAndGet();
            return;
        }
        metrics.recordWrites.incrementAndGet();
        cache.put(claimed);
        log.info("running a queued command", "command", c.namespace() + "/" + c.name(), "action", c.spec().action().name(),
                "component", c.spec().component(), "requester", c.spec().requester());
        CommandPhase phase;
        String message;
        try {
            CommandResult result = runner.run(c.request(environment));
            phase = CommandPhase.of(result.outcome());
            message = result.message();
        } catch (ShipdeckException e) {
            phase = e instanceof NotFoundException ? CommandPhase.REFUSED : CommandPhase.FAILED;
            message = e.oneLine();
        }
        finish(claimed, phase, message, clock.instant());
    }

    private void finish(ReleaseCommandRecord c, CommandPhase phase, String message, Instant now) {
        Instant started = c.status().startedAt() != null ? c.status().startedAt() : now;
        ReleaseCommandRecord done;
        try {
            done = commands.writeStatus(c.withStatus(new ReleaseCommandRecord.Status(phase, message, started, now,
                    c.status().executedBy().isEmpty() ? who() : c.status().executedBy())));
        } catch (RecordConflictException e) {
            metrics.writeConflicts.incrementAndGet();
            return;
        }
        metrics.recordWrites.incrementAndGet();
        metrics.executed(phase);
        cache.put(done);
        log.info("queued command finished", "command", c.namespace() + "/" + c.name(), "outcome", phase.name(), "message", message);
        endPlannedRelease(done, phase, message, now);
    }

    /** The release planned for a command that will not roll out ends with it; a successful one is completed by the tracker. */
    private void endPlannedRelease(ReleaseCommandRecord c, CommandPhase phase, String message, Instant now) {
        if (c.spec().plannedRelease().isEmpty() || phase == CommandPhase.SUCCEEDED) return;
        ReleaseRecord planned = cache.releases().stream()
                .filter(r -> r.namespace().equals(c.namespace()) && r.name().equals(c.spec().plannedRelease()))
                .findFirst().orElse(null);
        if (planned == null || planned.terminal()) return;
        ReleaseStatus status = switch (phase) {
            case EXPIRED -> ReleaseStatus.EXPIRED;
            case SKIPPED -> ReleaseStatus.CANCELLED;
            default -> ReleaseStatus.FAILED;
        };
        ReleaseRecord.Status s = planned.status();
        try {
            ReleaseRecord written = releases.writeStatus(planned.withStatus(new ReleaseRecord.Status(status, "command " + c.name()
                    + " " + phase.name().toLowerCase(java.util.Locale.ROOT) + ": " + message,
                    status == ReleaseStatus.FAILED ? message : "", s.startedAt(), now, "", identity)));
            metrics.recordWrites.incrementAndGet();
            cache.put(written);
        } catch (RecordConflictException e) {
            metrics.writeConflicts.incrementAndGet();
        }
    }

    private String who() {
        try {
            return runner.whoAmI(environment);
        } catch (ShipdeckException e) {
            return identity;
        }
    }
}

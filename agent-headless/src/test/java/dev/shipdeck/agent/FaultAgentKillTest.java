package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.sim.SimClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault suite: the agent process is SIGKILLed at random points (seeded: {@code -Dshipdeck.fault.seed=N} replays a
 * schedule; the seed is printed) over 13 revisions of one Deployment: versions that roll out, never become ready, exceed
 * their progress deadline, or live two seconds; some revisions come and go while no agent runs. Afterwards every revision
 * has exactly one record, none is lost or doubled, and each has the status the evidence allows: SUCCESS when an agent
 * saw it available, FAILED when an agent saw it fail, CANCELLED otherwise (KUBERNETES.md, and the rule that
 * reconstructed history never claims a success it did not see).
 */
class FaultAgentKillTest extends AgentFixtureBase {
    private static final long DEFAULT_SEED = 20261201L;
    private static final int STEPS = 12;
    private static final String APP = "web";

    enum Kind { NORMAL, NEVER_READY, DEADLINE, FAST }

    /** Where in a step the agent is killed, if it is. */
    enum Kill { NONE, AFTER_APPLY, WHILE_RUNNING, AFTER_OUTCOME }

    /** @param downFor when killed: how many further revisions are applied before an agent runs again */
    record Step(Kind kind, Kill kill, int downFor, int delayMillis) {}

    /** What the test knows of one revision: what happened in the cluster and what an agent saw. */
    static final class Revision {
        final int number;
        final String version;
        final Kind kind;
        boolean seenAvailable;
        boolean seenFailed;
        /** rolled out, and no later version rolled out since: its ReplicaSet still has every replica available */
        boolean availableNow;
        /** past its progress deadline and still the current revision */
        boolean failingNow;

        Revision(int number, Kind kind) {
            this.number = number;
            this.version = "1." + number + ".0";
            this.kind = kind;
        }

        ReleaseStatus expected() {
            return switch (kind) {
                case NORMAL -> seenAvailable ? ReleaseStatus.SUCCESS : ReleaseStatus.CANCELLED;
                case DEADLINE -> seenFailed ? ReleaseStatus.FAILED : ReleaseStatus.CANCELLED;
                case NEVER_READY, FAST -> ReleaseStatus.CANCELLED;
            };
        }

        @Override
        public String toString() {
            return "r" + number + " " + version + " " + kind + (seenAvailable ? " seen-available" : "") + (seenFailed ? " seen-failed" : "");
        }
    }

    private final List<Revision> revisions = new ArrayList<>();

    /** Generous: on a busy machine an agent process may take most of a minute to start. */
    private static org.awaitility.core.ConditionFactory eventually() {
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100));
    }
    private AgentProcess agent;
    private int agents;

    static List<Step> schedule(Random rnd) {
        while (true) {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < STEPS; i++) {
                Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
                Kill kill = rnd.nextInt(10) < 4 ? Kill.values()[1 + rnd.nextInt(3)] : Kill.NONE;
                if (kill == Kill.AFTER_OUTCOME && (kind == Kind.FAST || kind == Kind.NEVER_READY)) kill = Kill.AFTER_APPLY;
                steps.add(new Step(kind, kill, rnd.nextInt(3), rnd.nextInt(300)));
            }
            Set<Kind> kinds = steps.stream().map(Step::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(Kind.class)));
            Set<Kill> kills = steps.stream().map(Step::kill).collect(Collectors.toCollection(() -> EnumSet.noneOf(Kill.class)));
            boolean longOutage = steps.stream().anyMatch(s -> s.kill() != Kill.NONE && s.downFor() >= 1);
            boolean quickRestart = steps.stream().anyMatch(s -> s.kill() != Kill.NONE && s.downFor() == 0);
            if (kinds.size() == Kind.values().length && kills.size() == Kill.values().length && longOutage && quickRestart) return steps;
        }
    }

    @Test
    void killedAtRandomPointsOverManyRevisionsNothingIsLostDoubledOrMisstatused() {
        long seed = Long.getLong("shipdeck.fault.seed", DEFAULT_SEED);
        List<Step> steps = schedule(new Random(seed));
        System.out.println("FaultAgentKillTest seed " + seed + " (replay with -Dshipdeck.fault.seed=" + seed + "): " + steps);

        startAgent();
        int restartAt = -1;
        for (int i = 0; i < steps.size(); i++) {
            long t0 = System.nanoTime();
            Step step = steps.get(i);
            boolean afterFast = i > 0 && steps.get(i - 1).kind() == Kind.FAST;
            if (agent == null && i >= restartAt && !afterFast) startAgent();
            Revision r = apply(i + 1, step);
            boolean killed = false;
            if (step.kill() == Kill.AFTER_APPLY && agent != null) {
                pause(step.delayMillis()); // the random point: somewhere in the first 300 ms of the rollout
                killed = kill(r);
            } else if (step.kill() == Kill.WHILE_RUNNING && agent != null) {
                eventually().until(() -> record(r) != null && record(r).status().phase() != null);
                killed = kill(r);
            }
            awaitOutcome(r);
            if (step.kill() == Kill.AFTER_OUTCOME && agent != null) killed = kill(r);
            if (killed) restartAt = i + 1 + step.downFor();
            if (r.kind == Kind.FAST) {
                // superseded two (simulated) seconds after it started
                Instant born = created(r);
                eventually().until(() -> fx.sim.clock().now().isAfter(born.plusSeconds(2)));
            }
            System.out.printf("FaultAgentKillTest step %d %s: %d ms, agent %s%n", i + 1, step, (System.nanoTime() - t0) / 1_000_000,
                    agent == null ? "down" : "up");
        }
        if (agent == null) startAgent();
        Revision last = apply(steps.size() + 1, new Step(Kind.NORMAL, Kill.NONE, 0, 0));
        awaitOutcome(last);
        eventually().until(() -> fx.releases(APP).size() == revisions.size() && fx.releases(APP).stream().allMatch(ReleaseRecord::terminal));

        List<ReleaseRecord> records = fx.releases(APP);
        String context = "seed " + seed + ", " + steps + "\nrevisions: " + revisions + "\nrecords: "
                + records.stream().map(x -> x.spec().workload().revision() + " " + x.spec().version() + " " + x.status().phase() + " ("
                + x.status().message() + ")").toList();
        assertThat(records).as(context).extracting(ReleaseRecord::name).doesNotHaveDuplicates();
        assertThat(records).as(context).extracting(x -> x.spec().workload().revision())
                .containsExactlyElementsOf(revisions.stream().map(x -> (long) x.number).toList());
        for (int i = 0; i < revisions.size(); i++) {
            Revision rev = revisions.get(i);
            ReleaseRecord rec = records.get(i);
            String what = rev + ": " + rec.status().phase() + " (" + rec.status().message() + ")\n" + context;
            assertThat(rec.spec().version()).as(what).isEqualTo(rev.version);
            assertThat(rec.spec().previousVersion()).as(what).isEqualTo(i == 0 ? "" : revisions.get(i - 1).version);
            assertThat(rec.status().phase()).as(what).isEqualTo(rev.expected());
            assertThat(rec.status().startedAt()).as(what).isNotNull();
            assertThat(rec.status().endedAt()).as(what).isNotNull().isAfterOrEqualTo(rec.status().startedAt());
            assertThat(rec.status().observedBy()).as(what).startsWith("agent-");
            if (i + 1 < revisions.size()) {
                String next = revisions.get(i + 1).version;
                switch (rec.status().phase()) {
                    case SUCCESS -> assertThat(rec.status().message()).as(what).satisfiesAnyOf(
                            m -> assertThat(m).isEqualTo("deployment \"" + APP + "\" successfully rolled out"),
                            m -> assertThat(m).startsWith("superseded by " + next + " after it was available ("));
                    case CANCELLED -> assertThat(rec.status().message()).as(what).startsWith("superseded by " + next + " ");
                    default -> { }
                }
            }
            if (rec.status().phase() == ReleaseStatus.CANCELLED) {
                assertThat(rec.status().endedAt()).as("%s ends when the next one starts", what).isEqualTo(records.get(i + 1).status().startedAt());
            }
            if (rec.status().phase() == ReleaseStatus.FAILED) {
                assertThat(rec.status().failureReason()).as(what).contains("exceeded its progress deadline");
            }
        }
        System.out.println("FaultAgentKillTest seed " + seed + ": " + agents + " agent processes, outcomes "
                + records.stream().map(x -> x.spec().version() + "=" + x.status().phase()).toList());
    }

    // ------------------------------------------------------------------ the steps

    private Revision apply(int number, Step step) {
        Revision r = new Revision(number, step.kind());
        boolean slow = step.kill() == Kill.WHILE_RUNNING;
        // when the agent is to be killed while the record says RUNNING, the outcome comes later (3 s instead of 1 s)
        switch (step.kind()) {
            case NORMAL -> fx.deploy(APP, r.version, slow ? 60 : 20, false, 3600);
            case NEVER_READY -> fx.deploy(APP, r.version, 1, true, 3600);
            case DEADLINE -> fx.deploy(APP, r.version, 1, true, slow ? 60 : 20);
            case FAST -> fx.deploy(APP, r.version, 100_000, false, 3600);
        }
        for (Revision before : revisions) before.failingNow = false;
        revisions.add(r);
        eventually().until(() -> fx.replicaSets(APP).containsKey(r.version));
        return r;
    }

    /** Waits for what the revision comes to in the cluster and, while an agent runs, for its record to say so. */
    private void awaitOutcome(Revision r) {
        switch (r.kind) {
            case NORMAL -> {
                fx.awaitRolledOut(APP, r.version);
                for (Revision before : revisions) before.availableNow = false;
                r.availableNow = true;
                if (agent != null) {
                    awaitRecord(r, ReleaseStatus.SUCCESS);
                    r.seenAvailable = true;
                }
            }
            case DEADLINE -> {
                eventually().until(() -> "ProgressDeadlineExceeded".equals(progressing()));
                r.failingNow = true;
                if (agent != null) {
                    awaitRecord(r, ReleaseStatus.FAILED);
                    r.seenFailed = true;
                }
            }
            case NEVER_READY -> {
                if (agent != null) awaitRecord(r, ReleaseStatus.RUNNING);
            }
            case FAST -> { }
        }
    }

    /** The reason of the Deployment's Progressing condition, once the controller has seen its current spec. */
    private String progressing() {
        JsonNode d = fx.deployment(APP);
        if (d.path("status").path("observedGeneration").asLong() != d.path("metadata").path("generation").asLong()) return "";
        for (JsonNode c : d.path("status").path("conditions")) {
            if ("Progressing".equals(c.path("type").asText())) return c.path("reason").asText();
        }
        return "";
    }

    /**
     * A new agent process (as a pod restarted by its Deployment): once it leads, it has caught up with everything the
     * cluster still shows, and the test waits for the records to say so.
     */
    private void startAgent() {
        long t0 = System.nanoTime();
        agent = AgentProcess.start(fx.kubeconfig, "agent-" + (++agents), "--lease-duration", "2s", "--renew-deadline", "1500ms",
                "--retry-period", "500ms", "--resync", "500ms");
        AgentProcess a = agent;
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> a.get("/readyz").statusCode() == 200 && a.leading());
        for (Revision r : revisions) {
            if (r.availableNow) {
                awaitRecord(r, ReleaseStatus.SUCCESS);
                r.seenAvailable = true;
            }
            if (r.failingNow) {
                awaitRecord(r, ReleaseStatus.FAILED);
                r.seenFailed = true;
            }
        }
        eventually().until(() -> revisions.stream().allMatch(r -> record(r) != null && record(r).status().phase() != null));
        System.out.printf("FaultAgentKillTest agent-%d leading and caught up after %d ms%n", agents, (System.nanoTime() - t0) / 1_000_000);
    }

    /** SIGKILL; whether the revision's outcome made it into its record before the agent died decides what it saw. */
    private boolean kill(Revision r) {
        agent.kill();
        agent.close();
        agent = null;
        ReleaseRecord rec = record(r);
        if (rec != null && rec.status().phase() == ReleaseStatus.SUCCESS) r.seenAvailable = true;
        if (rec != null && rec.status().phase() == ReleaseStatus.FAILED) r.seenFailed = true;
        return true;
    }

    private void awaitRecord(Revision r, ReleaseStatus status) {
        eventually().until(() -> record(r) != null && record(r).status().phase() == status);
    }

    private ReleaseRecord record(Revision r) {
        Map<Long, ReleaseRecord> byRevision = new HashMap<>();
        for (ReleaseRecord x : fx.releases(APP)) byRevision.put(x.spec().workload().revision(), x);
        return byRevision.get((long) r.number);
    }

    private Instant created(Revision r) {
        return SimClock.parse(fx.replicaSets(APP).get(r.version).at("/metadata/creationTimestamp").asText());
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void stopAgent() {
        if (agent != null) agent.close();
    }
}

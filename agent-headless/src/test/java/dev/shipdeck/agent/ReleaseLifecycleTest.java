package dev.shipdeck.agent;

import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.Retention;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.shipdeck.agent.AgentFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent follows releases as {@code kubectl rollout status} and the Argo plugin see them, and its records end with
 * the right statuses, times and previous versions: a success, a progress-deadline failure, one superseded while
 * running, a canary paused then promoted, and a canary cancelled.
 */
@Tag("real")
class ReleaseLifecycleTest extends AgentFixtureBase {
    @BeforeEach
    void startAgent() {
        fx.agent("agent-1", Duration.ofMinutes(10), Retention.DEFAULT);
    }

    private static void assertTimes(ReleaseRecord r) {
        assertThat(r.status().startedAt()).as("%s started", r.name()).isNotNull();
        assertThat(r.status().endedAt()).as("%s ended", r.name()).isNotNull().isAfterOrEqualTo(r.status().startedAt());
    }

    @Test
    void aSuccessfulReleaseRunsThenSucceedsWithItsPreviousVersion() {
        fx.deploy("web", "1.0.0");
        ReleaseRecord first = fx.awaitReleases("web", 1, ReleaseStatus.SUCCESS).get(0);
        assertThat(first.spec().source()).isEqualTo("agent");
        assertThat(first.spec().previousVersion()).isEmpty();

        // ready after 400 simulated seconds (20 s at the sim's speed 20): long enough for a loaded machine's agent to
        // record the RUNNING state before it ends (60 s, i.e. 3 s, was shorter than an agent write under load)
        fx.deploy("web", "2.0.0", 400, false, 1200);
        ReleaseRecord running = fx.awaitReleases("web", 2, ReleaseStatus.RUNNING).get(1);
        assertThat(running.status().endedAt()).isNull();
        List<ReleaseRecord> done = fx.awaitReleases("web", 2, ReleaseStatus.SUCCESS);

        ReleaseRecord second = done.get(1);
        assertThat(second.spec().version()).isEqualTo("2.0.0");
        assertThat(second.spec().previousVersion()).isEqualTo("1.0.0");
        assertThat(second.spec().type()).isEqualTo(ReleaseType.DEPLOYMENT);
        assertThat(second.spec().rollback()).isFalse();
        assertThat(second.spec().workload().revision()).isEqualTo(2);
        assertThat(second.name()).isEqualTo("web-" + second.spec().workload().templateHash() + "-2");
        assertThat(second.status().observedBy()).isEqualTo("agent-1");
        assertTimes(second);
        assertThat(second.status().startedAt()).isAfterOrEqualTo(first.status().startedAt());
        assertThat(done.get(0).status().phase()).as("the first release is finished and stays as it was").isEqualTo(ReleaseStatus.SUCCESS);
    }

    @Test
    void aReleasePastItsProgressDeadlineFails() {
        fx.deploy("api", "1.0.0", 2, false, 10);
        fx.awaitReleases("api", 1, ReleaseStatus.SUCCESS);

        fx.deploy("api", "1.1.0", 2, true, 10);
        ReleaseRecord failed = fx.awaitReleases("api", 2, ReleaseStatus.FAILED).get(1);

        assertThat(failed.status().failureReason()).contains("exceeded its progress deadline");
        assertThat(failed.spec().previousVersion()).isEqualTo("1.0.0");
        assertTimes(failed);
    }

    @Test
    void aReleaseSupersededWhileRunningIsCancelled() {
        fx.deploy("worker", "1.0.0");
        fx.awaitReleases("worker", 1, ReleaseStatus.SUCCESS);
        fx.deploy("worker", "2.0.0", 2, true, 600);
        fx.awaitReleases("worker", 2, ReleaseStatus.RUNNING);

        fx.deploy("worker", "3.0.0");
        fx.awaitReleases("worker", 3, ReleaseStatus.SUCCESS);
        // the records are written one by one: the superseded one may be updated just after the new one finished
        eventually().until(() -> fx.releases("worker").get(1).status().phase() == ReleaseStatus.CANCELLED);
        List<ReleaseRecord> rs = fx.releases("worker");

        ReleaseRecord superseded = rs.get(1);
        assertThat(superseded.status().phase()).isEqualTo(ReleaseStatus.CANCELLED);
        assertThat(superseded.status().message()).isEqualTo("superseded by 3.0.0 while running");
        assertTimes(superseded);
        assertThat(superseded.status().endedAt()).isEqualTo(rs.get(2).status().startedAt());
        assertThat(rs.get(2).spec().previousVersion()).isEqualTo("2.0.0");
        assertThat(rs).extracting(r -> r.spec().version()).containsExactly("1.0.0", "2.0.0", "3.0.0");
    }

    @Test
    void aCanaryPausedThenPromotedSucceedsAndACancelledOneIsCancelled() {
        fx.rollout("cart", "1.0.0");
        ReleaseRecord first = fx.awaitReleases("cart", 1, ReleaseStatus.SUCCESS).get(0);
        assertThat(first.spec().type()).isEqualTo(ReleaseType.PROGRESSIVE);

        fx.rollout("cart", "2.0.0");
        // (the real Argo controller moves to the pause step one sync before it pauses there: the record follows it)
        eventually().until(() -> fx.releases("cart").size() == 2 && fx.releases("cart").get(1).status().rolloutStep().equals("2/2 pause")
                && fx.releases("cart").get(1).status().message().startsWith("awaiting promotion"));
        ReleaseRecord paused = fx.releases("cart").get(1);
        assertThat(paused.status().phase()).isEqualTo(ReleaseStatus.RUNNING);

        assertThat(fx.command(Action.PROMOTE, "cart", Map.of()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        ReleaseRecord promoted = fx.awaitReleases("cart", 2, ReleaseStatus.SUCCESS).get(1);
        assertThat(promoted.spec().type()).isEqualTo(ReleaseType.PROGRESSIVE);
        assertThat(promoted.spec().previousVersion()).isEqualTo("1.0.0");
        assertThat(promoted.status().rolloutStep()).isEqualTo("2/2 done");
        assertTimes(promoted);

        fx.rollout("cart", "3.0.0");
        eventually().until(() -> fx.releases("cart").size() == 3 && fx.releases("cart").get(2).status().rolloutStep().equals("2/2 pause"));
        assertThat(fx.command(Action.CANCEL, "cart", Map.of()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        ReleaseRecord cancelled = fx.awaitReleases("cart", 3, ReleaseStatus.CANCELLED).get(2);
        assertThat(cancelled.spec().previousVersion()).isEqualTo("2.0.0");
        assertTimes(cancelled);
        assertThat(fx.releases("cart")).extracting(r -> r.status().phase())
                .containsExactly(ReleaseStatus.SUCCESS, ReleaseStatus.SUCCESS, ReleaseStatus.CANCELLED);
    }
}

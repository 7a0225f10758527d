package dev.shipdeck.agent;

import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.ReleaseRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.shipdeck.agent.AgentFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL the agent process in the middle of a running release and start it again: the release is completed, and no
 * release is missing or recorded twice — also one that happened entirely while no agent ran.
 */
@Tag("real")
class AgentRestartTest extends AgentFixtureBase {
    @Test
    void aKilledAgentCompletesTheReleaseInFlightWithoutDuplicates() {
        fx.deploy("web", "1.0.0");
        try (AgentProcess first = fx.agentProcess("agent-a")) {
            fx.awaitReleases("web", 1, ReleaseStatus.SUCCESS);
            fx.deploy("web", "2.0.0", 200, false, 600);
            fx.awaitReleases("web", 2, ReleaseStatus.RUNNING);
            first.kill();
            assertThat(first.log()).as("JSON lines only").isNotEmpty();
        }
        try (AgentProcess second = fx.agentProcess("agent-b")) {
            fx.awaitReleases("web", 2, ReleaseStatus.SUCCESS);
            ReleaseRecord completed = fx.releases("web").get(1);
            assertThat(completed.status().observedBy()).isEqualTo("agent-b");
            assertThat(completed.spec().version()).isEqualTo("2.0.0");
            assertThat(completed.spec().previousVersion()).isEqualTo("1.0.0");
            assertThat(completed.status().endedAt()).isAfterOrEqualTo(completed.status().startedAt());
            second.kill();
        }

        fx.deploy("web", "3.0.0");
        eventually().until(() -> fx.target.awaitQuiet(java.time.Duration.ofSeconds(1)));
        try (AgentProcess third = fx.agentProcess("agent-c")) {
            fx.awaitReleases("web", 3, ReleaseStatus.SUCCESS);
            List<ReleaseRecord> all = fx.releases("web");
            assertThat(all).extracting(r -> r.spec().version()).containsExactly("1.0.0", "2.0.0", "3.0.0");
            assertThat(all).extracting(ReleaseRecord::name).doesNotHaveDuplicates();
            assertThat(all).extracting(r -> r.spec().workload().revision()).containsExactly(1L, 2L, 3L);
            assertThat(all.get(2).spec().previousVersion()).isEqualTo("2.0.0");
            assertThat(third.metric("shipdeck_releases{status=\"success\"}")).isEqualTo(3);
        }
    }
}

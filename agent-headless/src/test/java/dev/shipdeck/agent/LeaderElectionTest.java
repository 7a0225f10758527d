package dev.shipdeck.agent;

import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.ReleaseRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.shipdeck.agent.AgentFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two agents against one cluster: exactly one writes records at a time, and killing it hands over to the other. */
@Tag("real")
class LeaderElectionTest extends AgentFixtureBase {
    @Test
    void oneAgentWritesAtATimeAndTheStandbyTakesOverWhenTheLeaderDies() {
        try (AgentProcess a = fx.agentProcess("agent-a"); AgentProcess b = fx.agentProcess("agent-b")) {
            eventually().until(() -> a.get("/readyz").statusCode() == 200 && b.get("/readyz").statusCode() == 200);
            eventually().until(() -> a.leading() ^ b.leading());
            AgentProcess leader = a.leading() ? a : b;
            AgentProcess standby = leader == a ? b : a;

            fx.deploy("web", "1.0.0");
            fx.awaitReleases("web", 1, ReleaseStatus.SUCCESS);
            fx.deploy("web", "2.0.0", 20, false, 600);
            fx.awaitReleases("web", 2, ReleaseStatus.SUCCESS);
            assertThat(fx.releases("web")).extracting(r -> r.status().observedBy()).containsOnly(leader.identity);
            assertThat(leader.metric("shipdeck_record_writes_total")).isGreaterThanOrEqualTo(2);
            assertThat(standby.metric("shipdeck_record_writes_total")).as("the standby writes nothing").isZero();
            assertThat(standby.leading()).isFalse();

            leader.kill();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(standby::leading);

            fx.deploy("web", "3.0.0");
            fx.awaitReleases("web", 3, ReleaseStatus.SUCCESS);
            List<ReleaseRecord> all = fx.releases("web");
            assertThat(all.get(2).status().observedBy()).isEqualTo(standby.identity);
            assertThat(all.get(2).spec().previousVersion()).isEqualTo("2.0.0");
            assertThat(all).extracting(r -> r.spec().version()).containsExactly("1.0.0", "2.0.0", "3.0.0");
            assertThat(standby.metric("shipdeck_record_writes_total")).isGreaterThanOrEqualTo(1);
            assertThat(standby.log()).anySatisfy(l -> assertThat(l.path("msg").asText()).startsWith("leading"));
        }
    }
}

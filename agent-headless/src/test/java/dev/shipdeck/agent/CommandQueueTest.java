package dev.shipdeck.agent;

import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.CommandPhase;
import dev.shipdeck.core.records.CommandRecords;
import dev.shipdeck.core.records.ReleaseCommandRecord;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.Retention;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.shipdeck.agent.AgentFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Queued commands: the agent runs them and records the outcome; one nobody picks up in time becomes EXPIRED. */
class CommandQueueTest extends AgentFixtureBase {
    private ReleaseCommandRecord queue(Action action, String component, Map<String, String> args, Instant at) {
        return new CommandRecords(fx.client).queue(new CommandRequest(action, "sim", component, AgentFixture.NS, null, args), "alice", at);
    }

    private ReleaseCommandRecord awaitFinished(String name) {
        eventually().until(() -> fx.commands().stream().anyMatch(c -> c.name().equals(name) && c.phase().terminal()));
        return fx.commands().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aQueuedCommandIsRunAsTheAgentAndRecorded() {
        fx.deploy("web", "1.0.0");
        fx.agent("agent-1", Duration.ofMinutes(5), Retention.DEFAULT);
        fx.awaitReleases("web", 1, ReleaseStatus.SUCCESS);

        ReleaseCommandRecord scale = queue(Action.SCALE, "web", Map.of("replicas", "4"), Instant.now());
        ReleaseCommandRecord done = awaitFinished(scale.name());

        assertThat(done.phase()).isEqualTo(CommandPhase.SUCCEEDED);
        assertThat(done.spec().requester()).isEqualTo("alice");
        assertThat(done.status().executedBy()).as("run with the agent's own identity").isEqualTo(ClusterSim.ADMIN);
        assertThat(done.status().startedAt()).isNotNull();
        assertThat(done.status().finishedAt()).isAfterOrEqualTo(done.status().startedAt());
        assertThat(fx.client.apps().deployments().inNamespace(AgentFixture.NS).withName("web").get().getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void aQueuedCommandLeavesAnEventNamingWhoQueuedItWhoRanItAndWhy() {
        fx.deploy("web", "1.0.0");
        fx.agent("agent-1", Duration.ofMinutes(5), Retention.DEFAULT);
        fx.awaitReleases("web", 1, ReleaseStatus.SUCCESS);

        ReleaseCommandRecord scale = new CommandRecords(fx.client).queue(new CommandRequest(Action.SCALE, "sim", "web", AgentFixture.NS, null,
                Map.of("replicas", "3"), "traffic from the newsletter", ""), "alice", Instant.now());
        assertThat(scale.spec().reason()).isEqualTo("traffic from the newsletter");
        assertThat(awaitFinished(scale.name()).phase()).isEqualTo(CommandPhase.SUCCEEDED);

        var events = fx.client.v1().events().inNamespace(AgentFixture.NS).list().getItems().stream()
                .filter(e -> "ShipdeckScale".equals(e.getReason())).toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).isEqualTo("alice (queued; run by " + ClusterSim.ADMIN + ") scaled web from 2 to 3 replicas: "
                    + "traffic from the newsletter");
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Deployment");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
            assertThat(e.getReportingComponent()).isEqualTo("shipdeck");
        });
    }

    @Test
    void aQueuedRestoreCompletesTheReleaseItPlanned() {
        fx.deploy("web", "1.0.0");
        fx.agent("agent-1", Duration.ofMinutes(5), Retention.DEFAULT);
        fx.awaitReleases("web", 1, ReleaseStatus.SUCCESS);
        fx.deploy("web", "2.0.0");
        fx.awaitReleases("web", 2, ReleaseStatus.SUCCESS);

        ReleaseCommandRecord restore = queue(Action.RESTORE_VERSION, "web", Map.of("toVersion", "1.0.0"), Instant.now());
        assertThat(restore.spec().plannedRelease()).isNotEmpty();
        assertThat(awaitFinished(restore.name()).phase()).isEqualTo(CommandPhase.SUCCEEDED);

        fx.awaitReleases("web", 3, ReleaseStatus.SUCCESS);
        ReleaseRecord restored = fx.releases("web").get(2);
        assertThat(restored.name()).as("the planned record is completed, not a second one").isEqualTo(restore.spec().plannedRelease());
        assertThat(restored.spec().version()).isEqualTo("1.0.0");
        assertThat(restored.spec().previousVersion()).isEqualTo("2.0.0");
        assertThat(restored.spec().rollback()).isTrue();
        assertThat(restored.spec().workload().revision()).isEqualTo(3);
    }

    @Test
    void aCommandQueuedWhileNoAgentRunsExpiresWithItsPlannedRelease() throws InterruptedException {
        fx.deploy("web", "1.0.0");
        fx.cluster.awaitQuiet(Duration.ofSeconds(10));
        fx.deploy("web", "2.0.0");
        ReleaseCommandRecord restore = queue(Action.RESTORE_VERSION, "web", Map.of("toVersion", "1.0.0"), Instant.now());
        Thread.sleep(2500);

        fx.agent("agent-1", Duration.ofSeconds(2), Retention.DEFAULT);
        ReleaseCommandRecord expired = awaitFinished(restore.name());

        assertThat(expired.phase()).isEqualTo(CommandPhase.EXPIRED);
        assertThat(expired.status().message()).contains("not picked up within 2s");
        eventually().until(() -> fx.releases("web").stream().anyMatch(r -> r.name().equals(restore.spec().plannedRelease())
                && r.status().phase() == ReleaseStatus.EXPIRED));
        assertThat(fx.client.apps().deployments().inNamespace(AgentFixture.NS).withName("web").get().getSpec().getTemplate()
                .getMetadata().getLabels()).as("nothing was restored").containsEntry("shipdeck.dev/version", "2.0.0");
        List<ReleaseRecord> releases = fx.releases("web");
        assertThat(releases).filteredOn(r -> r.spec().workload() != null).extracting(r -> r.spec().version() + "@" + r.spec().source())
                .as("the history found on first sight, and no restore").containsExactly("1.0.0@derived", "2.0.0@agent");
    }
}

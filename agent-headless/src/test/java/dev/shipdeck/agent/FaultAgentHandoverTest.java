package dev.shipdeck.agent;

import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.ReleaseRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.shipdeck.agent.AgentFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault suite: two agent processes against one cluster, the leader stopped as Kubernetes stops a pod (SIGTERM: it gives
 * the lease up, the standby takes over at once) and then killed (SIGKILL: the standby takes over when the lease
 * expires) in the middle of a release that finishes and is superseded before the new leader writes. Only the leader
 * writes, nothing is recorded twice, and the release that finished while no agent led is a success, because the
 * evidence (what the standby saw, and its ReplicaSet still fully available) says so.
 */
class FaultAgentHandoverTest extends AgentFixtureBase {
    private static final String[] LEASE = {"--lease-duration", "10s", "--renew-deadline", "8s", "--retry-period", "1s"};

    private static AgentProcess start(AgentFixture fx, String identity) {
        return AgentProcess.start(fx.kubeconfig, identity, LEASE);
    }

    private static void awaitReady(AgentProcess... agents) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            for (AgentProcess a : agents) {
                if (a.get("/readyz").statusCode() != 200) return false;
            }
            return true;
        });
    }

    @Test
    void sigtermHandsOverAtOnceAndAKilledLeadersReleaseIsCompletedByTheStandby() {
        try (AgentProcess a = start(fx, "agent-a"); AgentProcess b = start(fx, "agent-b")) {
            awaitReady(a, b);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> a.leading() ^ b.leading());
            AgentProcess first = a.leading() ? a : b;
            AgentProcess second = first == a ? b : a;
            fx.deploy("web", "1.0.0");
            fx.awaitReleases("web", 1, ReleaseStatus.SUCCESS);

            // SIGTERM: the leader gives the lease up on its way out; the standby need not wait for it to expire (10 s)
            first.stop();
            long stopped = System.nanoTime();
            // a clean stop: the shutdown hook gave the lease up and stopped the agent (the JVM then exits with 143)
            assertThat(first.log()).anySatisfy(l -> assertThat(l.path("msg").asText()).isEqualTo("released the leader lease"));
            assertThat(first.log()).anySatisfy(l -> assertThat(l.path("msg").asText()).isEqualTo("agent stopped"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(second::leading);
            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).as("took over the released lease").isLessThan(Duration.ofSeconds(9));
            fx.deploy("web", "2.0.0");
            fx.awaitReleases("web", 2, ReleaseStatus.SUCCESS);

            try (AgentProcess third = start(fx, "agent-c")) {
                awaitReady(third);
                assertThat(third.leading()).isFalse();
                // a release that takes 5 s: the leader records it RUNNING and is killed
                fx.deploy("web", "3.0.0", 100, false, 3600);
                eventually().until(() -> fx.releases("web").size() == 3 && fx.releases("web").get(2).status().phase() == ReleaseStatus.RUNNING);
                second.kill();
                // it finishes while no agent leads, and a version that never becomes ready follows it
                fx.awaitRolledOut("web", "3.0.0");
                fx.deploy("web", "4.0.0", 2, true, 3600);
                assertThat(third.metric("shipdeck_record_writes_total")).as("a standby writes nothing").isZero();

                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(third::leading);
                eventually().until(() -> fx.releases("web").size() == 4 && fx.releases("web").get(2).terminal());
                fx.deploy("web", "5.0.0");
                fx.awaitReleases("web", 5, ReleaseStatus.SUCCESS);
                eventually().until(() -> fx.releases("web").stream().allMatch(ReleaseRecord::terminal));

                List<ReleaseRecord> rs = fx.releases("web");
                assertThat(rs).extracting(ReleaseRecord::name).doesNotHaveDuplicates();
                assertThat(rs).extracting(r -> r.spec().version()).containsExactly("1.0.0", "2.0.0", "3.0.0", "4.0.0", "5.0.0");
                assertThat(rs).extracting(r -> r.status().phase()).containsExactly(ReleaseStatus.SUCCESS, ReleaseStatus.SUCCESS,
                        ReleaseStatus.SUCCESS, ReleaseStatus.CANCELLED, ReleaseStatus.SUCCESS);
                assertThat(rs).extracting(r -> r.status().observedBy())
                        .containsExactly(first.identity, second.identity, third.identity, third.identity, third.identity);
                assertThat(rs.get(2).status().message()).startsWith("superseded by 4.0.0 after it was available (seen ");
                assertThat(rs.get(3).status().message()).isEqualTo("superseded by 5.0.0 while running");
                assertThat(rs).allSatisfy(r -> assertThat(r.status().endedAt()).isNotNull().isAfterOrEqualTo(r.status().startedAt()));
                assertThat(third.metric("shipdeck_releases{status=\"success\"}")).isEqualTo(4);
            }
        }
    }
}

package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import dev.shipdeck.sim.SimClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.shipdeck.agent.AgentFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * History the agent did not watch: revisions started and replaced while no agent ran, and a record whose writer died
 * before its status was written. A revision is SUCCESS only with evidence that it was available; the others are
 * CANCELLED with what was seen in the message, and every record has its times.
 */
class ReconstructedHistoryTest extends AgentFixtureBase {
    @Test
    void revisionsStartedAndReplacedWhileNoAgentRanAreNotCalledSuccess() {
        fx.deploy("web", "1.0.0");
        try (AgentProcess first = AgentProcess.start(fx.kubeconfig, "agent-a")) {
            fx.awaitReleases("web", 1, ReleaseStatus.SUCCESS);
            first.kill();
        }
        // while no agent runs: a version that never becomes ready, one that lives 2 s, then one that rolls out
        fx.deploy("web", "1.1.0", 2, true, 600);
        eventually().until(() -> fx.replicaSets("web").containsKey("1.1.0"));
        fx.deploy("web", "1.2.0", 120, false, 600);
        eventually().until(() -> fx.replicaSets("web").containsKey("1.2.0"));
        Instant born = SimClock.parse(fx.replicaSets("web").get("1.2.0").at("/metadata/creationTimestamp").asText());
        eventually().until(() -> fx.sim.clock().now().isAfter(born.plusSeconds(2)));
        fx.deploy("web", "1.3.0");
        fx.awaitRolledOut("web", "1.3.0");

        try (AgentProcess second = AgentProcess.start(fx.kubeconfig, "agent-b")) {
            List<ReleaseRecord> rs = fx.awaitReleases("web", 4, ReleaseStatus.SUCCESS);
            eventually().until(() -> fx.releases("web").stream().allMatch(ReleaseRecord::terminal));
            rs = fx.releases("web");
            assertThat(rs).extracting(r -> r.spec().version()).containsExactly("1.0.0", "1.1.0", "1.2.0", "1.3.0");
            assertThat(rs).extracting(r -> r.status().phase())
                    .containsExactly(ReleaseStatus.SUCCESS, ReleaseStatus.CANCELLED, ReleaseStatus.CANCELLED, ReleaseStatus.SUCCESS);
            ReleaseRecord neverReady = rs.get(1);
            ReleaseRecord shortLived = rs.get(2);
            assertThat(neverReady.status().message()).startsWith("superseded by 1.2.0 before an agent saw it available (")
                    .contains("0 of 2 replicas available now");
            assertThat(shortLived.status().message()).startsWith("superseded by 1.3.0 before an agent saw it available (");
            for (ReleaseRecord r : rs) {
                assertThat(r.status().startedAt()).as("%s started", r.name()).isNotNull();
                assertThat(r.status().endedAt()).as("%s ended", r.name()).isNotNull().isAfterOrEqualTo(r.status().startedAt());
            }
            assertThat(neverReady.status().endedAt()).as("ends when the next one starts").isEqualTo(shortLived.status().startedAt());
            assertThat(shortLived.status().endedAt()).isEqualTo(rs.get(3).status().startedAt());
            assertThat(rs).extracting(r -> r.spec().previousVersion()).containsExactly("", "1.0.0", "1.1.0", "1.2.0");
            assertThat(rs.get(0).status().observedBy()).as("the finished record is left as it was").isEqualTo("agent-a");
            assertThat(rs).extracting(ReleaseRecord::name).doesNotHaveDuplicates();
            assertThat(second.metric("shipdeck_releases{status=\"cancelled\"}")).isEqualTo(2);
        }
    }

    @Test
    void aRecordWhoseWriterDiedBeforeItsStatusGetsAStartTime() {
        fx.deploy("api", "1.0.0");
        fx.awaitRolledOut("api", "1.0.0");
        fx.deploy("api", "2.0.0", 2, true, 600);
        eventually().until(() -> fx.replicaSets("api").containsKey("2.0.0"));
        // what an agent killed between creating the records and writing their status leaves behind
        ReleaseRecords records = new ReleaseRecords(fx.client);
        for (String v : List.of("1.0.0", "2.0.0")) records.create(statusless("api", v));
        assertThat(fx.releases("api")).allSatisfy(r -> assertThat(r.status().phase()).isNull());
        fx.deploy("api", "3.0.0");
        fx.awaitRolledOut("api", "3.0.0");

        try (AgentProcess agent = AgentProcess.start(fx.kubeconfig, "agent-c")) {
            fx.awaitReleases("api", 3, ReleaseStatus.SUCCESS);
            eventually().until(() -> fx.releases("api").stream().allMatch(ReleaseRecord::terminal));
            List<ReleaseRecord> rs = fx.releases("api");
            assertThat(rs).extracting(r -> r.spec().version()).containsExactly("1.0.0", "2.0.0", "3.0.0");
            for (ReleaseRecord r : rs) {
                JsonNode replicaSet = fx.replicaSets("api").get(r.spec().version());
                assertThat(r.status().startedAt()).as("%s started when its ReplicaSet was created", r.name())
                        .isEqualTo(SimClock.parse(replicaSet.at("/metadata/creationTimestamp").asText()));
                assertThat(r.status().endedAt()).as("%s ended", r.name()).isNotNull().isAfterOrEqualTo(r.status().startedAt());
                assertThat(r.status().observedBy()).isEqualTo("agent-c");
            }
            assertThat(rs.get(0).status().phase()).as("1.0.0 was available, but no agent saw it: not claimed a success")
                    .isEqualTo(ReleaseStatus.CANCELLED);
            assertThat(rs.get(1).status().phase()).isEqualTo(ReleaseStatus.CANCELLED);
            assertThat(rs.get(1).status().message()).startsWith("superseded by 3.0.0 before an agent saw it available");
        }
    }

    /** The Release record of a version of {@code name}, as the agent creates it before writing its status. */
    private ReleaseRecord statusless(String name, String version) {
        JsonNode rs = fx.replicaSets(name).get(version);
        JsonNode d = fx.deployment(name);
        ReleaseRecord.WorkloadRef ref = new ReleaseRecord.WorkloadRef(WorkloadKind.DEPLOYMENT, name, d.at("/metadata/uid").asText(),
                rs.at("/metadata/labels/pod-template-hash").asText(), Long.parseLong(rs.at("/metadata/annotations/deployment.kubernetes.io~1revision").asText()));
        ReleaseRecord.Spec spec = new ReleaseRecord.Spec(name, "sim", ref, version, "", ReleaseType.DEPLOYMENT, ReleaseRecord.SOURCE_AGENT,
                false, null, "");
        return new ReleaseRecord(dev.shipdeck.core.records.RecordNames.release(name, ref.templateHash(), ref.revision()), AgentFixture.NS,
                "", spec, ReleaseRecord.Status.NONE);
    }
}

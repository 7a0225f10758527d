package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.status.SnapshotBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evidence rule on its own, with the cluster's objects as the API server returns them: what an agent saw (also as a
 * standby) decides whether a revision superseded before its record ended was a success, after its ReplicaSet has been
 * scaled down and nothing in the cluster says so any more. The agent-process tests cover the same through real agents;
 * these pin down the cases whose timing those cannot force.
 */
class ReleaseTrackerEvidenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Environment ENV = new Environment("sim", "sim", "", List.of(), Labels.NONE, 0);
    private static final String UID = "uid-web";
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    /** Revision {@code rev} of web (version {@code 1.<rev>}), with {@code available} of 2 replicas available. */
    private static ObjectNode replicaSet(int rev, int replicas, int available) {
        ObjectNode rs = JSON.createObjectNode();
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", "web-h" + rev).put("namespace", "shop").put("uid", "rs-" + rev)
                .put("creationTimestamp", T0.plusSeconds(60L * rev).toString());
        meta.putObject("labels").put("pod-template-hash", "h" + rev);
        meta.putObject("annotations").put("deployment.kubernetes.io/revision", Integer.toString(rev));
        meta.putArray("ownerReferences").addObject().put("controller", true).put("uid", UID).put("kind", "Deployment").put("name", "web");
        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", replicas);
        spec.putObject("template").putObject("metadata").putObject("labels").put("shipdeck.dev/version", "1." + rev);
        rs.putObject("status").put("replicas", replicas).put("readyReplicas", available).put("availableReplicas", available);
        return rs;
    }

    /** web at revision {@code rev}: rolled out, still rolling out, or past its progress deadline. */
    private static ObjectNode deployment(int rev, String state) {
        ObjectNode d = JSON.createObjectNode();
        ObjectNode meta = d.putObject("metadata");
        meta.put("name", "web").put("namespace", "shop").put("uid", UID).put("generation", rev).put("creationTimestamp", T0.toString());
        meta.putObject("labels").put("shipdeck.dev/component-name", "web");
        meta.putObject("annotations").put("deployment.kubernetes.io/revision", Integer.toString(rev));
        ObjectNode spec = d.putObject("spec");
        spec.put("replicas", 2);
        spec.putObject("template").putObject("metadata").putObject("labels").put("shipdeck.dev/version", "1." + rev);
        ObjectNode st = d.putObject("status");
        st.put("observedGeneration", rev).put("replicas", 2);
        boolean done = state.equals("rolled out");
        st.put("updatedReplicas", done ? 2 : 1).put("availableReplicas", done ? 2 : 0).put("readyReplicas", done ? 2 : 0);
        ObjectNode progressing = st.putArray("conditions").addObject().put("type", "Progressing")
                .put("lastUpdateTime", T0.plusSeconds(60L * rev + 30).toString());
        progressing.put("status", state.equals("deadline") ? "False" : "True")
                .put("reason", state.equals("deadline") ? "ProgressDeadlineExceeded" : done ? "NewReplicaSetAvailable" : "ReplicaSetUpdated");
        return d;
    }

    private static EnvironmentSnapshot snapshot(JsonNode deployment, JsonNode... replicaSets) {
        return SnapshotBuilder.build(ENV, ConnectionState.CONNECTED, new SnapshotBuilder.Inputs(List.of(deployment), List.of(),
                List.of(replicaSets), List.of(), List.of(), false));
    }

    /** The record of revision {@code rev} as an earlier agent left it. */
    private static ReleaseRecord record(int rev, ReleaseStatus phase) {
        ReleaseRecord.WorkloadRef ref = new ReleaseRecord.WorkloadRef(WorkloadKind.DEPLOYMENT, "web", UID, "h" + rev, rev);
        ReleaseRecord.Spec spec = new ReleaseRecord.Spec("web", "sim", ref, "1." + rev, rev == 1 ? "" : "1." + (rev - 1),
                ReleaseType.DEPLOYMENT, ReleaseRecord.SOURCE_AGENT, false, null, "");
        ReleaseRecord.Status status = new ReleaseRecord.Status(phase, "", "", T0.plusSeconds(60L * rev), phase.terminal() ? T0.plusSeconds(60L * rev + 30) : null,
                "", "agent-old");
        return new ReleaseRecord("web-h" + rev + "-" + rev, "shop", "7", spec, status);
    }

    private static ReleaseRecord.Status statusOf(List<ReleaseTracker.Change> changes, int rev) {
        return changes.stream().filter(c -> c.record().spec().workload().revision() == rev).findFirst()
                .map(c -> c.record().status()).orElseThrow(() -> new AssertionError("no write for revision " + rev + ": " + changes));
    }

    @Test
    void aRevisionSeenRolledOutByAStandbyIsASuccessAfterItsReplicaSetIsScaledDown() {
        ReleaseTracker tracker = new ReleaseTracker("agent-b");
        // as a standby: revision 2 rolls out while another agent leads (and dies before writing it)
        tracker.observe(snapshot(deployment(2, "rolling out"), replicaSet(1, 1, 1), replicaSet(2, 1, 0)), T0.plusSeconds(125));
        tracker.observe(snapshot(deployment(2, "rolled out"), replicaSet(1, 0, 0), replicaSet(2, 2, 2)), T0.plusSeconds(160));
        // leading, after revision 3 rolled out and revision 2 was scaled to 0
        EnvironmentSnapshot now = snapshot(deployment(3, "rolled out"), replicaSet(1, 0, 0), replicaSet(2, 0, 0), replicaSet(3, 2, 2));
        List<ReleaseTracker.Change> changes = tracker.plan(now, List.of(record(1, ReleaseStatus.SUCCESS), record(2, ReleaseStatus.RUNNING)),
                T0.plusSeconds(400));

        ReleaseRecord.Status two = statusOf(changes, 2);
        assertThat(two.phase()).isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(two.message()).isEqualTo("superseded by 1.3 after it was available (seen rolled out: deployment \"web\" successfully rolled out)");
        assertThat(two.startedAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(two.endedAt()).as("when it was seen rolled out (the Progressing condition's time)").isEqualTo(T0.plusSeconds(150));
        assertThat(two.observedBy()).isEqualTo("agent-b");
        assertThat(statusOf(changes, 3).phase()).isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(changes).extracting(c -> c.record().spec().workload().revision()).as("a finished record is never written").doesNotContain(1L);
    }

    @Test
    void withoutThatEvidenceTheSameRecordIsCancelledSayingWhatWasSeen() {
        ReleaseTracker tracker = new ReleaseTracker("agent-b");
        EnvironmentSnapshot now = snapshot(deployment(3, "rolled out"), replicaSet(1, 0, 0), replicaSet(2, 0, 0), replicaSet(3, 2, 2));
        List<ReleaseTracker.Change> changes = tracker.plan(now, List.of(record(1, ReleaseStatus.SUCCESS), record(2, ReleaseStatus.RUNNING)),
                T0.plusSeconds(400));

        ReleaseRecord.Status two = statusOf(changes, 2);
        assertThat(two.phase()).isEqualTo(ReleaseStatus.CANCELLED);
        assertThat(two.message()).isEqualTo("superseded by 1.3 after it was last seen running; not seen available since (no agent was watching)");
        assertThat(two.endedAt()).as("when 1.3 started").isEqualTo(T0.plusSeconds(180));
    }

    @Test
    void anOldReplicaSetStillFullyAvailableIsEvidenceAndAFailureSeenIsAFailure() {
        ReleaseTracker tracker = new ReleaseTracker("agent-b");
        // seen as a standby: revision 2 past its progress deadline while revision 1 still serves
        tracker.observe(snapshot(deployment(2, "deadline"), replicaSet(1, 2, 2), replicaSet(2, 1, 0)), T0.plusSeconds(300));
        // then revision 3 is shipped and is still rolling out: 1 keeps its 2 available replicas, 2 is scaled down
        EnvironmentSnapshot now = snapshot(deployment(3, "rolling out"), replicaSet(1, 2, 2), replicaSet(2, 0, 0), replicaSet(3, 1, 0));
        List<ReleaseTracker.Change> changes = tracker.plan(now, List.of(record(1, ReleaseStatus.RUNNING), record(2, ReleaseStatus.RUNNING)),
                T0.plusSeconds(400));

        assertThat(statusOf(changes, 1).phase()).isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(statusOf(changes, 1).message()).isEqualTo("superseded by 1.2 after it was available (seen with 2 of 2 replicas of web-h1 available)");
        ReleaseRecord.Status two = statusOf(changes, 2);
        assertThat(two.phase()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(two.failureReason()).isEqualTo("deployment \"web\" exceeded its progress deadline");
        assertThat(statusOf(changes, 3).phase()).isEqualTo(ReleaseStatus.RUNNING);
    }

    @Test
    void whatIsRememberedIsWhatTheClusterStillHas() {
        ReleaseTracker tracker = new ReleaseTracker("agent-b");
        tracker.observe(snapshot(deployment(2, "rolled out"), replicaSet(1, 2, 2), replicaSet(2, 2, 2)), T0);
        assertThat(tracker.remembered()).isEqualTo(2);
        // revision 1's ReplicaSet is gone (history limit), and so is the whole workload afterwards
        tracker.observe(snapshot(deployment(2, "rolled out"), replicaSet(2, 2, 2)), T0.plusSeconds(10));
        assertThat(tracker.remembered()).isEqualTo(1);
        tracker.observe(SnapshotBuilder.build(ENV, ConnectionState.CONNECTED, new SnapshotBuilder.Inputs(List.of(), List.of(),
                new ArrayList<>(), List.of(), List.of(), false)), T0.plusSeconds(20));
        assertThat(tracker.remembered()).isZero();
    }

    @Test
    void aRevisionAvailableOnlyBetweenTwoSnapshotsIsASuccessByTheWatchEventThatShowedIt() {
        ReleaseTracker tracker = new ReleaseTracker("agent-b");
        tracker.observe(snapshot(deployment(2, "rolling out"), replicaSet(1, 2, 2), replicaSet(2, 1, 0)), T0.plusSeconds(125));
        // one watch event, no snapshot: revision 2's ReplicaSet had every replica its Deployment wanted available
        ObjectNode available = replicaSet(2, 2, 2);
        ((ObjectNode) available.path("metadata").path("annotations")).put("deployment.kubernetes.io/desired-replicas", "2");
        tracker.noteObject("ReplicaSet", available, T0.plusSeconds(150));
        // a ReplicaSet short of its Deployment's replicas, and other kinds, are no evidence
        ObjectNode partial = replicaSet(3, 2, 1);
        ((ObjectNode) partial.path("metadata").path("annotations")).put("deployment.kubernetes.io/desired-replicas", "2");
        tracker.noteObject("ReplicaSet", partial, T0.plusSeconds(170));
        tracker.noteObject("Deployment", deployment(3, "rolling out"), T0.plusSeconds(170));
        // the next snapshot: revision 3 is rolling out and revision 2 is half scaled down
        EnvironmentSnapshot now = snapshot(deployment(3, "rolling out"), replicaSet(1, 0, 0), replicaSet(2, 1, 1), replicaSet(3, 2, 1));
        List<ReleaseTracker.Change> changes = tracker.plan(now, List.of(record(1, ReleaseStatus.SUCCESS), record(2, ReleaseStatus.RUNNING)),
                T0.plusSeconds(200));

        ReleaseRecord.Status two = statusOf(changes, 2);
        assertThat(two.phase()).isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(two.message()).isEqualTo("superseded by 1.3 after it was available (seen with 2 of 2 replicas of web-h2 available)");
        assertThat(two.endedAt()).as("when the event showed it available").isEqualTo(T0.plusSeconds(150));
        assertThat(statusOf(changes, 3).phase()).isEqualTo(ReleaseStatus.RUNNING);
    }

    @Test
    void beforeTheControllerMakesTheNewReplicaSetTheOldReleaseIsNotRunningAgain() {
        // web's template is 1.2 now, but the controller has not made its ReplicaSet yet: only revision 1's is there
        EnvironmentSnapshot window = snapshot(deployment(2, "rolling out"), replicaSet(1, 2, 2));
        assertThat(window.releases()).singleElement().satisfies(r -> {
            assertThat(r.version()).isEqualTo("1.1");
            assertThat(r.status()).as("a finished release does not show the new template's RUNNING").isEqualTo(ReleaseStatus.SUCCESS);
        });

        ReleaseTracker tracker = new ReleaseTracker("agent-b");
        List<ReleaseTracker.Change> changes = tracker.plan(window, List.of(record(1, ReleaseStatus.RUNNING)), T0.plusSeconds(130));
        assertThat(changes).as("nothing is decided about revision 1 until revision 2 appears").isEmpty();
    }
}

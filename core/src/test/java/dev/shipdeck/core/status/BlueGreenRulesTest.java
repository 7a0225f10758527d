package dev.shipdeck.core.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.StatusVerdict;
import dev.shipdeck.core.workload.WorkloadFacts;
import dev.shipdeck.core.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blue-green Rollouts case by case on plain JSON, as the Argo plugin's GetRolloutPhase decides them: the phase the
 * controller wrote, and (controllers before 1.0, no phase) the computed one with blue-green's own rules (the active
 * service cutover, post-promotion analysis or verification); and how the facts read the strategy and its defaults.
 * End to end (cluster-sim, real controller): {@link RolloutStatusTest}.
 */
class BlueGreenRulesTest {
    /** A blue-green Rollout at 1.1 (hash new) whose preview is up and whose active service still selects old. */
    static ObjectNode rollout(String extraStatus) {
        return RolloutRulesTest.json("""
                {'metadata': {'name': 'web', 'generation': 2, 'uid': 'u1'},
                 'spec': {'replicas': 2, 'strategy': {'blueGreen': {'activeService': 'web-active', 'previewService': 'web-preview',
                          'autoPromotionEnabled': false}}},
                 'status': {'observedGeneration': '2', 'replicas': 4, 'updatedReplicas': 2, 'availableReplicas': 2,
                            'stableRS': 'old', 'currentPodHash': 'new',
                            'blueGreen': {'activeSelector': 'old', 'previewSelector': 'new'} %s}}
                """.formatted(extraStatus));
    }

    static ObjectNode status(ObjectNode r) { return (ObjectNode) r.get("status"); }

    @Test
    void pausedForPromotionIsRunningAwaitingPromotion() {
        ObjectNode r = rollout(", 'phase': 'Paused', 'message': 'BlueGreenPause', 'controllerPause': true,"
                + " 'pauseConditions': [{'reason': 'BlueGreenPause', 'startTime': '2026-01-01T00:00:00Z'}]");
        StatusVerdict v = StatusRules.rollout(r);
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.phase()).isEqualTo("Paused");
        assertThat(v.awaitingPromotion()).isTrue();
        assertThat(v.message()).isEqualTo("awaiting promotion (BlueGreenPause)");
        // computed (no phase): the same
        status(r).remove("phase");
        status(r).remove("message");
        assertThat(StatusRules.rollout(r).message()).isEqualTo("awaiting promotion (BlueGreenPause)");
    }

    @Test
    void promotedButNotYetSwitchedIsUnpausingThenProgressing() {
        // the plugin cleared the pause conditions; the controller has not reacted yet
        ObjectNode r = rollout(", 'phase': 'Paused', 'message': 'BlueGreenPause', 'controllerPause': true, 'pauseConditions': []");
        assertThat(StatusRules.rollout(r).message()).isEqualTo("waiting for rollout to unpause");
        ObjectNode computed = rollout("");
        StatusVerdict v = StatusRules.rollout(computed);
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.message()).isEqualTo("active service cutover pending");
    }

    @Test
    void switchedButNotStableWaitsForPostPromotionAnalysisOrVerification() {
        ObjectNode r = rollout("");
        ((ObjectNode) status(r).get("blueGreen")).put("activeSelector", "new");
        assertThat(StatusRules.rollout(r).message()).isEqualTo("waiting for post-promotion verification to complete");
        ((ObjectNode) r.at("/spec/strategy/blueGreen")).putObject("postPromotionAnalysis").putArray("templates").addObject()
                .put("templateName", "smoke");
        assertThat(StatusRules.rollout(r).message()).isEqualTo("waiting for analysis to complete");
        ((ObjectNode) status(r).get("blueGreen")).putObject("postPromotionAnalysisRunStatus").put("name", "web-new-2-post")
                .put("status", "Running");
        assertThat(StatusRules.rollout(r).message()).isEqualTo("waiting for analysis to complete");
        ((ObjectNode) status(r).at("/blueGreen/postPromotionAnalysisRunStatus")).put("status", "Successful");
        assertThat(StatusRules.rollout(r).message()).isEqualTo("waiting for post-promotion verification to complete");
    }

    @Test
    void switchedAndStableIsHealthyWhileTheOldReplicaSetWaitsForItsScaleDown() {
        ObjectNode r = rollout("");
        ((ObjectNode) status(r).get("blueGreen")).put("activeSelector", "new");
        status(r).put("stableRS", "new");
        // 4 replicas, 2 updated: the old ReplicaSet is still up during scaleDownDelaySeconds — blue-green is Healthy
        StatusVerdict v = StatusRules.rollout(r);
        assertThat(v.status()).isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(v.phase()).isEqualTo("Healthy");
    }

    @Test
    void previewStillComingUpIsProgressing() {
        ObjectNode r = rollout("");
        status(r).put("updatedReplicas", 1);
        assertThat(StatusRules.rollout(r).message()).isEqualTo("more replicas need to be updated");
        status(r).put("updatedReplicas", 2).put("availableReplicas", 1);
        assertThat(StatusRules.rollout(r).message()).isEqualTo("updated replicas are still becoming available");
    }

    @Test
    void abortedByAPersonIsCancelledAndByAFailedAnalysisIsFailedWithItsReason() {
        ObjectNode person = rollout(", 'abort': true, 'phase': 'Degraded', 'message': 'RolloutAborted: Rollout aborted update to revision 2'");
        StatusVerdict cancelled = StatusRules.rollout(person);
        assertThat(cancelled.status()).isEqualTo(ReleaseStatus.CANCELLED);
        assertThat(cancelled.aborted()).isTrue();

        String why = "RolloutAborted: Rollout aborted update to revision 2: Metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0)";
        ObjectNode analysis = rollout(", 'abort': true, 'phase': 'Degraded', 'message': '" + why.replace("\"", "\\\"") + "'");
        StatusVerdict failed = StatusRules.rollout(analysis);
        assertThat(failed.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(failed.message()).isEqualTo(why);
    }

    @Test
    void factsReadTheStrategyWithArgosDefaults() {
        ObjectNode r = rollout("");
        WorkloadFacts f = WorkloadFacts.of(WorkloadKind.ROLLOUT, r);
        WorkloadFacts.BlueGreen bg = f.blueGreen();
        assertThat(bg).isNotNull();
        assertThat(bg.activeService()).isEqualTo("web-active");
        assertThat(bg.previewService()).isEqualTo("web-preview");
        assertThat(bg.autoPromotionEnabled()).isFalse();
        assertThat(bg.scaleDownDelaySeconds()).isEqualTo(30);
        assertThat(bg.abortScaleDownDelaySeconds()).isEqualTo(30);
        assertThat(bg.previewReplicaCount()).isEqualTo(-1);
        assertThat(bg.activeSelector()).isEqualTo("old");
        assertThat(bg.previewSelector()).isEqualTo("new");
        assertThat(f.canary().hasCanary()).isFalse();

        ((ObjectNode) r.at("/spec/strategy/blueGreen")).remove("autoPromotionEnabled");
        ((ObjectNode) r.at("/spec/strategy/blueGreen")).put("scaleDownDelaySeconds", 0).put("previewReplicaCount", 1);
        WorkloadFacts.BlueGreen defaults = WorkloadFacts.of(WorkloadKind.ROLLOUT, r).blueGreen();
        assertThat(defaults.autoPromotionEnabled()).isTrue();
        assertThat(defaults.scaleDownDelaySeconds()).isZero();
        assertThat(defaults.previewReplicaCount()).isEqualTo(1);
        ((ObjectNode) r.at("/spec/strategy")).remove("blueGreen");
        ((ObjectNode) r.at("/spec/strategy")).putObject("canary");
        assertThat(WorkloadFacts.of(WorkloadKind.ROLLOUT, r).blueGreen()).isNull();
    }
}

package dev.shipdeck.core.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.StatusVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corner cases of KUBERNETES.md's Rollout rules on plain JSON: when the controller's phase is used, the order of
 * the computed rules, and how a Degraded Rollout tells a person's abort from a failure. The end-to-end checks
 * against cluster-sim are in {@link RolloutStatusTest}.
 */
class RolloutRulesTest {
    static ObjectNode json(String text) {
        return DeploymentRulesTest.json(text);
    }

    /** A Rollout at generation 4 whose status is complete, but whose phase was set for generation 3. */
    ObjectNode stale() {
        return json("""
                {'metadata': {'name': 'web', 'generation': 4},
                 'spec': {'replicas': 2},
                 'status': {'observedGeneration': '3', 'phase': 'Degraded', 'message': 'RolloutAborted: old news',
                            'replicas': 2, 'updatedReplicas': 2, 'availableReplicas': 2,
                            'stableRS': 'abc', 'currentPodHash': 'abc'}}
                """);
    }

    ObjectNode status(ObjectNode r) { return (ObjectNode) r.get("status"); }

    void condition(ObjectNode r, String type, String reason, String message) {
        status(r).withArray("conditions").addObject().put("type", type).put("status", "False").put("reason", reason)
                .put("message", message);
    }

    /**
     * As the Argo plugin (GetRolloutPhase): a status the controller wrote for an older generation says nothing about
     * this one, however complete it looks. Found by the real tier: the agent recorded a canary SUCCESS at the moment
     * its new template was applied, before the real controller had seen it.
     */
    @Test
    void aPhaseOfAnOlderGenerationIsProgressingUntilTheControllerObservesTheNewOne() {
        StatusVerdict v = StatusRules.rollout(stale());
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.phase()).isEqualTo("Progressing");
        assertThat(v.message()).isEqualTo("waiting for rollout spec update to be observed");
        ObjectNode healthy = stale();
        status(healthy).put("phase", "Healthy").remove("message");
        assertThat(StatusRules.rollout(healthy).status()).isEqualTo(ReleaseStatus.RUNNING);
    }

    @Test
    void anObservedGenerationThatIsNotANumberOrIsAheadCountsAsObserved() {
        ObjectNode hash = stale();
        status(hash).put("observedGeneration", "6f7d9c8b5");
        assertThat(StatusRules.rollout(hash).phase()).isEqualTo("Degraded");
        ObjectNode ahead = stale();
        status(ahead).put("observedGeneration", "5");
        assertThat(StatusRules.rollout(ahead).phase()).isEqualTo("Degraded");
    }

    @Test
    void clearedPauseConditionsWithTheControllersPauseStillOnAreUnpausing() {
        ObjectNode r = stale();
        status(r).put("observedGeneration", "4").put("phase", "Paused").put("message", "CanaryPauseStep").put("controllerPause", true);
        StatusVerdict v = StatusRules.rollout(r);
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.phase()).isEqualTo("Progressing");
        assertThat(v.message()).isEqualTo("waiting for rollout to unpause");
        assertThat(v.awaitingPromotion()).isFalse();
    }

    @Test
    void missingPhaseIsComputedEvenWhenObserved() {
        ObjectNode r = stale();
        status(r).remove("phase");
        status(r).put("observedGeneration", "4").put("availableReplicas", 1);
        assertThat(StatusRules.rollout(r).message()).isEqualTo("updated replicas are still becoming available");
    }

    @Test
    void observedPhaseIsUsedWhetherObservedGenerationIsTextOrNumber() {
        ObjectNode r = stale();
        status(r).put("observedGeneration", 4);
        assertThat(StatusRules.rollout(r).phase()).isEqualTo("Degraded");
        status(r).put("observedGeneration", "4");
        assertThat(StatusRules.rollout(r).phase()).isEqualTo("Degraded");
    }

    @Test
    void computedRulesApplyInThePluginsOrder() {
        ObjectNode r = stale();
        condition(r, "InvalidSpec", "InvalidSpec", "bad steps");
        ((ObjectNode) status(r).path("conditions").get(0)).put("status", "True");
        condition(r, "Progressing", "RolloutAborted", "Rollout aborted update to revision 4");
        ((ObjectNode) r.get("spec")).put("paused", true).put("restartAt", "2026-01-01T11:00:00Z");
        status(r).putArray("pauseConditions").addObject().put("reason", "CanaryPauseStep");
        status(r).put("updatedReplicas", 1).put("availableReplicas", 0).put("currentPodHash", "def");

        assertThat(StatusRules.computePhase(r)).containsExactly("Degraded", "InvalidSpec: bad steps");
        status(r).withArray("conditions").remove(0);
        assertThat(StatusRules.computePhase(r)).containsExactly("Degraded", "RolloutAborted: Rollout aborted update to revision 4");
        status(r).withArray("conditions").removeAll();
        condition(r, "Progressing", "ProgressDeadlineExceeded", "timed out");
        assertThat(StatusRules.computePhase(r)).containsExactly("Degraded", "ProgressDeadlineExceeded: timed out");
        status(r).withArray("conditions").removeAll();
        assertThat(StatusRules.computePhase(r)).containsExactly("Paused", "manually paused");
        ((ObjectNode) r.get("spec")).put("paused", false);
        assertThat(StatusRules.computePhase(r)).containsExactly("Paused", "CanaryPauseStep");
        status(r).remove("pauseConditions");
        assertThat(StatusRules.computePhase(r)[0]).isEqualTo("Progressing");
        assertThat(StatusRules.computePhase(r)[1]).contains("restart");
        status(r).put("restartedAt", "2026-01-01T11:00:00Z");
        assertThat(StatusRules.computePhase(r)).containsExactly("Progressing", "more replicas need to be updated");
        status(r).put("updatedReplicas", 2);
        assertThat(StatusRules.computePhase(r)).containsExactly("Progressing", "updated replicas are still becoming available");
        status(r).put("availableReplicas", 2);
        assertThat(StatusRules.computePhase(r)).containsExactly("Progressing", "waiting for all steps to complete");
        status(r).put("currentPodHash", "abc");
        assertThat(StatusRules.computePhase(r)).containsExactly("Healthy", "");
    }

    @Test
    void absentReplicasMeansOne() {
        ObjectNode r = stale();
        status(r).put("observedGeneration", "4").remove("phase");
        ((ObjectNode) r.get("spec")).remove("replicas");
        status(r).put("updatedReplicas", 0).put("availableReplicas", 0);
        assertThat(StatusRules.rollout(r).message()).isEqualTo("more replicas need to be updated");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "RolloutAborted: Rollout aborted update to revision 4 | CANCELLED",
            "RolloutAborted: Rollout aborted update to revision 4: ReplicaSet \"web-6f7\" has timed out progressing. | FAILED",
            "RolloutAborted: Rollout aborted update to revision 4: Metric \"success-rate\" assessed Failed due to failed (3) > failureLimit (2) | FAILED",
            "ProgressDeadlineExceeded: ReplicaSet \"web-6f7\" has timed out progressing. | FAILED",
            "InvalidSpec: The Rollout \"web\" is invalid | FAILED",
    })
    void degradedIsCancelledOnlyWhenAPersonAborted(String message, ReleaseStatus expected) {
        ObjectNode r = stale();
        status(r).put("observedGeneration", "4").put("phase", "Degraded").put("message", message).put("abort", true);
        StatusVerdict v = StatusRules.rollout(r);
        assertThat(v.status()).isEqualTo(expected);
        assertThat(v.phase()).isEqualTo("Degraded");
        assertThat(v.message()).isEqualTo(message);
    }

    /**
     * What the real Argo controller leaves once it aborted an update at its progress deadline (measured in the real
     * tier): the very status of a person's abort — the reason is only in an Event. With progressDeadlineAbort set and
     * the update not at an indefinite pause (where no deadline runs), the abort is the controller's.
     */
    ObjectNode abortedCanary(boolean progressDeadlineAbort, int step) {
        ObjectNode r = json("""
                {'metadata': {'name': 'web', 'generation': 4},
                 'spec': {'replicas': 2, 'progressDeadlineSeconds': 10, 'progressDeadlineAbort': %s,
                          'strategy': {'canary': {'steps': [{'setWeight': 50}, {'pause': {}}, {'pause': {'duration': '1h'}}]}}},
                 'status': {'observedGeneration': '4', 'phase': 'Degraded', 'message': 'RolloutAborted: Rollout aborted update to revision 2',
                            'abort': true, 'currentStepIndex': %d, 'replicas': 2, 'updatedReplicas': 0, 'availableReplicas': 2,
                            'stableRS': 'abc', 'currentPodHash': 'def'}}
                """.formatted(progressDeadlineAbort, step));
        condition(r, "Progressing", "RolloutAborted", "Rollout aborted update to revision 2");
        return r;
    }

    @ParameterizedTest(name = "progressDeadlineAbort {0}, aborted at step {1} -> {2}")
    @CsvSource({"true, 0, FAILED", "true, 2, FAILED", "true, 1, CANCELLED", "false, 0, CANCELLED", "false, 1, CANCELLED"})
    void anAbortAtTheProgressDeadlineLooksLikeAPersonsButIsAFailure(boolean progressDeadlineAbort, int step, ReleaseStatus expected) {
        StatusVerdict v = StatusRules.rollout(abortedCanary(progressDeadlineAbort, step));
        assertThat(v.status()).isEqualTo(expected);
        assertThat(v.phase()).isEqualTo("Degraded");
        assertThat(v.aborted()).isTrue();
        assertThat(v.message()).startsWith("RolloutAborted: Rollout aborted update to revision 2");
        if (expected == ReleaseStatus.FAILED) {
            assertThat(v.message()).endsWith("(progressDeadlineAbort: aborted by the controller when the update ran past its progress deadline)");
        }
    }

    @Test
    void degradedWithoutMessageLooksAtTheConditions() {
        ObjectNode r = stale();
        status(r).put("observedGeneration", "4").put("phase", "Degraded").remove("message");
        condition(r, "Progressing", "RolloutAborted", "Rollout aborted update to revision 4");
        assertThat(StatusRules.rollout(r).status()).isEqualTo(ReleaseStatus.CANCELLED);
        status(r).withArray("conditions").removeAll();
        condition(r, "Progressing", "ProgressDeadlineExceeded", "timed out");
        assertThat(StatusRules.rollout(r).status()).isEqualTo(ReleaseStatus.FAILED);
    }

    @Test
    void pausedMapsToRunningAwaitingPromotion() {
        ObjectNode r = stale();
        status(r).put("observedGeneration", "4").put("phase", "Paused").remove("message");
        StatusVerdict v = StatusRules.rollout(r);
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.awaitingPromotion()).isTrue();
        assertThat(v.paused()).isTrue();
        assertThat(v.message()).isEqualTo("awaiting promotion");
    }

    @Test
    void progressingMapsToRunning() {
        ObjectNode r = stale();
        status(r).put("observedGeneration", "4").put("phase", "Progressing").put("message", "more replicas need to be updated");
        StatusVerdict v = StatusRules.rollout(r);
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.awaitingPromotion()).isFalse();
    }
}

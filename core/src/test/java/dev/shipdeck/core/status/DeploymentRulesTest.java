package dev.shipdeck.core.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.TestClusters;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.StatusVerdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corner cases of KUBERNETES.md's Deployment rules on plain JSON: rule order (which rule wins when several
 * apply) and defaults for absent fields. The end-to-end checks against cluster-sim are in {@link DeploymentStatusTest}.
 */
class DeploymentRulesTest {
    static ObjectNode json(String text) {
        try {
            return (ObjectNode) TestClusters.JSON.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A 3-replica Deployment at generation 2, fully rolled out and observed. */
    ObjectNode done() {
        return json("""
                {'metadata': {'name': 'web', 'generation': 2},
                 'spec': {'replicas': 3},
                 'status': {'observedGeneration': 2, 'replicas': 3, 'updatedReplicas': 3, 'readyReplicas': 3,
                            'availableReplicas': 3,
                            'conditions': [{'type': 'Progressing', 'status': 'True', 'reason': 'NewReplicaSetAvailable'}]}}
                """);
    }

    ObjectNode status(ObjectNode d) { return (ObjectNode) d.get("status"); }

    void timedOut(ObjectNode d) {
        ObjectNode c = (ObjectNode) d.path("status").path("conditions").get(0);
        c.put("status", "False").put("reason", "ProgressDeadlineExceeded");
    }

    @Test
    void doneIsSuccess() {
        StatusVerdict v = StatusRules.deployment(done());
        assertThat(v.status()).isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(v.paused()).isFalse();
    }

    @Test
    void unobservedGenerationWinsOverEverything() {
        ObjectNode d = done();
        timedOut(d);
        ((ObjectNode) d.get("metadata")).put("generation", 3);
        StatusVerdict v = StatusRules.deployment(d);
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.message()).isEqualTo("Waiting for deployment spec update to be observed...");
    }

    @Test
    void noStatusYetIsRunning() {
        ObjectNode d = done();
        d.remove("status");
        assertThat(StatusRules.deployment(d).status()).isEqualTo(ReleaseStatus.RUNNING);
    }

    @Test
    void deadlineWinsOverCompleteCounts() {
        ObjectNode d = done();
        timedOut(d);
        assertThat(StatusRules.deployment(d).status()).isEqualTo(ReleaseStatus.FAILED);
    }

    @Test
    void deadlineReasonCountsOnlyOnTheProgressingCondition() {
        ObjectNode d = done();
        status(d).withArray("conditions").addObject().put("type", "Available").put("status", "False")
                .put("reason", "ProgressDeadlineExceeded");
        assertThat(StatusRules.deployment(d).status()).isEqualTo(ReleaseStatus.SUCCESS);
    }

    @Test
    void countsAreCheckedInKubectlsOrder() {
        ObjectNode d = done();
        status(d).put("updatedReplicas", 2).put("replicas", 4).put("availableReplicas", 1);
        assertThat(StatusRules.deployment(d).message()).contains("2 out of 3 new replicas have been updated");
        status(d).put("updatedReplicas", 3);
        assertThat(StatusRules.deployment(d).message()).contains("1 old replicas are pending termination");
        status(d).put("replicas", 3);
        assertThat(StatusRules.deployment(d).message()).contains("1 of 3 updated replicas are available");
    }

    @Test
    void absentReplicasMeansOne() {
        ObjectNode d = done();
        ((ObjectNode) d.get("spec")).remove("replicas");
        status(d).put("replicas", 0).put("updatedReplicas", 0).put("availableReplicas", 0);
        assertThat(StatusRules.deployment(d).status()).isEqualTo(ReleaseStatus.RUNNING);
    }

    @Test
    void pausedMidRolloutIsPausedRunning() {
        ObjectNode d = done();
        ((ObjectNode) d.get("spec")).put("paused", true);
        status(d).put("updatedReplicas", 0);
        StatusVerdict v = StatusRules.deployment(d);
        assertThat(v.status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(v.paused()).isTrue();
        assertThat(v.phase()).isEqualTo("Paused");
        assertThat(v.message()).startsWith("paused: ");
    }
}

package dev.shipdeck.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Deployment's and a Rollout's JSON parsed once into typed facts, and the conventions they are read by. */
class WorkloadFactsTest {
    private static JsonNode parse(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void aDeploymentsFactsAreItsFields() throws Exception {
        WorkloadFacts f = WorkloadFacts.of(WorkloadKind.DEPLOYMENT, parse("""
                {"kind":"Deployment","metadata":{"name":"web","namespace":"shop","uid":"u1","resourceVersion":"42","generation":3,
                  "annotations":{"deployment.kubernetes.io/revision":"7","shipdeck.dev/restart-component-enabled":"false"}},
                 "spec":{"replicas":3,"paused":true,"selector":{"matchLabels":{"b":"2","a":"1"}},
                   "template":{"metadata":{"labels":{"shipdeck.dev/version":"1.4.0"},
                     "annotations":{"kubectl.kubernetes.io/restartedAt":"2026-01-01T00:00:00Z"}},
                     "spec":{"containers":[{"image":"shop/web:1.3"}]}}},
                 "status":{"observedGeneration":2,"readyReplicas":2,"availableReplicas":2,"updatedReplicas":1,
                   "conditions":[{"type":"Progressing","reason":"NewReplicaSetAvailable","lastUpdateTime":"2026-01-02T00:00:00Z"}]}}"""));
        assertThat(f.namespace()).isEqualTo("shop");
        assertThat(f.name()).isEqualTo("web");
        assertThat(f.generation()).isEqualTo(3);
        assertThat(f.observed()).as("observedGeneration 2 < generation 3").isFalse();
        assertThat(f.replicas()).isEqualTo(3);
        assertThat(f.updatedReplicas()).isEqualTo(1);
        assertThat(f.paused()).isTrue();
        assertThat(f.revision()).isEqualTo(7);
        assertThat(f.templateVersion()).isEqualTo("1.4.0");
        assertThat(f.restartedAt()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(f.selector().keySet()).as("in the object's order").containsExactly("b", "a");
        assertThat(f.canary()).isNull();
        assertThat(f.lastChange()).hasToString("2026-01-02T00:00:00Z");
        assertThat(f.verdict().status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(f.path()).isEqualTo("/apis/apps/v1/namespaces/shop/deployments/web");
        assertThat(Conventions.disabledActions(f.annotations())).containsExactly(Action.RESTART);
    }

    @Test
    void aRolloutsCanaryIsTyped() throws Exception {
        WorkloadFacts f = WorkloadFacts.of(WorkloadKind.ROLLOUT, parse("""
                {"kind":"Rollout","metadata":{"name":"api","namespace":"shop","generation":2},
                 "spec":{"strategy":{"canary":{"steps":[{"setWeight":20},{"pause":{}},{"pause":{"duration":"30s"}},{"analysis":{}}]}}},
                 "status":{"observedGeneration":"2","currentStepIndex":1,"pauseConditions":[{"reason":"CanaryPauseStep"}],
                   "controllerPause":true,"stableRS":"aaa","currentPodHash":"bbb",
                   "canary":{"currentStepAnalysisRunStatus":{"status":"Inconclusive"}}}}"""));
        WorkloadFacts.Canary c = f.canary();
        assertThat(c.steps()).extracting(WorkloadFacts.Step::text).containsExactly("setWeight 20", "pause", "pause 30s", "analysis");
        assertThat(c.steps()).extracting(WorkloadFacts.Step::setWeight).containsExactly(20, -1, -1, -1);
        assertThat(c.currentStepIndex()).isEqualTo(1);
        assertThat(c.pausedAtStep()).isTrue();
        assertThat(c.pauseReasons()).containsExactly("CanaryPauseStep");
        assertThat(c.controllerPause()).isTrue();
        assertThat(c.fullyPromoted()).isFalse();
        assertThat(c.inconclusive()).isTrue();
        assertThat(f.paused()).as("spec.paused, not the pause condition").isFalse();
        assertThat(f.observed()).isTrue();
        assertThat(f.aborted()).isFalse();
        assertThat(f.path()).isEqualTo("/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/api");
    }

    @Test
    void aRolloutWithoutStepIndexOrObservedGenerationCountsAsObservedAndUnstarted() throws Exception {
        WorkloadFacts f = WorkloadFacts.of(WorkloadKind.ROLLOUT, parse("{\"metadata\":{\"generation\":5},\"spec\":{\"paused\":true}}"));
        assertThat(f.observed()).isTrue();
        assertThat(f.canary().currentStepIndex()).isEqualTo(-1);
        assertThat(f.canary().hasCanary()).isFalse();
        assertThat(f.paused()).isTrue();
        assertThat(f.template()).isNull();
    }

    @Test
    void conventionsReadEitherPrefixTheOwnOneFirst() throws Exception {
        assertThat(Conventions.prefixed(Map.of("circleci.com/labels", "old", "shipdeck.dev/labels", "new"), "labels")).isEqualTo("new");
        assertThat(Conventions.prefixed(Map.of("circleci.com/labels", "old"), "labels")).isEqualTo("old");
        assertThat(Conventions.disabledBy(Map.of("circleci.com/scale-component-enabled", " FALSE "), Action.SCALE))
                .isEqualTo("circleci.com/scale-component-enabled");
        assertThat(Conventions.disabledBy(Map.of("shipdeck.dev/scale-component-enabled", "true"), Action.SCALE)).isNull();
        assertThat(Conventions.version(parse("{\"spec\":{\"containers\":[{\"image\":\"registry:5000/shop/web:2.1\"}]}}"))).isEqualTo("2.1");
        assertThat(Conventions.imageTag("registry:5000/shop/web")).isEqualTo("latest");
        assertThat(Conventions.componentName(parse("{\"spec\":{\"template\":{\"metadata\":{\"labels\":"
                + "{\"circleci.com/component-name\":\"pay\"}}}}}"))).isEqualTo("pay");
        assertThat(List.of(Conventions.PREFIXES)).containsExactly("shipdeck.dev/", "circleci.com/");
    }
}

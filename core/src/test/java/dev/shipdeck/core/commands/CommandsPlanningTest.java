package dev.shipdeck.core.commands;

import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.workload.WorkloadFacts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request planning that no simulated state reaches reliably: every branch of the plugin's promote patches
 * (getPatches in argo-rollouts' cmd/promote) with its v0.9 fallback, and the template comparisons that decide a
 * restore is skipped (kubectl's Semantic.DeepEqual, the plugin's Semantic.DeepDerivative).
 */
class CommandsPlanningTest {
    private static final String BASE = "/apis/argoproj.io/v1alpha1/namespaces/apps/rollouts/r";
    private static final String MERGE = "application/merge-patch+json";
    private static final String CANARY = "\"strategy\":{\"canary\":{\"steps\":[{\"setWeight\":20},{\"pause\":{}},{\"setWeight\":60}]}}";

    private static Plan promote(String json, boolean full) {
        return PromotePlanner.plan(WorkloadFacts.of(WorkloadKind.ROLLOUT, Sim.parse(json)), BASE, "r", full);
    }

    private static PlannedRequest status(String body) {
        return new PlannedRequest("PATCH", BASE + "/status", MERGE, body);
    }

    private static PlannedRequest spec(String body) {
        return new PlannedRequest("PATCH", BASE, MERGE, body);
    }

    private static final String BLUE_GREEN = "\"strategy\":{\"blueGreen\":{\"activeService\":\"r-active\",\"autoPromotionEnabled\":false}}";

    /** The plugin's getPatches for blue-green: clear the pause conditions; unpause separately; never a step index. */
    @Test
    void blueGreenPromoteClearsThePauseForPromotionAndHasNoSteps() {
        Plan paused = promote("{\"spec\":{" + BLUE_GREEN + "},\"status\":{\"stableRS\":\"a\",\"currentPodHash\":\"b\","
                + "\"pauseConditions\":[{\"reason\":\"BlueGreenPause\"}],\"controllerPause\":true}}", false);
        assertThat(paused.requests()).containsExactly(status("{\"status\":{\"pauseConditions\":null}}"));
        assertThat(paused.fallback()).isEqualTo(spec("{\"spec\":{\"paused\":false},\"status\":{\"pauseConditions\":null}}"));
        assertThat(paused.summary()).isEqualTo("promote r (switch the active service to the preview)");

        Plan manual = promote("{\"spec\":{\"paused\":true," + BLUE_GREEN + "},\"status\":{\"stableRS\":\"a\",\"currentPodHash\":\"b\"}}", false);
        assertThat(manual.requests()).containsExactly(spec("{\"spec\":{\"paused\":false}}"));

        Plan idle = promote("{\"spec\":{" + BLUE_GREEN + "},\"status\":{\"stableRS\":\"a\",\"currentPodHash\":\"b\"}}", false);
        assertThat(idle.requests()).isEmpty();

        Plan full = promote("{\"spec\":{" + BLUE_GREEN + "},\"status\":{\"stableRS\":\"a\",\"currentPodHash\":\"b\","
                + "\"pauseConditions\":[{\"reason\":\"BlueGreenPause\"}]}}", true);
        assertThat(full.requests()).containsExactly(status("{\"status\":{\"promoteFull\":true}}"));
        assertThat(full.fallback()).isEqualTo(spec("{\"spec\":{\"paused\":false},\"status\":{\"promoteFull\":true}}"));
        assertThat(promote("{\"spec\":{" + BLUE_GREEN + "},\"status\":{\"stableRS\":\"b\",\"currentPodHash\":\"b\"}}", true)
                .requests()).isEmpty();
    }

    @Test
    void pausedAtAStepClearsThePauseConditionsOnly() {
        Plan p = promote("{\"spec\":{" + CANARY + "},\"status\":{\"currentStepIndex\":1,"
                + "\"pauseConditions\":[{\"reason\":\"CanaryPauseStep\"}],\"controllerPause\":true}}", false);
        assertThat(p.requests()).containsExactly(status("{\"status\":{\"pauseConditions\":null}}"));
        assertThat(p.fallback()).isEqualTo(spec("{\"spec\":{\"paused\":false},\"status\":{\"pauseConditions\":null}}"));
    }

    @Test
    void notPausedAdvancesTheStepIndexOnlyAndNeverPastTheLastStep() {
        Plan p = promote("{\"spec\":{" + CANARY + "},\"status\":{\"currentStepIndex\":2}}", false);
        assertThat(p.requests()).containsExactly(status("{\"status\":{\"currentStepIndex\":3}}"));
        assertThat(p.fallback()).isEqualTo(spec("{\"spec\":{\"paused\":false},\"status\":{\"pauseConditions\":null,\"currentStepIndex\":3}}"));
        // no currentStepIndex yet counts as step 0
        assertThat(promote("{\"spec\":{" + CANARY + "},\"status\":{}}", false).requests())
                .containsExactly(status("{\"status\":{\"currentStepIndex\":1}}"));
        // all steps done: nothing to send
        Plan done = promote("{\"spec\":{" + CANARY + "},\"status\":{\"currentStepIndex\":3}}", false);
        assertThat(done.requests()).isEmpty();
        assertThat(done.summary()).isEqualTo("nothing to promote: r is not paused and has no step left");
    }

    @Test
    void aManualPauseIsLiftedBySeparateSpecPatchAfterTheStatusPatch() {
        Plan p = promote("{\"spec\":{\"paused\":true," + CANARY + "},\"status\":{\"currentStepIndex\":1,"
                + "\"pauseConditions\":[{\"reason\":\"CanaryPauseStep\"}]}}", false);
        assertThat(p.requests()).containsExactly(status("{\"status\":{\"pauseConditions\":null}}"), spec("{\"spec\":{\"paused\":false}}"));
        // a blue-green or step-less canary with only a manual pause: just the unpause
        assertThat(promote("{\"spec\":{\"paused\":true,\"strategy\":{\"blueGreen\":{}}},\"status\":{}}", false).requests())
                .containsExactly(spec("{\"spec\":{\"paused\":false}}"));
    }

    @Test
    void anInconclusiveAnalysisAlsoLiftsTheControllerPauseAndMovesOnAStep() {
        Plan p = promote("{\"spec\":{" + CANARY + "},\"status\":{\"currentStepIndex\":1,\"controllerPause\":true,"
                + "\"pauseConditions\":[{\"reason\":\"InconclusiveAnalysisRun\"}],"
                + "\"canary\":{\"currentStepAnalysisRunStatus\":{\"status\":\"Inconclusive\"}}}}", false);
        assertThat(p.requests()).containsExactly(status("{\"status\":{\"pauseConditions\":null,\"controllerPause\":false,\"currentStepIndex\":2}}"));
    }

    @Test
    void promoteFullSetsPromoteFullOnlyWhenNotFullyPromotedAndUnpausesSeparately() {
        Plan p = promote("{\"spec\":{\"paused\":true," + CANARY + "},\"status\":{\"stableRS\":\"a\",\"currentPodHash\":\"b\"}}", true);
        assertThat(p.requests()).containsExactly(status("{\"status\":{\"promoteFull\":true}}"), spec("{\"spec\":{\"paused\":false}}"));
        assertThat(p.fallback()).isEqualTo(spec("{\"spec\":{\"paused\":false},\"status\":{\"promoteFull\":true}}"));
        assertThat(promote("{\"spec\":{\"paused\":true," + CANARY + "},\"status\":{\"stableRS\":\"a\",\"currentPodHash\":\"a\"}}", true).requests())
                .containsExactly(spec("{\"spec\":{\"paused\":false}}"));
    }

    @Test
    void deploymentTemplatesCompareLikeSemanticDeepEqual() {
        assertThat(TemplateCompare.semanticEqual(Sim.parse("{\"metadata\":{\"labels\":{\"a\":\"1\"},\"annotations\":{}},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}"),
                Sim.parse("{\"metadata\":{\"labels\":{\"a\":\"1\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"env\":[]}]}}"))).isTrue();
        assertThat(TemplateCompare.semanticEqual(Sim.parse("{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x:1\"}]}}"),
                Sim.parse("{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x:2\"}]}}"))).isFalse();
    }

    @Test
    void rolloutTemplatesCompareLikeSemanticDeepDerivative() {
        // the ReplicaSet's template carries server defaults the Rollout never set: still the same template
        String rollout = "{\"metadata\":{\"labels\":{\"app\":\"r\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x:1\"}]}}";
        String replicaSet = "{\"metadata\":{\"labels\":{\"app\":\"r\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x:1\","
                + "\"imagePullPolicy\":\"IfNotPresent\",\"terminationMessagePath\":\"/dev/termination-log\"}],"
                + "\"dnsPolicy\":\"ClusterFirst\",\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30}}";
        assertThat(TemplateCompare.derivative(Sim.parse(rollout), Sim.parse(replicaSet))).isTrue();
        assertThat(TemplateCompare.semanticEqual(Sim.parse(rollout), Sim.parse(replicaSet))).isFalse();
        // but a value the Rollout sets must match, and a field the Rollout sets must exist
        assertThat(TemplateCompare.derivative(Sim.parse(rollout.replace("x:1", "x:2")), Sim.parse(replicaSet))).isFalse();
        assertThat(TemplateCompare.derivative(Sim.parse(replicaSet), Sim.parse(rollout))).isFalse();
        // empty values in the Rollout's template match anything; numbers compare by value
        assertThat(TemplateCompare.derivative(Sim.parse("{\"a\":\"\",\"b\":{},\"c\":[],\"d\":null,\"n\":30.0}"),
                Sim.parse("{\"a\":\"x\",\"b\":{\"k\":1},\"c\":[1],\"d\":2,\"n\":30}"))).isTrue();
    }
}

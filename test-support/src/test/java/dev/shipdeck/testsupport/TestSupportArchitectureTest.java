package dev.shipdeck.testsupport;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * test-support sits below core, agent-headless and app (their tests depend on it), beside cluster-sim: it must not
 * use their classes. (Its main code may use JUnit: it is test code, never in a product jar.)
 */
@AnalyzeClasses(packages = {"dev.shipdeck.sim.testing", "dev.shipdeck.testsupport"}, importOptions = LayerRules.ProductionClasses.class)
class TestSupportArchitectureTest {
    @ArchTest
    static final ArchRule testSupportKnowsOnlyTheSimulator = LayerRules.independent(LayerRules.TEST_SUPPORT,
            "dev.shipdeck.core..", "dev.shipdeck.app..", "dev.shipdeck.agent..", "dev.shipdeck.cli..", "dev.shipdeck.tools..",
            "dev.shipdeck.bench..");

    @ArchTest
    static final ArchRule testSupportHasNoUi = LayerRules.noUi(LayerRules.TEST_SUPPORT);
}

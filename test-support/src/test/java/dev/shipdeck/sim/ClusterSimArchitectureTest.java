package dev.shipdeck.sim;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shipdeck.testsupport.LayerRules;

/**
 * cluster-sim's layer rules. They run here, in test-support's build, because test-support depends on cluster-sim
 * (cluster-sim cannot have it as a test dependency: a cycle); they look at cluster-sim's main classes only
 * ({@code dev.shipdeck.sim..} outside {@code dev.shipdeck.sim.testing}, which is test-support's own code).
 */
@AnalyzeClasses(packages = "dev.shipdeck.sim", importOptions = LayerRules.ProductionClasses.class)
class ClusterSimArchitectureTest {
    private static final String[] SIM = {"dev.shipdeck.sim"};

    @ArchTest
    static final ArchRule simulatorDoesNotKnowShipdeck = LayerRules.independent(SIM,
                    "dev.shipdeck.core..", "dev.shipdeck.app..", "dev.shipdeck.agent..", "dev.shipdeck.cli..")
            .because("cluster-sim is the referee: it must not share the player's logic");

    @ArchTest
    static final ArchRule simulatorHasNoUi = LayerRules.noUi(SIM);

    @ArchTest
    static final ArchRule simulatorHasNoTestFrameworks = LayerRules.noTestFrameworks(SIM);

    @ArchTest
    static final ArchRule simulatorHasNoTestSupport = LayerRules.noTestSupport(SIM);
}

package dev.shipdeck.cli;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shipdeck.testsupport.LayerRules;

/** The shipdeck CLI and agent (dev.shipdeck.cli, dev.shipdeck.agent): headless, built on core only. */
@AnalyzeClasses(packages = {"dev.shipdeck.cli", "dev.shipdeck.agent"}, importOptions = LayerRules.ProductionClasses.class)
class AgentArchitectureTest {
    private static final String[] AGENT = {"dev.shipdeck.cli..", "dev.shipdeck.agent.."};

    @ArchTest
    static final ArchRule agentHasNoUi = LayerRules.noUi(AGENT).because("the CLI and the agent run without a display, in a pod");

    @ArchTest
    static final ArchRule agentDoesNotUseTheAppTheSimulatorOrTheTools = LayerRules.independent(AGENT,
                    "dev.shipdeck.app..", "dev.shipdeck.sim..", "dev.shipdeck.tools..", "dev.shipdeck.bench..")
            .because("shipdeck.jar holds the CLI and the agent on core, nothing else of Shipdeck");

    @ArchTest
    static final ArchRule agentHasNoTestFrameworks = LayerRules.noTestFrameworks(AGENT);

    @ArchTest
    static final ArchRule agentHasNoTestSupport = LayerRules.noTestSupport(AGENT);
}

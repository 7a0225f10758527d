package dev.shipdeck.app;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shipdeck.testsupport.LayerRules;

/**
 * The desktop app: fabric8 only in its gateway package ({@code dev.shipdeck.app.common}, FabricClusterGateway), views
 * never use core's Kubernetes classes, no CLI or agent code, no tools or test code.
 */
@AnalyzeClasses(packages = "dev.shipdeck.app", importOptions = LayerRules.ProductionClasses.class)
class AppArchitectureTest {
    private static final String APP = "dev.shipdeck.app..";

    @ArchTest
    static final ArchRule fabric8OnlyInTheGateway = LayerRules.fabric8OnlyIn(APP, "dev.shipdeck.app.common..");

    @ArchTest
    static final ArchRule viewsDoNotUseKubernetes = LayerRules.viewsDoNotUseKubernetes(APP);

    @ArchTest
    static final ArchRule appDoesNotUseTheCliOrTheTools = LayerRules.independent(new String[] {APP},
                    "dev.shipdeck.cli..", "dev.shipdeck.agent..", "dev.shipdeck.tools..", "dev.shipdeck.bench..")
            .because("the desktop app builds on core (and cluster-sim for the demo) only");

    @ArchTest
    static final ArchRule appHasNoTestFrameworks = LayerRules.noTestFrameworks(APP);

    @ArchTest
    static final ArchRule appHasNoTestSupport = LayerRules.noTestSupport(APP);
}

package dev.shipdeck.tools;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shipdeck.testsupport.LayerRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The tools: no test code in them, and the screenshot tour drives the desktop app through its launcher only. */
@AnalyzeClasses(packages = {"dev.shipdeck.tools", "dev.shipdeck.bench"}, importOptions = LayerRules.ProductionClasses.class)
class ToolsArchitectureTest {
    private static final String[] TOOLS = {"dev.shipdeck.tools..", "dev.shipdeck.bench.."};

    @ArchTest
    static final ArchRule toolsHaveNoTestFrameworks = LayerRules.noTestFrameworks(TOOLS);

    @ArchTest
    static final ArchRule toolsHaveNoTestSupport = LayerRules.noTestSupport(TOOLS);

    @ArchTest
    static final ArchRule theTourUsesTheAppThroughItsLauncherOnly = noClasses().that().resideInAnyPackage(TOOLS)
            .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("are app classes other than Launcher",
                    (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().startsWith("dev.shipdeck.app")
                            && !c.getName().equals("dev.shipdeck.app.Launcher")))
            .because("the tour drives the app through its window (keys, clicks), not through its classes");
}

package dev.shipdeck.core;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shipdeck.testsupport.LayerRules;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** core knows nothing of user interfaces (DESIGN.md): the desktop app and the headless agent both build on it. */
@AnalyzeClasses(packages = "dev.shipdeck.core", importOptions = ArchitectureTest.ProductionClasses.class)
class ArchitectureTest {
    /** Main classes only, whatever the build directory is called ({@code -DbuildDirName=...}). */
    static final class ProductionClasses implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/");
        }
    }

    private static final String[] CORE = {"dev.shipdeck.core.."};

    @ArchTest
    static final ArchRule coreHasNoUi = noClasses().that().resideInAPackage("dev.shipdeck.core..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..")
            .because("core is shared by the JavaFX desktop app and the headless agent");

    @ArchTest
    static final ArchRule coreUsesNoUiToolkit = LayerRules.noUi(CORE)
            .because("core is shared by the JavaFX desktop app and the headless agent");

    @ArchTest
    static final ArchRule coreKnowsNoModuleAboveIt = LayerRules.independent(CORE,
                    "dev.shipdeck.app..", "dev.shipdeck.agent..", "dev.shipdeck.cli..", "dev.shipdeck.tools..", "dev.shipdeck.bench..")
            .because("the desktop app, the CLI and agent, and the tools build on core, never the other way round");

    @ArchTest
    static final ArchRule coreHasNoTestFrameworks = LayerRules.noTestFrameworks(CORE);

    @ArchTest
    static final ArchRule coreHasNoTestSupport = LayerRules.noTestSupport(CORE);

    @ArchTest
    static final ArchRule coreDoesNotDependOnTheSimulator = noClasses().that().resideInAPackage("dev.shipdeck.core..")
            .should().dependOnClassesThat().resideInAPackage("dev.shipdeck.sim..")
            .because("cluster-sim is the referee: it must not share the player's logic, nor the player its");

    /** The build refuses JavaFX too (the enforcer's bannedDependencies in core/pom.xml), before any class is compiled. */
    @Test
    void enforcerBansJavaFxForCore() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document pom = f.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        assertThat(XPathFactory.newInstance().newXPath().evaluate("/project/artifactId", pom)).isEqualTo("core");
        List<String> banned = new ArrayList<>();
        NodeList rules = pom.getElementsByTagName("bannedDependencies");
        for (int i = 0; i < rules.getLength(); i++) {
            NodeList excludes = ((Element) rules.item(i)).getElementsByTagName("exclude");
            for (int j = 0; j < excludes.getLength(); j++) banned.add(excludes.item(j).getTextContent().trim());
        }
        assertThat(banned).contains("org.openjfx", "org.controlsfx", "io.github.mkpaz");
    }
}

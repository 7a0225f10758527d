package dev.shipdeck.testsupport;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layer rules of Shipdeck (docs/ARCHITECTURE.md, "Modules"), defined once: each module's architecture test picks
 * the ones that concern it and runs them on its own main classes ({@link ProductionClasses}) in {@code ./mvnw verify}.
 */
public final class LayerRules {
    /** UI toolkits: only the desktop app may use them. */
    public static final String[] UI = {"javafx..", "org.controlsfx..", "atlantafx..", "org.kordamp.ikonli.."};
    /** Test frameworks: never in a product class. */
    public static final String[] TEST_FRAMEWORKS = {"org.junit..", "org.opentest4j..", "org.assertj..", "org.awaitility..",
            "com.tngtech.archunit.."};
    /** This module's own packages: tests use them, the product never. */
    public static final String[] TEST_SUPPORT = {"dev.shipdeck.sim.testing..", "dev.shipdeck.testsupport.."};

    private LayerRules() {}

    /** Main classes only, whatever the build directory is called ({@code -DbuildDirName=...}). */
    public static final class ProductionClasses implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/");
        }
    }

    /** Classes in {@code packages} use no UI toolkit. */
    public static ArchRule noUi(String... packages) {
        return noClasses().that().resideInAnyPackage(packages).should().dependOnClassesThat().resideInAnyPackage(UI);
    }

    /** Classes in {@code packages} depend on nothing in {@code forbidden}. */
    public static ArchRule independent(String[] packages, String... forbidden) {
        return noClasses().that().resideInAnyPackage(packages).should().dependOnClassesThat().resideInAnyPackage(forbidden);
    }

    /** No main class in {@code packages} depends on JUnit, AssertJ, Awaitility or ArchUnit. */
    public static ArchRule noTestFrameworks(String... packages) {
        return noClasses().that().resideInAnyPackage(packages).should().dependOnClassesThat().resideInAnyPackage(TEST_FRAMEWORKS)
                .because("test frameworks must not ship in shipdeck.jar or shipdeck-desktop.jar");
    }

    /** No main class in {@code packages} depends on the test support (kubectl runner, test clusters, these rules). */
    public static ArchRule noTestSupport(String... packages) {
        return noClasses().that().resideInAnyPackage(packages).should().dependOnClassesThat().resideInAnyPackage(TEST_SUPPORT)
                .because("test-support is a test-scoped dependency only");
    }

    /** fabric8 is used in the app's one gateway package only; everything else goes through core or that gateway. */
    public static ArchRule fabric8OnlyIn(String appPackage, String gatewayPackage) {
        return noClasses().that().resideInAPackage(appPackage).and().resideOutsideOfPackage(gatewayPackage)
                .should().dependOnClassesThat().resideInAPackage("io.fabric8..")
                .because("the app talks to clusters through core and " + gatewayPackage + " only");
    }

    /** Views: classes named {@code *View} and JavaFX nodes (custom controls, cells). */
    public static DescribedPredicate<JavaClass> views() {
        return simpleNameEndingWith("View").or(assignableTo("javafx.scene.Node")).as("views (classes named *View, JavaFX nodes)");
    }

    /** Views never use core's Kubernetes classes: they show what view models give them. */
    public static ArchRule viewsDoNotUseKubernetes(String appPackage) {
        return noClasses().that().resideInAPackage(appPackage).and(views())
                .should().dependOnClassesThat().resideInAPackage("dev.shipdeck.core.kube..")
                .because("a view shows what its view model gives it; cluster access stays in core and the gateway");
    }
}

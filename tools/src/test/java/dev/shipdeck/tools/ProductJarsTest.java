package dev.shipdeck.tools;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product jars hold only the product: no test framework, no test support, no developer tools. Runs after
 * {@code package} (integration-test phase), when agent-headless and app have built their jars in this reactor.
 */
class ProductJarsTest {
    /** Entry prefixes that must never ship in shipdeck.jar or shipdeck-desktop.jar. */
    static final List<String> FORBIDDEN = List.of("org/junit/", "org/opentest4j/", "org/assertj/", "org/awaitility/",
            "com/tngtech/archunit/", "dev/shipdeck/bench/", "dev/shipdeck/sim/testing/", "dev/shipdeck/testsupport/",
            "dev/shipdeck/tools/");

    private static Path jar(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by tools/pom.xml)", property).isNotBlank();
        Path p = Path.of(value);
        assertThat(p).as("%s: build it first (./mvnw package)", p).isRegularFile();
        return p;
    }

    static List<String> entries(Path jar) throws IOException {
        List<String> out = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) out.add(e.nextElement().getName());
        }
        return out;
    }

    static List<String> forbidden(List<String> entries) {
        return entries.stream().filter(n -> FORBIDDEN.stream().anyMatch(n::startsWith)).toList();
    }

    @Test
    void theCliJarHoldsNoTestOrToolClasses() throws IOException {
        List<String> entries = entries(jar("shipdeck.cli.jar"));
        assertThat(entries).contains("dev/shipdeck/cli/Shipdeck.class");
        assertThat(forbidden(entries)).as("test or tool classes in shipdeck.jar").isEmpty();
        assertThat(entries).as("shipdeck.jar does not embed the simulator").noneMatch(n -> n.startsWith("dev/shipdeck/sim/"));
    }

    @Test
    void theDesktopJarHoldsNoTestOrToolClassesButTheDemoCluster() throws IOException {
        List<String> entries = entries(jar("shipdeck.desktop.jar"));
        assertThat(entries).contains("dev/shipdeck/app/Launcher.class");
        assertThat(forbidden(entries)).as("test or tool classes in shipdeck-desktop.jar").isEmpty();
        // demo mode embeds the simulated cluster
        assertThat(entries).contains("dev/shipdeck/sim/ClusterSim.class", "dev/shipdeck/sim/ApiServer.class");
    }

    @Test
    void theCheckSeesWhatItLooksFor() {
        assertThat(forbidden(List.of("org/junit/jupiter/api/Test.class", "dev/shipdeck/sim/testing/Kubectl.class",
                "dev/shipdeck/bench/Benchmark.class", "dev/shipdeck/tools/Tools.class", "dev/shipdeck/sim/ClusterSim.class",
                "org/assertj/core/api/Assertions.class", "org/awaitility/Awaitility.class")))
                .containsExactly("org/junit/jupiter/api/Test.class", "dev/shipdeck/sim/testing/Kubectl.class",
                        "dev/shipdeck/bench/Benchmark.class", "dev/shipdeck/tools/Tools.class",
                        "org/assertj/core/api/Assertions.class", "org/awaitility/Awaitility.class");
    }

    @Test
    void theToolsJarIsWhereTheToolsAre() throws IOException {
        assertThat(entries(jar("shipdeck.tools.jar"))).contains("dev/shipdeck/tools/Tools.class", "dev/shipdeck/bench/Benchmark.class",
                "dev/shipdeck/tools/ScreenshotTour.class");
    }
}

package dev.shipdeck.app;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class X11VisualTest {
    private static final Optional<String> JAVA = Optional.of("/usr/bin/java");
    private static final List<String> ARGS = List.of("-jar", "shipdeck-desktop.jar", "--demo");

    @Test
    void linuxWithADisplayStartsTheSameCommandAgain() {
        assertThat(X11Visual.relaunchCommand("Linux", Map.of("DISPLAY", ":0"), JAVA, ARGS))
                .contains(List.of("/usr/bin/java", "-jar", "shipdeck-desktop.jar", "--demo"));
    }

    @Test
    void notAgainWhenTheVariableIsSetAlready() {
        assertThat(X11Visual.relaunchCommand("Linux", Map.of("DISPLAY", ":0", "GDK_GL", "disable"), JAVA, ARGS)).isEmpty();
        assertThat(X11Visual.relaunchCommand("Linux", Map.of("DISPLAY", ":0", "GDK_GL", ""), JAVA, ARGS)).isEmpty();
    }

    @Test
    void otherSystemsAndNoDisplayGoOnAsTheyAre() {
        assertThat(X11Visual.relaunchCommand("Mac OS X", Map.of("DISPLAY", ":0"), JAVA, ARGS)).isEmpty();
        assertThat(X11Visual.relaunchCommand("Windows 11", Map.of(), JAVA, ARGS)).isEmpty();
        assertThat(X11Visual.relaunchCommand("Linux", Map.of(), JAVA, ARGS)).isEmpty();
        assertThat(X11Visual.relaunchCommand("Linux", Map.of("DISPLAY", ":0"), Optional.empty(), ARGS)).isEmpty();
    }
}

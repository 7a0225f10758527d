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

    @Test
    void underAJpackageLauncherTheLauncherStartsAgainWithTheAppsOwnArguments() {
        // the JVM's own command line there is "Shipdeck -Djava.class.path=… dev.shipdeck.app.Launcher --demo": not replayable
        assertThat(X11Visual.ownCommand(Optional.of("/opt/shipdeck/bin/Shipdeck"), ProcessHandle.current().info(),
                List.of("--demo", "--measure")))
                .contains(new X11Visual.ProcessCommand("/opt/shipdeck/bin/Shipdeck", List.of("--demo", "--measure")));
    }

    @Test
    void withoutALauncherTheProcessesOwnCommandLineStartsAgain() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        assertThat(X11Visual.ownCommand(Optional.empty(), info, List.of("--demo")))
                .contains(new X11Visual.ProcessCommand(info.command().orElseThrow(), List.of(info.arguments().orElseThrow())));
    }
}

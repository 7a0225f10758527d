package dev.shipdeck.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps GTK from giving JavaFX's windows its OpenGL-optimised X visual.
 *
 * <p>GTK 3 (3.16 and later) picks, as the "system" visual, the X visual its own OpenGL code prefers whenever the X server
 * offers GLX. JavaFX's software pipeline does not use GL, but its windows then live on that visual, and on X servers
 * whose GLX is software only (Xvfb, remote desktops, VNC servers) every secondary window stacked inside a large main
 * window (dialogs, the palette, drop-downs) reads back as a black rectangle to screen grabbers and remote viewers.
 * {@code GDK_GL=disable} makes GTK keep the server's default visual; it has to be in the environment before GTK starts,
 * so on Linux the launcher starts the same command again with it set, once. JavaFX's hardware pipeline chooses its own
 * visual and is not affected.
 */
final class X11Visual {
    static final String VARIABLE = "GDK_GL";
    static final String JPACKAGE_LAUNCHER_MARK = "_JPACKAGE_LAUNCHER";

    private X11Visual() {}

    /** The command to start again with {@code GDK_GL=disable}, or empty when this process can go on as it is. */
    static Optional<List<String>> relaunchCommand(String osName, Map<String, String> env, Optional<String> command, List<String> arguments) {
        if (!osName.toLowerCase(java.util.Locale.ROOT).contains("linux")) return Optional.empty();
        if (env.containsKey(VARIABLE)) return Optional.empty(); // already set, by us or by the person
        if (!env.containsKey("DISPLAY") && !env.containsKey("WAYLAND_DISPLAY")) return Optional.empty();
        if (command.isEmpty()) return Optional.empty();
        List<String> cmd = new ArrayList<>();
        cmd.add(command.get());
        cmd.addAll(arguments);
        return Optional.of(cmd);
    }

    /**
     * The command line that starts this application again: under a jpackage launcher (it sets {@code jpackage.app-path})
     * the launcher itself with the application's arguments, since the process's own command line there is the JVM's
     * internal one (JVM options, class path, main class) and cannot be replayed; otherwise the process's command line
     * as the operating system reports it ({@code java … -jar shipdeck-desktop.jar …}).
     */
    static Optional<ProcessCommand> ownCommand(Optional<String> appPath, ProcessHandle.Info info, List<String> appArguments) {
        if (appPath.isPresent() && !appPath.get().isBlank()) return Optional.of(new ProcessCommand(appPath.get(), appArguments));
        if (info.command().isEmpty() || info.arguments().isEmpty()) return Optional.empty(); // cannot be read: go on as we are
        return Optional.of(new ProcessCommand(info.command().get(), List.of(info.arguments().get())));
    }

    /** An executable and its arguments. */
    record ProcessCommand(String executable, List<String> arguments) {}

    /**
     * Starts this very application again with {@code GDK_GL=disable} when needed and returns its exit code; empty when
     * this process should go on and start the UI itself (also when the new process cannot be started).
     */
    static Optional<Integer> relaunchIfNeeded(List<String> appArguments) {
        if ("Monocle".equalsIgnoreCase(System.getProperty("glass.platform"))) return Optional.empty(); // headless
        Optional<ProcessCommand> own = ownCommand(Optional.ofNullable(System.getProperty("jpackage.app-path")),
                ProcessHandle.current().info(), appArguments);
        if (own.isEmpty()) return Optional.empty();
        Optional<List<String>> cmd = relaunchCommand(System.getProperty("os.name", ""), System.getenv(),
                Optional.of(own.get().executable()), own.get().arguments());
        if (cmd.isEmpty()) return Optional.empty();
        ProcessBuilder pb = new ProcessBuilder(cmd.get()).inheritIO();
        pb.environment().put(VARIABLE, "disable");
        // a jpackage launcher marks the environment of the JVM it starts; a launcher that inherits the mark takes its
        // arguments for JVM options ("Unrecognized option: --demo")
        pb.environment().remove(JPACKAGE_LAUNCHER_MARK);
        try {
            Process child = pb.start();
            Thread forward = new Thread(() -> {
                if (child.isAlive()) child.destroy();
            }, "shipdeck-forward-stop");
            Runtime.getRuntime().addShutdownHook(forward);
            int code = child.waitFor();
            return Optional.of(code);
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(130);
        }
    }
}

package dev.shipdeck.app;

import dev.shipdeck.app.main.ShipdeckApp;
import dev.shipdeck.app.main.StartupOptions;
import dev.shipdeck.core.Logging;
import javafx.application.Application;
import javafx.stage.Stage;

import java.util.List;
import java.util.function.Consumer;

/**
 * The main class. It does not extend {@link Application}: on the class path, the JavaFX launcher refuses a main
 * class that does ("JavaFX runtime components are missing").
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        launch(args, null);
    }

    /**
     * Starts the desktop app as {@link #main} does and returns when it has exited. {@code onShown} (may be null) is
     * called on the JavaFX thread with the main window's stage once it is shown, for tools that drive the app through
     * its window (the screenshot tour of the tools module) as a person would: keys, clicks.
     */
    public static void launch(String[] args, Consumer<Stage> onShown) {
        StartupOptions options;
        try {
            options = StartupOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("shipdeck-desktop: " + e.getMessage());
            System.err.println("Run with --help for usage.");
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(StartupOptions.USAGE);
            return;
        }
        // before JavaFX, fabric8 or okhttp are loaded: their logging stays off unless -v
        Logging.configure(Logging.Mode.DESKTOP, options.verbosity());
        java.util.Optional<Integer> relaunched = X11Visual.relaunchIfNeeded(List.of(args));
        if (relaunched.isPresent()) {
            System.exit(relaunched.get());
            return;
        }
        nativeLibraryCache();
        ShipdeckApp.onShown(onShown);
        Application.launch(ShipdeckApp.class, args);
    }

    /**
     * JavaFX unpacks its native libraries into a cache folder: Shipdeck's own under the home folder kubectl uses, unless
     * {@code -Djavafx.cachedir} names one. (A jpackage launcher cannot say "home" in its options: it would pass a
     * literal {@code $HOME} and JavaFX would make that folder in the current directory.)
     */
    private static void nativeLibraryCache() {
        if (System.getProperty("javafx.cachedir") == null) {
            System.setProperty("javafx.cachedir",
                    dev.shipdeck.core.Home.of(System.getenv()).resolve(".cache").resolve("shipdeck").resolve("openjfx").toString());
        }
    }
}

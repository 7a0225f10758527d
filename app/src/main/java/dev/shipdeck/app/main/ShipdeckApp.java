package dev.shipdeck.app.main;

import dev.shipdeck.app.common.DesktopSettings;
import dev.shipdeck.app.common.SettingsStore;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The JavaFX application (started by {@link dev.shipdeck.app.Launcher}). */
public final class ShipdeckApp extends Application {
    private static volatile Consumer<Stage> onShown;

    private StartupOptions options;
    private SettingsStore store;
    private DesktopSettings settings;
    private MainWindow window;
    private CompletableFuture<Session> preloading;

    /** Runs on the launcher thread, not the UI thread: the settings file is read here. */
    @Override
    public void init() {
        options = StartupOptions.parse(getParameters().getRaw());
        store = SettingsStore.inDefaultDirectory();
        settings = store.load();
        // read the kubeconfig now, while the window is being built; the demo cluster (seconds of CPU) waits for
        // the first frame instead, so the window shows at once
        if (options.source().kind() != SessionSource.Kind.KUBECONFIG) return;
        preloading = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                preloading.complete(new SessionLoader().open(options.source()));
            } catch (Throwable e) {
                preloading.completeExceptionally(e);
            }
        }, "shipdeck-preload");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void start(Stage stage) {
        window = MainWindow.open(stage, options, store, settings, getHostServices(), preloading);
        StartupProbe probe = new StartupProbe(window, options.measure());
        probe.watch();
        Consumer<Stage> shown = onShown;
        if (shown != null) shown.accept(stage);
        // for scripts that drive the real window (docs/screenshots, the X11 check): a file appears once data is shown
        String ready = System.getProperty("shipdeck.readyFile");
        if (ready != null) StartupProbe.whenReady(window, () -> {
            Thread t = new Thread(() -> {
                try {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(ready), "ready\n");
                } catch (java.io.IOException e) {
                    System.err.println("warning: cannot write " + ready + ": " + e.getMessage());
                }
            }, "shipdeck-ready-file");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Set by {@link dev.shipdeck.app.Launcher#launch} before the app starts: who is given the main stage once shown. */
    public static void onShown(Consumer<Stage> hook) {
        onShown = hook;
    }

    @Override
    public void stop() {
        if (window != null && window.stage().isShowing()) window.close();
        Platform.exit();
    }
}

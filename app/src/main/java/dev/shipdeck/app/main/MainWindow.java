package dev.shipdeck.app.main;

import dev.shipdeck.app.common.AppIcons;
import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.DesktopSettings;
import dev.shipdeck.app.common.FxTasks;
import dev.shipdeck.app.common.SettingsStore;
import javafx.application.HostServices;
import javafx.stage.Stage;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** The composition root of one window: builds the view models and views, shows the stage, opens the first session. */
public final class MainWindow {
    private final Stage stage;
    private final FxTasks tasks = new FxTasks();
    private final Badges badges = new Badges();
    private final FxDesktop desktop;
    private final MainViewModel vm;
    private final MainView view;

    private MainWindow(Stage stage, SettingsStore store, DesktopSettings settings, HostServices hostServices) {
        this.stage = stage;
        this.desktop = new FxDesktop(hostServices, () -> stage);
        this.vm = new MainViewModel(tasks, new SessionLoader(), store, settings, Clock.systemUTC(), desktop);
        this.view = new MainView(vm, tasks, badges, desktop,
                nav -> new Pages(vm.snapshotProperty(), tasks, badges, desktop, nav, () -> vm.darkProperty().get(), () -> stage,
                        vm.promotionEditor()));
    }

    /** Shows the window at once (empty, loading) and opens {@code options.source()} in the background. */
    public static MainWindow open(Stage stage, StartupOptions options, SettingsStore store, DesktopSettings settings, HostServices hs) {
        return open(stage, options, store, settings, hs, null);
    }

    /**
     * As above, with the session's loading already under way ({@code preloading}, started at launch so that reading
     * the kubeconfig and connecting overlap with building the window).
     */
    public static MainWindow open(Stage stage, StartupOptions options, SettingsStore store, DesktopSettings settings, HostServices hs,
                                  CompletableFuture<Session> preloading) {
        DesktopSettings s = options.theme() == null ? settings : settings.withTheme(options.theme());
        MainWindow w = new MainWindow(stage, store, s, hs);
        stage.titleProperty().bind(w.vm.titleProperty());
        stage.getIcons().setAll(AppIcons.all());
        stage.setScene(w.view.createScene(s.width(), s.height()));
        stage.setMinWidth(900);
        stage.setMinHeight(560);
        stage.setOnHidden(e -> w.close());
        stage.show();
        keepSize(stage, s.width(), s.height());
        if (preloading != null) {
            w.vm.open(options.source(), preloading::join);
        } else {
            w.vm.open(options.source());
        }
        return w;
    }

    /**
     * Some X window managers (openbox among them) map a window that has a minimum size at that minimum instead of the
     * size asked for; asking again once it is shown gives the person the size they left it at.
     */
    private static void keepSize(Stage stage, double width, double height) {
        javafx.beans.value.ChangeListener<Number> widthBack = (o, a, w) -> {
            if (w.doubleValue() < width - 1 && w.doubleValue() <= stage.getMinWidth() + 1 && !stage.isMaximized()) stage.setWidth(width);
        };
        javafx.beans.value.ChangeListener<Number> heightBack = (o, a, h) -> {
            if (h.doubleValue() < height - 1 && h.doubleValue() <= stage.getMinHeight() + 1 && !stage.isMaximized()) stage.setHeight(height);
        };
        stage.widthProperty().addListener(widthBack);
        stage.heightProperty().addListener(heightBack);
        // only while the window manager places the window; later changes are the person's
        javafx.animation.PauseTransition placed = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(3));
        placed.setOnFinished(e -> {
            stage.widthProperty().removeListener(widthBack);
            stage.heightProperty().removeListener(heightBack);
        });
        placed.play();
    }

    public void close() {
        vm.windowResized(stage.getWidth(), stage.getHeight());
        view.stop();
        vm.shutdown();
        tasks.close();
    }

    public Stage stage() { return stage; }

    public MainViewModel viewModel() { return vm; }

    public MainView view() { return view; }

    public FxDesktop desktop() { return desktop; }
}

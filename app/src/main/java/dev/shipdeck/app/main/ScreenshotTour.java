package dev.shipdeck.app.main;

import dev.shipdeck.app.commands.CommandDialogView;
import dev.shipdeck.app.components.ComponentPageView;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.model.WorkloadKind;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.util.Duration;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code --screenshots DIR}: once the demo's data is shown, walks through the timeline, a component page, a release
 * page with canary steps and a confirmation dialog, in light then dark theme, saving a PNG of each; then exits.
 */
public final class ScreenshotTour {
    private static final String DEMO_ENV = "prod-eu";

    private final MainWindow window;
    private final Path dir;
    private final Deque<Runnable> steps = new ArrayDeque<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shipdeck-screenshots");
        t.setDaemon(true);
        return t;
    });

    public ScreenshotTour(MainWindow window, Path dir) {
        this.window = window;
        this.dir = dir;
    }

    public void start() {
        StartupProbe.whenReady(window, () -> {
            for (boolean dark : new boolean[] {false, true}) plan(dark);
            steps.add(this::finish);
            next(1500);
        });
    }

    private void plan(boolean dark) {
        String theme = dark ? "dark" : "light";
        MainView view = window.view();
        steps.add(() -> {
            window.viewModel().darkProperty().set(dark);
            view.showTab(0);
            next(1200);
        });
        steps.add(() -> {
            shoot(window.stage().getScene(), "timeline-" + theme);
            view.navigator().openComponent(DEMO_ENV, rolloutComponent());
            next(2000);
        });
        steps.add(() -> {
            shoot(window.stage().getScene(), "component-" + theme);
            Release r = currentRelease(DEMO_ENV, rolloutComponent());
            if (r != null) view.navigator().openRelease(r.id());
            next(2500);
        });
        steps.add(() -> {
            shoot(window.stage().getScene(), "release-" + theme);
            view.navigator().home();
            view.navigator().openComponent(DEMO_ENV, "payments-api");
            next(1500);
        });
        steps.add(() -> {
            Page p = view.navigator().currentProperty().get();
            p.runAction(Action.RESTORE_VERSION);
            next(400);
        });
        steps.add(() -> {
            CommandDialogView d = ((ComponentPageView) view.navigator().currentProperty().get()).lastDialog();
            if (d != null) d.patchPane().setExpanded(true);
            next(2000);
        });
        steps.add(() -> {
            CommandDialogView d = ((ComponentPageView) view.navigator().currentProperty().get()).lastDialog();
            if (d != null) {
                shoot(d.dialog().getDialogPane().getScene(), "confirm-" + theme);
                d.dialog().setResult(javafx.scene.control.ButtonType.CANCEL);
                d.dialog().close();
            }
            view.navigator().home();
            next(500);
        });
    }

    /** The paused canary of the demo (checkout), or the first rollout found. */
    private String rolloutComponent() {
        Snapshot s = window.viewModel().snapshotProperty().get();
        return s.components().filter(c -> c.environment().equals(DEMO_ENV) && c.kind() == WorkloadKind.ROLLOUT)
                .map(Component::name).filter(n -> n.equals("checkout")).findFirst()
                .orElse(s.components().filter(c -> c.kind() == WorkloadKind.ROLLOUT).map(Component::name).findFirst().orElse("checkout"));
    }

    private Release currentRelease(String env, String component) {
        Snapshot s = window.viewModel().snapshotProperty().get();
        Component c = s.components().filter(x -> x.environment().equals(env) && x.name().equals(component)).findFirst().orElse(null);
        if (c == null) return null;
        Workload w = c.primary();
        return s.environment(env).releases().stream()
                .filter(r -> r.component().equals(component) && w.templateHash().equals(r.templateHash())).findFirst().orElse(null);
    }

    private void next(long millis) {
        Runnable step = steps.poll();
        if (step == null) return;
        PauseTransition p = new PauseTransition(Duration.millis(millis));
        p.setOnFinished(e -> step.run());
        p.play();
    }

    private void shoot(Scene scene, String name) {
        WritableImage img = scene.snapshot(null);
        BufferedImage bi = SwingFXUtils.fromFXImage(img, null);
        Path file = dir.resolve(name + ".png");
        writer.execute(() -> {
            try {
                Files.createDirectories(dir);
                ImageIO.write(bi, "png", file.toFile());
                System.out.println("wrote " + file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void finish() {
        writer.shutdown();
        Thread t = new Thread(() -> {
            try {
                writer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Platform.runLater(() -> {
                window.stage().close();
                Platform.exit();
            });
        }, "shipdeck-screenshots-exit");
        t.setDaemon(true);
        t.start();
    }
}

package dev.shipdeck.tools;

import dev.shipdeck.app.Launcher;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.event.Event;
import javafx.event.EventTarget;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TitledPane;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code screenshots DIR}: starts the desktop app on the demo cluster in this JVM and, once its data is shown, walks
 * through the timeline, a component page, a release page with canary steps and a confirmation dialog, in light then
 * dark theme, saving a PNG of each; then exits. It drives the app only through its window, as a person would: the
 * keyboard shortcuts (Ctrl+1, Ctrl+K, Escape), typing into the command palette, the theme button, a tab, a table row
 * opened with Enter, the dialog's Cancel button. Needs a display (e.g. {@code xvfb-run}).
 */
public final class ScreenshotTour {
    static final String USAGE = """
            Usage: java -jar tools/target/shipdeck-tools.jar screenshots DIR [desktop app options]

            Opens the demo cluster in the desktop app and saves PNGs of the timeline, a component page, a release page
            and a confirmation dialog, light and dark, into DIR (timeline-light.png, ..., confirm-dark.png); then exits.
            Needs a display (on a headless machine: xvfb-run -a java -jar ...).
            """;
    private static final String DEMO_ENV = "prod-eu";
    private static final String CANARY = "checkout";
    private static final String DEPLOYMENT = "payments-api";
    private static final boolean MAC = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");

    private final Path dir;
    private final Path readyFile;
    private final Deque<Runnable> steps = new ArrayDeque<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shipdeck-screenshots");
        t.setDaemon(true);
        return t;
    });
    private Stage stage;

    private ScreenshotTour(Path dir, Path readyFile) {
        this.dir = dir;
        this.readyFile = readyFile;
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.print(USAGE);
            if (args.length == 0) System.exit(2);
            return;
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        // the app writes this file once the demo's data is shown (the hook scripts that drive its window use)
        Path ready = Files.createTempFile("shipdeck-tour", ".ready");
        Files.delete(ready);
        System.setProperty("shipdeck.readyFile", ready.toString());
        // the demo, light first (the tour switches to dark with the theme button); more app options may follow DIR
        String[] launch = new String[args.length + 2];
        launch[0] = "--demo";
        launch[1] = "--theme";
        launch[2] = "light";
        System.arraycopy(args, 1, launch, 3, args.length - 1);
        ScreenshotTour tour = new ScreenshotTour(dir, ready);
        Launcher.launch(launch, tour::start);
        System.exit(0);
    }

    private void start(Stage mainStage) {
        this.stage = mainStage;
        Thread waiter = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.exists(readyFile) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Platform.runLater(() -> {
                if (!Files.exists(readyFile)) {
                    System.err.println("screenshots: the demo's data did not show within 3 minutes");
                    finish();
                    return;
                }
                for (boolean dark : new boolean[] {false, true}) plan(dark);
                steps.add(this::finish);
                next(1500);
            });
        }, "shipdeck-screenshots-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    private void plan(boolean dark) {
        String theme = dark ? "dark" : "light";
        steps.add(() -> {
            if (dark) click(stage.getScene().lookup("#theme-button"));
            shortcut(KeyCode.DIGIT1);
            next(1200);
        });
        steps.add(() -> {
            shoot(stage.getScene(), "timeline-" + theme);
            shortcut(KeyCode.K);
            next(600);
        });
        steps.add(() -> {
            palette(CANARY + " " + DEMO_ENV);
            next(2000);
        });
        steps.add(() -> {
            shoot(stage.getScene(), "component-" + theme);
            openNewestRelease();
            next(2500);
        });
        steps.add(() -> {
            shoot(stage.getScene(), "release-" + theme);
            home();
            shortcut(KeyCode.K);
            next(600);
        });
        steps.add(() -> {
            palette("restore " + DEPLOYMENT + " " + DEMO_ENV);
            next(800);
        });
        steps.add(() -> {
            commandDialog().ifPresent(s -> {
                if (s.getRoot().lookup(".titled-pane") instanceof TitledPane patch) patch.setExpanded(true);
            });
            next(2000);
        });
        steps.add(() -> {
            commandDialog().ifPresent(s -> {
                shoot(s, "confirm-" + theme);
                click(s.getRoot().lookup("#cancel-button"));
            });
            next(500);
        });
        steps.add(() -> {
            home();
            next(500);
        });
    }

    /** Types into the open command palette and presses Enter (its best match runs). */
    private void palette(String text) {
        Optional<Scene> palette = Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && "Command palette".equals(s.getTitle()) && w.isShowing())
                .map(Window::getScene).findFirst();
        if (palette.isEmpty()) {
            System.err.println("screenshots: the command palette did not open");
            return;
        }
        Scene s = palette.get();
        for (char c : text.toCharArray()) {
            String ch = String.valueOf(c);
            Event.fireEvent(target(s), new KeyEvent(KeyEvent.KEY_TYPED, ch, ch, KeyCode.UNDEFINED, false, false, false, false));
        }
        key(s, KeyCode.ENTER, false);
    }

    /** On a component page: the Deployments tab, its newest release selected and opened with Enter. */
    private void openNewestRelease() {
        for (Node n : stage.getScene().getRoot().lookupAll(".tab-pane")) {
            if (!(n instanceof TabPane tabs) || !n.isVisible()) continue;
            for (Tab tab : tabs.getTabs()) {
                if (tab.getContent() == null || !(tab.getContent().lookup("#releases-table") instanceof TableView<?> table)) continue;
                tabs.getSelectionModel().select(tab);
                Platform.runLater(() -> {
                    if (table.getItems().isEmpty()) return;
                    table.requestFocus();
                    table.getSelectionModel().select(0);
                    key(stage.getScene(), KeyCode.ENTER, false);
                });
                return;
            }
        }
        System.err.println("screenshots: no releases table on this page");
    }

    /** Escape until the main window is back on its tabs. */
    private void home() {
        for (int i = 0; i < 4; i++) key(stage.getScene(), KeyCode.ESCAPE, false);
    }

    private static Optional<Scene> commandDialog() {
        return Window.getWindows().stream().filter(Window::isShowing).map(Window::getScene)
                .filter(s -> s != null && s.getRoot() != null && s.getRoot().lookup("#command-dialog") != null).findFirst();
    }

    private static void click(Node node) {
        if (node instanceof ButtonBase b) b.fire();
        else System.err.println("screenshots: nothing to click");
    }

    private void shortcut(KeyCode code) {
        key(stage.getScene(), code, true);
    }

    private static void key(Scene scene, KeyCode code, boolean shortcut) {
        EventTarget t = target(scene);
        boolean ctrl = shortcut && !MAC;
        boolean meta = shortcut && MAC;
        Event.fireEvent(t, new KeyEvent(KeyEvent.KEY_PRESSED, "", "", code, false, ctrl, false, meta));
        Event.fireEvent(t, new KeyEvent(KeyEvent.KEY_RELEASED, "", "", code, false, ctrl, false, meta));
    }

    private static EventTarget target(Scene scene) {
        Node focus = scene.getFocusOwner();
        return focus != null ? focus : scene.getRoot();
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
                stage.close();
                Platform.exit();
            });
        }, "shipdeck-screenshots-exit");
        t.setDaemon(true);
        t.start();
    }
}

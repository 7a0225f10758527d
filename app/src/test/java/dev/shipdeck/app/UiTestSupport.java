package dev.shipdeck.app;

import dev.shipdeck.app.common.DesktopSettings;
import dev.shipdeck.app.common.SettingsStore;
import dev.shipdeck.app.main.MainViewModel;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.app.main.StartupOptions;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** What the TestFX tests share: opening the window on a kubeconfig and waiting for things a person would see. */
public final class UiTestSupport {
    private UiTestSupport() {}

    /** Opens the main window on {@code kubeconfig}, with settings in {@code configDir}, as {@code --kubeconfig FILE} does. */
    public static MainWindow open(Stage stage, Path kubeconfig, Path configDir) {
        SettingsStore store = new SettingsStore(configDir.resolve("desktop.json"));
        return MainWindow.open(stage, StartupOptions.parse(List.of("--kubeconfig", kubeconfig.toString())), store,
                DesktopSettings.DEFAULTS.withSize(1360, 820), null);
    }

    /** Polls {@code check} on the UI thread until it is true. */
    public static void await(String what, Duration timeout, Callable<Boolean> check) {
        long end = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < end) {
            try {
                if (Boolean.TRUE.equals(WaitForAsyncUtils.asyncFx(check).get(5, TimeUnit.SECONDS))) return;
                last = null;
            } catch (Exception e) {
                last = e;
            }
            WaitForAsyncUtils.sleep(100, TimeUnit.MILLISECONDS);
        }
        Path shots = saveWindows(what);
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what + " (windows saved in " + shots + ")", last);
    }

    /** Saves a PNG of every open window into {@code target/ui-failures}, to see what the test saw. */
    static Path saveWindows(String what) {
        Path dir = Path.of(System.getProperty("ui.failures.dir", "target/ui-failures"));
        String base = what.replaceAll("[^A-Za-z0-9]+", "-");
        try {
            java.nio.file.Files.createDirectories(dir);
            List<java.awt.image.BufferedImage> images = WaitForAsyncUtils.asyncFx(() -> javafx.stage.Window.getWindows().stream()
                    .filter(w -> w.getScene() != null)
                    .map(w -> javafx.embed.swing.SwingFXUtils.fromFXImage(w.getScene().snapshot(null), null)).toList()).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < images.size(); i++) {
                javax.imageio.ImageIO.write(images.get(i), "png", dir.resolve(base + "-" + i + ".png").toFile());
            }
        } catch (Exception e) {
            return Path.of("(not saved: " + e + ")");
        }
        return dir.toAbsolutePath();
    }

    public static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("windows saved in " + saveWindows("fx-failure"), e);
        }
    }

    /** Waits until every environment has listed its components and the timeline shows rows. */
    public static void awaitLive(MainWindow w) {
        await("every environment shows its components and the timeline shows releases", Duration.ofSeconds(40), () ->
                w.viewModel().phaseProperty().get() == MainViewModel.Phase.READY
                        && dev.shipdeck.app.main.StartupProbe.ready(w.viewModel().snapshotProperty().get())
                        && !w.viewModel().timeline().rows().isEmpty());
    }

    /**
     * Clicks, in the table row whose item matches {@code item}, the first node that matches {@code node} (the row itself
     * when {@code node} is null). The row is found through the table's items and brought into view with
     * {@code scrollTo}; the node is looked up and its place on the screen taken in one step on the UI thread, just
     * before the click, so a cell recycled by the virtualized table is never clicked. Returns the item clicked.
     */
    public static <T> T clickInRow(FxRobot robot, TableView<T> table, java.util.function.Predicate<T> item,
                                   java.util.function.Predicate<Node> node) {
        javafx.geometry.Point2D[] at = new javafx.geometry.Point2D[1];
        @SuppressWarnings("unchecked") T[] clicked = (T[]) new Object[1];
        await("a row to click is on the screen", Duration.ofSeconds(15), () -> {
            int index = -1;
            for (int i = 0; i < table.getItems().size(); i++) {
                if (item.test(table.getItems().get(i))) {
                    index = i;
                    break;
                }
            }
            if (index < 0) return false;
            table.scrollTo(index);
            table.layout();
            for (Node n : table.lookupAll(".table-row-cell")) {
                if (!(n instanceof javafx.scene.control.TableRow<?> r) || r.getIndex() != index || r.isEmpty() || !r.isVisible()) continue;
                Node target = node == null ? r : r.lookupAll("*").stream().filter(node).filter(Node::isVisible).findFirst().orElse(null);
                if (target == null || target.getScene() == null) return false;
                javafx.geometry.Bounds b = target.localToScreen(target.getBoundsInLocal());
                if (b == null) return false;
                at[0] = new javafx.geometry.Point2D(b.getMinX() + Math.min(b.getWidth() / 2, 20), b.getCenterY());
                clicked[0] = table.getItems().get(index);
                return true;
            }
            return false;
        });
        robot.moveTo(at[0]).clickOn(javafx.scene.input.MouseButton.PRIMARY);
        return clicked[0];
    }

    /** The badge labels drawn in a table (visible cells only), as a person reads them. */
    public static List<Label> badges(FxRobot robot, TableView<?> table) {
        Set<Node> nodes = table.lookupAll(".badge");
        return nodes.stream().filter(n -> n instanceof Label && n.isVisible() && ((Label) n).getText() != null)
                .map(n -> (Label) n).toList();
    }
}

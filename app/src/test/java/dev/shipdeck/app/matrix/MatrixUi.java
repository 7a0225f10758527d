package dev.shipdeck.app.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.core.matrix.Matrix;
import dev.shipdeck.sim.testing.Kubectl;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.testfx.api.FxRobot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/** What the Matrix tab's TestFX tests share: opening the tab, clicking cells, and kubectl as the referee. */
final class MatrixUi {
    static final List<String> CONTEXTS = List.of("prod-eu", "staging", "dev");
    private static final ObjectMapper JSON = new ObjectMapper();

    private MatrixUi() {}

    /** Ctrl+4, as a person opens the tab; returns its table once it shows every demo component. */
    static TableView<Matrix.Row> open(FxRobot robot, MainWindow window) {
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT4).release(KeyCode.CONTROL);
        TableView<Matrix.Row> table = fx(() -> window.view().matrixView().table());
        await("Ctrl+4 shows the matrix with its 12 components", Duration.ofSeconds(15), () -> table.isVisible() && table.getScene() != null
                && table.getItems().size() == 12);
        return table;
    }

    /** The environment of each column after the component's, in order. */
    static List<String> columns(TableView<Matrix.Row> table) {
        return fx(() -> table.getColumns().stream().skip(1).map(c -> (String) c.getUserData()).toList());
    }

    static Matrix.Cell cell(TableView<Matrix.Row> table, String component, String environment) {
        return fx(() -> table.getItems().stream().filter(r -> r.component().equals(component)).findFirst()
                .map(r -> r.cell(environment)).orElse(null));
    }

    /**
     * The drawn cell of {@code component} in {@code environment}: its row found through the table's items and brought into
     * view, the node looked up on the UI thread just before it is used (virtualized cells are recycled).
     */
    static TableCell<?, ?> drawnCell(TableView<Matrix.Row> table, String component, String environment) {
        TableCell<?, ?>[] found = new TableCell<?, ?>[1];
        await("the cell of " + component + " in " + environment + " is on the screen", Duration.ofSeconds(15), () -> {
            found[0] = find(table, component, environment);
            return found[0] != null;
        });
        return found[0];
    }

    /** On the UI thread: the drawn cell, scrolled into view, or null. */
    static TableCell<?, ?> find(TableView<Matrix.Row> table, String component, String environment) {
        int index = -1;
        for (int i = 0; i < table.getItems().size(); i++) {
            if (table.getItems().get(i).component().equals(component)) index = i;
        }
        if (index < 0) return null;
        table.scrollTo(index);
        table.layout();
        for (Node n : table.lookupAll(".matrix-cell")) {
            if (n instanceof TableCell<?, ?> c && c.getIndex() == index && c.getTableColumn() != null
                    && environment.equals(c.getTableColumn().getUserData()) && c.isVisible() && c.getScene() != null && !c.isEmpty()) {
                return c;
            }
        }
        return null;
    }

    /** On the UI thread: the words beside a drawn cell's badge ({@code 1 behind}), "" when none. */
    static String marker(TableCell<?, ?> c) {
        Node n = c.lookup(".matrix-marker");
        return n instanceof javafx.scene.control.Label l && l.isVisible() && l.getText() != null ? l.getText() : "";
    }

    /** Clicks the cell (right button: its context menu). */
    static void click(FxRobot robot, TableView<Matrix.Row> table, String component, String environment, MouseButton button) {
        Point2D[] at = new Point2D[1];
        await("the cell of " + component + " in " + environment + " can be clicked", Duration.ofSeconds(15), () -> {
            TableCell<?, ?> c = find(table, component, environment);
            Bounds b = c == null ? null : c.localToScreen(c.getBoundsInLocal());
            if (b == null) return false;
            at[0] = new Point2D(b.getMinX() + 30, b.getCenterY());
            return true;
        });
        robot.moveTo(at[0]).clickOn(button);
    }

    static JsonNode kubectlJson(Kubectl kubectl, String... args) {
        Kubectl.Result r = kubectl.run(Duration.ofSeconds(60), args);
        assertThat(r.ok()).as("%s", r).isTrue();
        try {
            return JSON.readTree(r.out());
        } catch (java.io.IOException e) {
            throw new AssertionError(r.out(), e);
        }
    }

    /** environment/component → version, as kubectl reports the pod templates of the demo's Deployments and Rollouts. */
    static Map<String, String> kubectlVersions(Kubectl kubectl) {
        Map<String, String> out = new TreeMap<>();
        for (String ctx : CONTEXTS) {
            for (JsonNode w : kubectlJson(kubectl, "--context", ctx, "get", "deployments,rollouts", "-A", "-o", "json").path("items")) {
                String comp = label(w.path("metadata").path("labels"), "component-name");
                if (comp.isEmpty()) continue;
                out.put(ctx + "/" + comp, label(w.path("spec").path("template").path("metadata").path("labels"), "version"));
            }
        }
        return out;
    }

    /** {@code shipdeck.dev/<key>}, else {@code circleci.com/<key>}. */
    static String label(JsonNode labels, String key) {
        String v = labels.path("shipdeck.dev/" + key).asText();
        return v.isEmpty() ? labels.path("circleci.com/" + key).asText() : v;
    }

    /** environment/component → version, as the matrix shows it. */
    static Map<String, String> matrixVersions(TableView<Matrix.Row> table) {
        return fx(() -> {
            Map<String, String> out = new TreeMap<>();
            for (Matrix.Row r : table.getItems()) {
                for (Matrix.Cell c : r.cells()) {
                    if (c.present()) out.put(c.environment() + "/" + r.component(), c.version());
                }
            }
            return out;
        });
    }
}

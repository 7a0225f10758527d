package dev.shipdeck.app.matrix;

import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.SharedDemo;
import dev.shipdeck.app.UiTestSupport;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.core.matrix.Matrix;
import javafx.scene.control.Button;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Duration;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.awaitLive;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/** The demo's read-only user sees the matrix, and Ship off with the RBAC reason, in the matrix and on the component page. */
@ExtendWith(ApplicationExtension.class)
class MatrixViewerUiTest {
    static final String RBAC = "RBAC: viewer may not patch deployments in namespace payments (prod-eu)";

    @TempDir
    static Path config;

    final DemoCluster demo = SharedDemo.get();
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = UiTestSupport.open(stage, demo.viewerKubeconfig(), config);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.stage().close());
    }

    @Test
    void aViewerSeesShipDisabledWithTheRbacReason(FxRobot robot) {
        awaitLive(window);
        TableView<Matrix.Row> table = MatrixUi.open(robot, window);
        String staging = MatrixUi.cell(table, "payments-api", "staging").version();
        MatrixUi.click(robot, table, "payments-api", "prod-eu", MouseButton.SECONDARY);
        await("the ship is off, with the RBAC reason", Duration.ofSeconds(15), () -> {
            MenuItem ship = MatrixUiTest.item(window, "ship-staging-to-prod-eu");
            MenuItem why = MatrixUiTest.item(window, "ship-staging-to-prod-eu-reason");
            return ship != null && ship.getText().equals("Ship " + staging + " from staging to prod-eu") && ship.isDisable()
                    && why != null && why.isVisible() && why.getText().equals(RBAC);
        });
        robot.type(KeyCode.ESCAPE);

        // the component page's button says the same
        MatrixUi.click(robot, table, "payments-api", "prod-eu", MouseButton.PRIMARY);
        robot.type(KeyCode.ENTER);
        await("the page's Ship button is off with the RBAC reason", Duration.ofSeconds(15), () -> {
            if (robot.lookup("#action-ship").tryQuery().isEmpty()) return false;
            Button b = robot.lookup("#action-ship").queryButton();
            return b.isDisabled() && b.getTooltip() != null && b.getTooltip().getText().equals(RBAC);
        });
        assertThat(fx(() -> robot.lookup("#action-ship").queryButton().getText())).isEqualTo("Ship " + staging + " from staging");
    }
}

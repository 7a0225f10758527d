package dev.shipdeck.app.commands;

import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.SharedDemo;
import dev.shipdeck.app.UiTestSupport;
import dev.shipdeck.app.main.MainWindow;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.input.KeyCode;
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

/** The read-only user of the demo sees what they may not do, and why. */
@ExtendWith(ApplicationExtension.class)
class ViewerUiTest {
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
    void theRestoreButtonIsDisabledWithTheRbacReason(FxRobot robot) {
        awaitLive(window);
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT2).release(KeyCode.CONTROL);
        await("Ctrl+2 shows the Components tab", Duration.ofSeconds(5), () -> robot.lookup("#components-table").query().isVisible());
        robot.clickOn("#search").write("payments-api prod-eu");
        @SuppressWarnings("unchecked")
        javafx.scene.control.TableView<dev.shipdeck.app.components.ComponentRow> table =
                (javafx.scene.control.TableView<dev.shipdeck.app.components.ComponentRow>) robot.lookup("#components-table").query();
        await("one row is left", Duration.ofSeconds(10), () -> table.getItems().size() == 1);
        dev.shipdeck.app.UiTestSupport.clickInRow(robot, table, row -> true, null);
        robot.type(KeyCode.ENTER);

        await("the restore button says why it is off", Duration.ofSeconds(15), () -> {
            Button b = robot.lookup("#action-restore-version").queryButton();
            return b.isDisabled() && b.getTooltip() != null && b.getTooltip().getText().startsWith("RBAC:");
        });
        String reason = fx(() -> robot.lookup("#action-restore-version").queryButton().getTooltip().getText());
        assertThat(reason).isEqualTo("RBAC: viewer may not patch deployments in namespace payments (prod-eu)");
        assertThat(fx(() -> robot.lookup("#action-restart").queryButton().isDisabled())).isTrue();
    }
}

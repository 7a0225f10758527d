package dev.shipdeck.app.environments;

import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.SharedDemo;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.core.matrix.Matrix;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.awaitLive;
import static dev.shipdeck.app.UiTestSupport.clickInRow;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment page shows where the environment sits in its promotion lane and moves it: the order is written to
 * the environments file (the test JVM's $SHIPDECK_CONFIG_DIR, never the person's) and the Matrix tab's columns follow.
 */
@ExtendWith(ApplicationExtension.class)
class PromotionOrderUiTest {
    @TempDir
    static Path config;
    final DemoCluster demo = SharedDemo.get();
    MainWindow window;

    private static Path environmentsFile() {
        String dir = System.getenv("SHIPDECK_CONFIG_DIR");
        assertThat(dir).as("the build gives test JVMs a config folder of their own (root pom, surefire)").isNotBlank();
        return Path.of(dir, "environments.yaml");
    }

    @Start
    void start(Stage stage) throws IOException {
        Files.deleteIfExists(environmentsFile());
        window = dev.shipdeck.app.UiTestSupport.open(stage, demo.adminKubeconfig(), config);
    }

    @AfterEach
    void close(FxRobot robot) throws IOException {
        robot.interact(() -> window.stage().close());
        Files.deleteIfExists(environmentsFile());
    }

    private void openStaging(FxRobot robot) {
        robot.clickOn("#environments-tab");
        @SuppressWarnings("unchecked")
        TableView<EnvironmentRow> envs = (TableView<EnvironmentRow>) robot.lookup("#environments-table").query();
        clickInRow(robot, envs, r -> r.name().equals("staging"), null);
        robot.type(KeyCode.ENTER);
        await("the staging page shows its lane", Duration.ofSeconds(10), () -> robot.lookup("#environment-lanes").tryQuery().isPresent()
                && !robot.lookup("#environment-lanes").queryLabeled().getText().isEmpty());
    }

    private static String lanes(FxRobot robot) {
        return fx(() -> robot.lookup("#environment-lanes").queryLabeled().getText());
    }

    @Test
    void movingStagingLaterWritesTheOrderAndTheMatrixFollows(FxRobot robot) throws IOException {
        awaitLive(window);
        openStaging(robot);
        assertThat(lanes(robot)).isEqualTo("dev → staging → prod-eu");
        assertThat(fx(() -> robot.lookup("#promotion-note").queryLabeled().getText())).contains("from the environments' stages");

        robot.clickOn("#promotion-later");
        await("staging comes after prod-eu now", Duration.ofSeconds(10), () ->
                robot.lookup("#environment-lanes").queryLabeled().getText().equals("dev → prod-eu → staging"));
        assertThat(Files.readString(environmentsFile())).isEqualTo("promotion: [dev, prod-eu, staging]\n");
        assertThat(fx(() -> robot.lookup("#promotion-later").queryButton().isDisabled())).as("already last").isTrue();
        assertThat(fx(() -> robot.lookup("#promotion-note").queryLabeled().getText())).contains("saved in " + environmentsFile());

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.CONTROL);
        await("the Matrix tab's columns follow", Duration.ofSeconds(10), () ->
                window.viewModel().matrix().columns().stream().map(Matrix.Column::environment).toList().equals(List.of("dev", "prod-eu", "staging")));

        openStaging(robot);
        robot.clickOn("#promotion-earlier");
        await("back where it was", Duration.ofSeconds(10), () ->
                robot.lookup("#environment-lanes").queryLabeled().getText().equals("dev → staging → prod-eu"));
        assertThat(Files.readString(environmentsFile())).isEqualTo("promotion: [dev, staging, prod-eu]\n");
    }
}

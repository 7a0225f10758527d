package dev.shipdeck.app.palette;

import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.SharedDemo;
import dev.shipdeck.app.UiTestSupport;
import dev.shipdeck.app.components.ComponentPageView;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.app.main.Page;
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

/** Ctrl+K, Enter, Esc and Ctrl+F, without the mouse. */
@ExtendWith(ApplicationExtension.class)
class KeyboardUiTest {
    @TempDir
    static Path config;

    final DemoCluster demo = SharedDemo.get();
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = UiTestSupport.open(stage, demo.adminKubeconfig(), config);
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.stage().close());
    }

    @Test
    void thePaletteJumpsToAComponentAndEscGoesBack(FxRobot robot) {
        awaitLive(window);
        robot.press(KeyCode.CONTROL).type(KeyCode.K).release(KeyCode.CONTROL);
        await("the palette is open", Duration.ofSeconds(5), () -> robot.lookup("#palette-query").tryQuery().isPresent());
        robot.clickOn("#palette-query").write("cart staging");
        await("cart in staging comes first", Duration.ofSeconds(5), () -> {
            @SuppressWarnings("unchecked")
            javafx.scene.control.ListView<PaletteEntry> list = (javafx.scene.control.ListView<PaletteEntry>) robot.lookup("#palette-list").query();
            PaletteEntry first = list.getItems().isEmpty() ? null : list.getItems().get(0);
            return first != null && first.kind() == PaletteEntry.Kind.COMPONENT && first.title().equals("cart") && first.environment().equals("staging");
        });
        robot.type(KeyCode.ENTER);
        await("the component page of cart is open", Duration.ofSeconds(5), () -> {
            Page p = window.view().navigator().currentProperty().get();
            return p instanceof ComponentPageView c && c.title().equals("cart · staging");
        });

        robot.type(KeyCode.ESCAPE);
        await("Esc goes back to the tabs", Duration.ofSeconds(5), () -> window.view().navigator().currentProperty().get() == null);

        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
        assertThat(fx(() -> robot.lookup("#search").query().isFocused())).isTrue();
    }
}

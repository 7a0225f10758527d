package dev.shipdeck.app.main;

import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.app.UiTestSupport;
import dev.shipdeck.app.common.LastSeenCache;
import dev.shipdeck.app.components.ComponentRow;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Snapshot;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last known state: what a previous run saw is in the window before any cluster answers, marked as not live,
 * with commands off and the reason; a cached file that cannot be read is ignored with a notice; once the cluster
 * answers, the rows are live (never blank in between) and the new state is kept for the next run.
 */
@ExtendWith(ApplicationExtension.class)
class LastSeenUiTest {
    @TempDir
    static Path dir;
    static DemoCluster demo;
    static Snapshot seen;
    static ServerSocket silent;
    static final List<Socket> held = new CopyOnWriteArrayList<>();
    static final Instant SEEN_AT = Instant.now().minus(20, ChronoUnit.MINUTES);

    MainWindow window;

    @BeforeAll
    static void start() throws IOException {
        demo = DemoCluster.start();
        seen = demo.read();
        // a server that accepts connections and never says a word: no cluster answers
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-server");
        t.setDaemon(true);
        t.start();
        StringBuilder kc = new StringBuilder("apiVersion: v1\nkind: Config\ncurrent-context: prod-eu\nclusters:\n");
        for (EnvironmentSnapshot e : seen.environments()) {
            kc.append("- name: ").append(e.environment().name()).append("\n  cluster: {server: \"https://127.0.0.1:")
                    .append(silent.getLocalPort()).append("/").append(e.environment().name()).append("\", insecure-skip-tls-verify: true}\n");
        }
        kc.append("users:\n- name: admin\n  user: {token: super-secret-token-1234}\ncontexts:\n");
        for (EnvironmentSnapshot e : seen.environments()) {
            kc.append("- name: ").append(e.environment().name()).append("\n  context: {cluster: ").append(e.environment().name())
                    .append(", user: admin}\n");
        }
        Files.writeString(dir.resolve("silent.kubeconfig"), kc);
    }

    @AfterAll
    static void stop() throws IOException {
        System.setProperty(LastSeenCache.DIR_PROPERTY, "off");
        silent.close();
        for (Socket s : held) s.close();
        demo.close();
    }

    @AfterEach
    void close(FxRobot robot) {
        if (window != null) robot.interact(() -> window.stage().close());
        System.setProperty(LastSeenCache.DIR_PROPERTY, "off");
    }

    private static String key(Path kubeconfig, String environment) {
        Kubeconfig kc = Kubeconfig.load(kubeconfig.toString());
        return SessionLoader.cacheKey(kc, Environment.ofContext(environment));
    }

    private MainWindow open(FxRobot robot, Path kubeconfig, Path cacheDir) {
        System.setProperty(LastSeenCache.DIR_PROPERTY, cacheDir.toString());
        robot.interact(() -> window = UiTestSupport.open(new Stage(), kubeconfig, cacheDir.resolveSibling(cacheDir.getFileName() + "-config")));
        return window;
    }

    @SuppressWarnings("unchecked")
    private static TableView<ComponentRow> components(FxRobot robot) {
        return (TableView<ComponentRow>) robot.lookup("#components-table").query();
    }

    @Test
    void beforeAnyClusterAnswersTheWindowShowsTheLastSeenRowsMarkedNotLiveWithCommandsOff(FxRobot robot) throws IOException {
        Path cacheDir = dir.resolve("silent-cache");
        Path kubeconfig = dir.resolve("silent.kubeconfig");
        LastSeenCache cache = new LastSeenCache(cacheDir);
        for (EnvironmentSnapshot e : seen.environments()) cache.save(key(kubeconfig, e.environment().name()), e, SEEN_AT);
        // staging's file is damaged: it is ignored with a notice, the others still show
        Path staging = cacheFile(cacheDir, key(kubeconfig, "staging"));
        Files.writeString(staging, "{\"format\": 1, \"snapshot\": {\"components\": [tru");
        long prodEu = seen.environment("prod-eu").components().size();
        assertThat(prodEu).isPositive();

        open(robot, kubeconfig, cacheDir);
        robot.clickOn("#components-tab");
        TableView<ComponentRow> table = components(robot);
        await("prod-eu's and dev's last seen components are listed", Duration.ofSeconds(20), () ->
                table.getItems().stream().filter(r -> r.component().environment().equals("prod-eu")).count() == prodEu
                        && table.getItems().stream().anyMatch(r -> r.component().environment().equals("dev")));
        assertThat(held).as("the cluster was asked, and never answered").isNotEmpty();
        assertThat(fx(() -> table.getItems().stream().noneMatch(r -> r.component().environment().equals("staging"))))
                .as("staging's damaged file is not shown").isTrue();
        String seenClock = dev.shipdeck.app.common.Times.clock(SEEN_AT, Instant.now());
        // connecting… at first; once the connection attempt times out, unreachable — the rows stay, still marked
        await("the status bar says prod-eu is not live", Duration.ofSeconds(10), () -> {
            String t = robot.lookup("#connection-prod-eu").queryLabeled().getText();
            return t.equals("prod-eu last seen " + seenClock + ", connecting…") || t.startsWith("prod-eu ") && t.endsWith(", last seen " + seenClock)
                    && !t.contains("connected");
        });
        await("the notice names the file that was ignored", Duration.ofSeconds(10), () -> robot.lookup("#notice").queryLabeled().isVisible()
                && robot.lookup("#notice").queryLabeled().getText().contains("ignored the last seen state in " + staging));

        String first = fx(() -> table.getItems().stream().filter(r -> r.component().environment().equals("prod-eu"))
                .findFirst().orElseThrow().component().name());
        robot.clickOn("#search").write(first + " prod-eu");
        await("one row", Duration.ofSeconds(10), () -> table.getItems().size() == 1);
        fx(() -> {
            table.scrollTo(0);
            table.getSelectionModel().select(0);
            table.requestFocus();
            return null;
        });
        robot.type(KeyCode.ENTER);
        await("the component page opens", Duration.ofSeconds(10), () -> robot.lookup("#component-name").tryQuery().isPresent()
                && first.equals(robot.lookup("#component-name").queryLabeled().getText()));
        for (String id : new String[] {"#action-restore-version", "#action-scale", "#action-restart"}) {
            await(id + " is off, because prod-eu is not live", Duration.ofSeconds(10), () -> {
                Button b = robot.lookup(id).queryButton();
                return b.isDisabled() && b.getTooltip() != null && b.getTooltip().getText().startsWith("not live: prod-eu is ")
                        && b.getTooltip().getText().contains("commands wait for a live connection");
            });
        }
        for (Path f : list(cacheDir)) {
            assertThat(Files.readString(f)).as("no secret in " + f).doesNotContain("super-secret-token-1234");
        }
    }

    @Test
    void whenTheClusterAnswersTheRowsGoLiveWithoutABlankFrameAndTheNewStateIsKept(FxRobot robot) throws IOException {
        Path cacheDir = dir.resolve("live-cache");
        Path kubeconfig = demo.adminKubeconfig();
        LastSeenCache cache = new LastSeenCache(cacheDir);
        for (EnvironmentSnapshot e : seen.environments()) cache.save(key(kubeconfig, e.environment().name()), e, SEEN_AT);

        List<Integer> prodEuRows = new CopyOnWriteArrayList<>();
        MainWindow w = open(robot, kubeconfig, cacheDir);
        robot.interact(() -> w.viewModel().snapshotProperty().addListener((o, a, s) -> {
            EnvironmentSnapshot e = s.environment("prod-eu");
            if (e == null) return;
            prodEuRows.add(e.components().size());
        }));
        UiTestSupport.awaitLive(w);
        await("prod-eu is live", Duration.ofSeconds(30), () -> w.viewModel().snapshotProperty().get().lastSeen().isEmpty()
                && robot.lookup("#connection-prod-eu").queryLabeled().getText().equals("prod-eu connected"));
        assertThat(new ArrayList<>(prodEuRows)).as("prod-eu never showed an empty table on the way").doesNotContain(0);

        List<String> notices = new ArrayList<>();
        await("the live state is kept for the next run", Duration.ofSeconds(30), () ->
                cache.load(key(kubeconfig, "prod-eu"), notices).map(s -> s.seenAt().isAfter(SEEN_AT)).orElse(false));
        assertThat(notices).isEmpty();
        assertThat(cache.load(key(kubeconfig, "prod-eu"), notices).orElseThrow().snapshot().components())
                .extracting(c -> c.name()).containsExactlyInAnyOrderElementsOf(
                        seen.environment("prod-eu").components().stream().map(c -> c.name()).toList());
    }

    private static Path cacheFile(Path cacheDir, String key) {
        return new LastSeenCache(cacheDir).file(key);
    }

    private static List<Path> list(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.toList();
        }
    }
}

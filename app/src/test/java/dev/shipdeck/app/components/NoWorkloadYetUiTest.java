package dev.shipdeck.app.components;

import dev.shipdeck.app.UiTestSupport;
import dev.shipdeck.app.main.MainWindow;
import dev.shipdeck.app.timeline.TimelineRow;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.records.Crds;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import dev.shipdeck.sim.ClusterSim;
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
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static dev.shipdeck.app.UiTestSupport.await;
import static dev.shipdeck.app.UiTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A team's first deploy marker comes before its Deployment: the desktop shows the component anyway — a timeline row,
 * a Components row and a page with its releases and no action that needs a workload — and follows the marker live.
 */
@ExtendWith(ApplicationExtension.class)
class NoWorkloadYetUiTest {
    @TempDir
    static Path dir;
    static ClusterSim sim;
    static KubeClients clients;

    MainWindow window;

    @BeforeAll
    static void startCluster() {
        sim = ClusterSim.builder().scenario("empty").start();
        sim.cluster("sim").apply(String.join("---\n", Crds.yaml()));
        sim.cluster("sim").apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: checkout, namespace: shop, labels: {shipdeck.dev/component-name: checkout}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: checkout}}
                  template:
                    metadata: {labels: {app: checkout, shipdeck.dev/version: "1.4.1"}}
                    spec: {containers: [{name: app, image: "example/checkout:1.4.1"}]}
                """);
        Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
        clients = new KubeClients(Kubeconfig.load(kubeconfig.toString()), KubeClients.Options.CLI);
        // what 'shipdeck release plan d1 --component-name bar-web --target-version 7.1.0 --namespace default' writes
        new ReleaseRecords(clients.clientNow("sim")).create(new ReleaseRecord("d1", "default", "",
                new ReleaseRecord.Spec("bar-web", "sim", null, "7.1.0", "", ReleaseType.DEPLOYMENT, ReleaseRecord.SOURCE_MARKER, false,
                        new Trigger("https://ci.example/pipelines/7", "", "abc1234def", ""), ""),
                new ReleaseRecord.Status(ReleaseStatus.PENDING, "planned", "", Instant.now(), null, "", ClusterSim.ADMIN)));
    }

    @AfterAll
    static void stopCluster() {
        clients.close();
        sim.close();
    }

    @Start
    void start(Stage stage) {
        window = UiTestSupport.open(stage, dir.resolve("kubeconfig"), dir.resolve("config"));
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.stage().close());
    }

    @Test
    void theMarkersComponentHasATimelineRowAComponentsRowAndAPage(FxRobot robot) {
        @SuppressWarnings("unchecked")
        TableView<TimelineRow> timeline = (TableView<TimelineRow>) robot.lookup("#timeline-table").query();
        await("the planned release is in the timeline", Duration.ofSeconds(30), () -> timeline.getItems().stream()
                .anyMatch(r -> r.release().component().equals("bar-web") && r.release().status() == ReleaseStatus.PENDING
                        && r.release().version().equals("7.1.0")));
        assertThat(fx(() -> timeline.getItems().stream().map(r -> r.release().component() + " " + r.release().version()).toList()))
                .as("the ReplicaSet history is still there").contains("checkout 1.4.1");

        robot.clickOn("#components-tab");
        robot.clickOn("#search").write("bar-web");
        @SuppressWarnings("unchecked")
        TableView<ComponentRow> components = (TableView<ComponentRow>) robot.lookup("#components-table").query();
        await("one row, marked as having no workload yet", Duration.ofSeconds(10), () -> components.getItems().size() == 1
                && !components.getItems().get(0).component().hasWorkload());
        Component bar = fx(() -> components.getItems().get(0).component());
        assertThat(bar.status()).isEqualTo(ReleaseStatus.PENDING);
        assertThat(bar.namespace()).isEqualTo("default");
        await("the version column says so", Duration.ofSeconds(5), () -> robot.lookup("#components-table .table-cell")
                .queryAllAs(javafx.scene.control.Labeled.class).stream().anyMatch(l -> Component.NO_WORKLOAD.equals(l.getText())));

        fx(() -> {
            components.scrollTo(0);
            components.getSelectionModel().select(0);
            components.requestFocus();
            return null;
        });
        robot.type(KeyCode.ENTER);

        await("the component page opens", Duration.ofSeconds(10), () -> robot.lookup("#component-name").tryQuery().isPresent()
                && "bar-web".equals(robot.lookup("#component-name").queryLabeled().getText()));
        await("it says there is no workload and no version running", Duration.ofSeconds(10), () ->
                robot.lookup("#component-version").queryLabeled().getText().equals("none running")
                        && robot.lookup("#component-ready").queryLabeled().getText().equals("0/0"));
        for (String id : new String[] {"#action-restore-version", "#action-scale", "#action-restart"}) {
            await(id + " is off, with the reason", Duration.ofSeconds(10), () -> {
                Button b = robot.lookup(id).queryButton();
                return b.isDisabled() && b.getTooltip() != null && b.getTooltip().getText().equals(Component.NO_WORKLOAD);
            });
        }
        assertThat(robot.lookup("#edit-labels").queryButton().isVisible()).as("labels live on a workload").isFalse();

        robot.clickOn("#deployments-tab");
        @SuppressWarnings("unchecked")
        TableView<Release> releases = (TableView<Release>) robot.lookup("#releases-table").query();
        await("its releases are listed", Duration.ofSeconds(10), () -> releases.getItems().size() == 1
                && releases.getItems().get(0).version().equals("7.1.0"));

        // CI moves the marker on ('shipdeck release update d1 --status running'): the page follows
        ReleaseRecords records = new ReleaseRecords(clients.clientNow("sim"));
        ReleaseRecord d1 = records.get("default", "d1");
        records.writeStatus(d1.withStatus(new ReleaseRecord.Status(ReleaseStatus.RUNNING, "running", "", d1.status().startedAt(), null, "",
                ClusterSim.ADMIN)));
        await("the badge turns RUNNING", Duration.ofSeconds(20), () -> releases.getItems().size() == 1
                && releases.getItems().get(0).status() == ReleaseStatus.RUNNING
                && robot.lookup("#component-status").queryLabeled().getText().equals("RUNNING"));
    }
}

package dev.shipdeck.core.records;

import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.CommandResult;
import dev.shipdeck.core.commands.Commands;
import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands run from the console or the CLI are recorded as ReleaseCommands where the CRD exists, in memory elsewhere. */
class ClusterCommandLogTest {
    @TempDir
    Path dir;
    private ClusterSim sim;
    private KubeClients clients;

    private Commands start(boolean crds) {
        sim = ClusterSim.builder().scenario("empty").speed(20).start();
        if (crds) sim.cluster("sim").apply(String.join("---\n", Crds.yaml()));
        sim.cluster("sim").apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop, labels: {shipdeck.dev/component-name: web}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: app, image: "example/web:1.0"}]}
                """);
        clients = new KubeClients(Kubeconfig.load(sim.writeKubeconfig(dir.resolve("kubeconfig")).toString()), KubeClients.Options.CLI);
        List<Environment> envs = List.of(Environment.ofContext("sim"));
        return new Commands(clients, envs, new ClusterCommandLog(clients, envs, Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (clients != null) clients.close();
        if (sim != null) sim.close();
    }

    @Test
    void aCommandRunIsRecordedInTheClusterWithWhoWhatAndOutcome() {
        Commands commands = start(true);

        CommandResult result = commands.run(CommandRequest.of(Action.SCALE, "sim", "web", Map.of("replicas", "3")));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        List<ReleaseCommandRecord> stored = new CommandRecords(clients.clientNow("sim")).list(List.of("shop"));
        assertThat(stored).hasSize(1);
        ReleaseCommandRecord r = stored.get(0);
        assertThat(r.spec().action()).isEqualTo(Action.SCALE);
        assertThat(r.spec().requester()).isEqualTo(ClusterSim.ADMIN);
        assertThat(r.spec().queued()).isFalse();
        assertThat(r.spec().args()).containsEntry("replicas", "3");
        assertThat(r.phase()).isEqualTo(CommandPhase.SUCCEEDED);
        CommandRecord fromHistory = commands.history("sim", "web").get(0);
        assertThat(fromHistory.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(fromHistory.who()).isEqualTo(ClusterSim.ADMIN);
        assertThat(fromHistory.workload()).isEqualTo("web");
    }

    @Test
    void withoutTheCrdTheCommandIsKeptInMemory() {
        Commands commands = start(false);

        commands.run(CommandRequest.of(Action.RESTART, "sim", "web", Map.of()));

        assertThat(new CommandRecords(clients.clientNow("sim")).installed()).isFalse();
        assertThat(commands.history(null, null)).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(Action.RESTART);
            assertThat(c.outcome()).isEqualTo(Outcome.SUCCEEDED);
        });
    }
}

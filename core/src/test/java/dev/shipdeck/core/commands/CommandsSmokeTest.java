package dev.shipdeck.core.commands;

import dev.shipdeck.core.Environments;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.sim.ClusterSim;
import dev.shipdeck.sim.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommandsSmokeTest {
    @Test
    void actionsOnTheDemo(@TempDir Path dir) {
        try (ClusterSim sim = ClusterSim.builder().scenario("demo").speed(20).start()) {
            Kubeconfig k = Kubeconfig.load(List.of(sim.writeKubeconfig(dir.resolve("kc"))), true);
            try (KubeClients clients = new KubeClients(k, KubeClients.Options.CLI)) {
                Commands cmds = new Commands(clients, Environments.resolve(k, null));
                CommandResult plan = cmds.plan(CommandRequest.of(Action.RESTORE_VERSION, "staging", "payments-api", Map.of()));
                System.out.println(plan.outcome() + " " + plan.message() + "\n" + plan.requests());
                CommandResult run = cmds.run(CommandRequest.of(Action.RESTORE_VERSION, "staging", "payments-api", Map.of()));
                System.out.println(run.outcome() + " " + run.message() + " by " + run.record().who());
                assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
                var d = sim.cluster("staging").store().get(Resources.DEPLOYMENTS, "payments", "payments-api");
                System.out.println(d.at("/spec/template/metadata/labels"));
                CommandResult promote = cmds.run(CommandRequest.of(Action.PROMOTE, "prod-eu", "checkout", Map.of()));
                System.out.println(promote.outcome() + " " + promote.message() + " " + promote.requests());
                CommandResult scale = cmds.run(CommandRequest.of(Action.SCALE, "prod-eu", "payments-api", Map.of("replicas", "12")));
                System.out.println(scale.outcome() + " " + scale.message() + " " + scale.warnings());
                CommandResult retry = cmds.run(CommandRequest.of(Action.RETRY, "prod-eu", "checkout", Map.of()));
                System.out.println(retry.outcome() + " " + retry.message());
            }
            Kubeconfig kv = Kubeconfig.load(List.of(sim.writeKubeconfig(dir.resolve("kv"), ClusterSim.VIEWER)), true);
            try (KubeClients clients = new KubeClients(kv, KubeClients.Options.CLI)) {
                Commands cmds = new Commands(clients, Environments.resolve(kv, null));
                CommandResult run = cmds.run(CommandRequest.of(Action.RESTART, "dev", "catalog", Map.of()));
                System.out.println(run.outcome() + " " + run.message());
                assertThat(run.outcome()).isEqualTo(Outcome.REFUSED);
            }
        }
    }
}

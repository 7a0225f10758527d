package dev.shipdeck.cli;

import dev.shipdeck.core.Environments;
import dev.shipdeck.core.matrix.PromotionOrder;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.records.ReleaseRecords;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One command's view of the clusters: the kubeconfig (as kubectl finds it), the environments it defines (restricted
 * to {@code --context}), and one-shot reads of them. Configuration problems end the command with
 * {@link ExitCodes#USAGE}, unknown names with {@link ExitCodes#NOT_FOUND}.
 */
final class Session implements AutoCloseable {
    private final List<Environment> environments;
    private final KubeClients clients;
    private final PromotionOrder promotion;

    private Session(List<Environment> environments, KubeClients clients, PromotionOrder promotion) {
        this.environments = List.copyOf(environments);
        this.clients = clients;
        this.promotion = promotion;
    }

    static Session open(ClusterOptions o, Shipdeck shipdeck) {
        Kubeconfig kubeconfig;
        List<Environment> all;
        PromotionOrder promotion;
        try {
            kubeconfig = Kubeconfig.load(Kubeconfig.locate(o.kubeconfig, shipdeck.env("KUBECONFIG"), shipdeck.home()), o.kubeconfig != null);
            Path file = environmentsFile(o, shipdeck);
            all = Environments.resolve(kubeconfig, file);
            promotion = Environments.promotion(all, file);
        } catch (Kubeconfig.NoKubeconfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(),
                    "create one with your cloud's CLI (e.g. 'aws eks update-kubeconfig'), or pass --kubeconfig FILE");
        } catch (ShipdeckException e) {
            throw CliException.of(ExitCodes.USAGE, e);
        }
        List<Environment> envs = all;
        if (o.context != null) {
            try {
                kubeconfig.context(o.context);
            } catch (ShipdeckException e) {
                throw CliException.of(ExitCodes.NOT_FOUND, e);
            }
            envs = all.stream().filter(e -> e.context().equals(o.context)).toList();
        }
        if (envs.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "the kubeconfig has no contexts (" + String.join(", ", kubeconfig.files().stream()
                    .map(Path::toString).toList()) + ")", "add one with your cloud's CLI, or point --kubeconfig/KUBECONFIG at the right file");
        }
        return new Session(envs, new KubeClients(kubeconfig, KubeClients.Options.CLI.withRequestTimeout(o.requestTimeout)), promotion);
    }

    /** {@code --environments-file}, which must exist when given, else {@link Environments#defaultFile(java.util.Map)}. */
    private static Path environmentsFile(ClusterOptions o, Shipdeck shipdeck) {
        if (o.environmentsFile == null) return Environments.defaultFile(shipdeck.environment());
        if (!Files.isRegularFile(o.environmentsFile)) {
            throw new CliException(ExitCodes.USAGE, "environments file " + o.environmentsFile + " does not exist",
                    "check the path given to --environments-file");
        }
        return o.environmentsFile;
    }

    /** The clients of the kubeconfig's contexts, for commands that write (records, queued commands). */
    KubeClients clients() {
        return clients;
    }

    /** The order versions move through the environments (environments.yaml's promotion:, else their stages, else their order). */
    PromotionOrder promotion() {
        return promotion;
    }

    /** Every environment of this session, in display order. */
    List<Environment> environments() {
        return environments;
    }

    /** The environments named, in display order (all when {@code names} is empty); an unknown name ends the command with NOT_FOUND. */
    List<Environment> select(List<String> names) {
        if (names == null || names.isEmpty()) return environments;
        List<String> known = environments.stream().map(Environment::name).toList();
        for (String n : names) {
            if (!known.contains(n)) {
                throw new CliException(ExitCodes.NOT_FOUND, "unknown environment \"" + n + "\"", "known environments: " + String.join(", ", known));
            }
        }
        return environments.stream().filter(e -> names.contains(e.name())).toList();
    }

    /**
     * Reads the environments once, in parallel; an environment that cannot be read says why in its connection state.
     * Where the cluster keeps Release records they are part of it (the timeline, and components that only have deploy
     * markers so far).
     */
    List<EnvironmentSnapshot> read(List<Environment> envs) {
        return readHistories(envs).stream().map(ReleaseRecords.History::snapshot).toList();
    }

    /** {@link #read}, saying for each environment where its history comes from and whether its records could be read. */
    List<ReleaseRecords.History> readHistories(List<Environment> envs) {
        List<CompletableFuture<ReleaseRecords.History>> all = new ClusterReader(clients).read(envs).stream()
                .map(s -> s.connection().connected()
                        ? CompletableFuture.supplyAsync(() -> ReleaseRecords.history(clients.clientNow(s.environment().context()), s))
                        : CompletableFuture.completedFuture(new ReleaseRecords.History(s, true, null)))
                .toList();
        return all.stream().map(CompletableFuture::join).toList();
    }

    @Override
    public void close() {
        clients.close();
    }
}

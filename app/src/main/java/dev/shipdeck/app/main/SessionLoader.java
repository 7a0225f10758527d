package dev.shipdeck.app.main;

import dev.shipdeck.app.commands.CommandService;
import dev.shipdeck.app.common.FabricClusterGateway;
import dev.shipdeck.app.common.LastSeenCache;
import dev.shipdeck.core.Environments;
import dev.shipdeck.core.commands.Commands;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.live.LiveView;
import dev.shipdeck.core.matrix.PromotionOrder;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.records.ClusterCommandLog;
import dev.shipdeck.sim.ClusterSim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Opens a {@link SessionSource}. Blocking (file reads, starting the simulated cluster): call it through Tasks. */
public final class SessionLoader {
    public static final Duration COALESCE = Duration.ofMillis(250);

    private final Map<String, String> env;

    /** Finds the kubeconfig and the environments file from this process's environment variables, as kubectl does. */
    public SessionLoader() {
        this(System.getenv());
    }

    /** With other environment variables ({@code KUBECONFIG}, {@code HOME}, ...), e.g. in tests. */
    public SessionLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * Opens the source; throws {@link Kubeconfig.NoKubeconfigException} when there is no kubeconfig at all, and a
     * {@link dev.shipdeck.core.ShipdeckException} that says what is wrong for a broken one.
     */
    public Session open(SessionSource source) {
        return switch (source.kind()) {
            case KUBECONFIG -> {
                Kubeconfig kc = Kubeconfig.load(source.kubeconfig(), env);
                Path file = Environments.defaultFile(env);
                List<Environment> envs = Environments.resolve(kc, file);
                PromotionOrder promotion = Environments.promotion(envs, file);
                LastSeen lastSeen = LastSeenCache.inDefaultDirectory(env)
                        .map(cache -> new LastSeen(cache, envs, e -> cacheKey(kc, e), Clock.systemUTC())).orElse(null);
                yield session(kc.files().size() == 1 ? kc.files().get(0).toString() : kc.files().toString(), kc, envs, null, null, lastSeen,
                        promotion, file);
            }
            case DEMO -> simulated("demo cluster", ClusterSim.builder().scenario("demo").releaseRecords(true).activity(true), source.user());
            case BENCHMARK -> simulated("benchmark cluster (" + source.components() + " components)",
                    ClusterSim.builder().scenario("empty").clusters("bench").components(source.components()), null);
        };
    }

    private Session simulated(String description, ClusterSim.Builder builder, String user) {
        ClusterSim sim = builder.start();
        try {
            Path dir = Files.createTempDirectory("shipdeck-demo-");
            Path file = sim.writeKubeconfig(dir.resolve("kubeconfig"), user == null ? ClusterSim.ADMIN : user);
            Kubeconfig kc = Kubeconfig.load(file.toString());
            // a demo ignores the person's environments.yaml: its contexts are the simulated clusters
            List<Environment> envs = Environments.resolve(kc, null);
            return session(description + (user != null && !user.equals(ClusterSim.ADMIN) ? " as " + user : ""), kc,
                    envs, sim, dir, null, Environments.promotion(envs, null), null); // generated afresh each time: nothing to keep
        } catch (IOException e) {
            sim.close();
            throw new UncheckedIOException("cannot write the demo kubeconfig: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    /**
     * What an environment's last known state is kept under: its context, the context's server and its namespaces —
     * another cluster behind the same context name is another key. Null when the context cannot be resolved.
     */
    static String cacheKey(Kubeconfig kc, Environment e) {
        try {
            String server = kc.cluster(kc.context(e.context())).body().path("server").asText("");
            return "environment=" + e.name() + "\ncontext=" + e.context() + "\nserver=" + server + "\nnamespaces=" + e.namespaces();
        } catch (RuntimeException ex) {
            return null;
        }
    }

    private static Session session(String description, Kubeconfig kc, List<Environment> envs, ClusterSim sim, Path tempDir,
                                   LastSeen lastSeen, PromotionOrder promotion, Path environmentsFile) {
        KubeClients clients = new KubeClients(kc, KubeClients.Options.INTERACTIVE);
        // with the Release records: deploy markers and the agent's history, and components with markers only
        LiveView live = new LiveView(clients, envs, COALESCE, true);
        // the audit goes to ReleaseCommand objects where the CRD is installed (the whole team sees it), else memory
        Commands commands = new Commands(clients, envs, new ClusterCommandLog(clients, envs, Clock.systemUTC()), Clock.systemUTC());
        return new Session(description, envs, clients, live, CommandService.of(commands),
                new FabricClusterGateway(clients, envs), sim, tempDir, lastSeen, promotion, environmentsFile);
    }
}

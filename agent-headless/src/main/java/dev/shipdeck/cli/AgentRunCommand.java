package dev.shipdeck.cli;

import dev.shipdeck.agent.Agent;
import dev.shipdeck.agent.AgentLog;
import dev.shipdeck.agent.InCluster;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.records.Retention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code shipdeck agent run}: watches one cluster and records its releases until stopped. */
@Command(name = "run",
        header = "Watch a cluster and record every release, run queued commands, prune old records.",
        description = {
            "In a pod (--in-cluster, or when no kubeconfig is given and a ServiceAccount is mounted) the agent uses its "
                + "ServiceAccount; elsewhere a kubeconfig context. It watches the managed namespaces, writes a Release "
                + "record for every new pod template of a component and follows it to SUCCESS, FAILED or CANCELLED, runs "
                + "the ReleaseCommands queued with --queue, and deletes records beyond the retention. Several replicas "
                + "elect a leader through a Lease; only the leader writes. After a restart it resumes from the records.",
            "",
            "Logs are JSON lines on stderr. /healthz, /readyz and /metrics (Prometheus) are served on --port."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # From a workstation, against the staging context, two namespaces",
            "  shipdeck agent run --context staging --managed-namespaces shop,payments --port 9090"})
final class AgentRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig (default: KUBECONFIG, else ~/.kube/config).")
    String kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context (default: its current context).")
    String context;

    @Option(names = "--in-cluster", description = "Use the pod's ServiceAccount.")
    boolean inCluster;

    @Option(names = "--environment-name", paramLabel = "NAME", description = "The environment name in the records (default: the context).")
    String environmentName;

    @Option(names = "--managed-namespaces", paramLabel = "NS", split = ",", description = "The namespaces to watch (default: all).")
    List<String> managedNamespaces = new ArrayList<>();

    @Option(names = "--lease-namespace", paramLabel = "NS", description = "Where the leader lease is (default: the pod's or the context's namespace).")
    String leaseNamespace;

    @Option(names = "--lease-name", paramLabel = "NAME", defaultValue = "shipdeck-agent", description = "The leader lease (default: ${DEFAULT-VALUE}).")
    String leaseName;

    @Option(names = "--identity", paramLabel = "ID", description = "This replica's name in the lease (default: POD_NAME, else host and process id).")
    String identity;

    @Option(names = "--lease-duration", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
            description = "A standby takes over after the leader was silent this long (default: ${DEFAULT-VALUE}).")
    Duration leaseDuration;

    @Option(names = "--renew-deadline", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "A leader that cannot renew stops writing after this long (default: ${DEFAULT-VALUE}).")
    Duration renewDeadline;

    @Option(names = "--retry-period", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How often the lease is renewed or tried (default: ${DEFAULT-VALUE}).")
    Duration retryPeriod;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port of /healthz, /readyz, /metrics; 0 = any (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--command-expiry", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "A queued command not picked up within this window is EXPIRED (default: ${DEFAULT-VALUE}).")
    Duration commandExpiry;

    @Option(names = "--retention-count", paramLabel = "N", defaultValue = "100",
            description = "Finished records kept per component (default: ${DEFAULT-VALUE}).")
    int retentionCount;

    @Option(names = "--retention-days", paramLabel = "DAYS", defaultValue = "90",
            description = "Finished records older than this are deleted (default: ${DEFAULT-VALUE}).")
    int retentionDays;

    @Option(names = "--prune-interval", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How often old records are pruned (default: ${DEFAULT-VALUE}).")
    Duration pruneInterval;

    @Option(names = "--resync", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How often the agent looks again when nothing changes (default: ${DEFAULT-VALUE}).")
    Duration resync;

    @Option(names = "--sync-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long listing the cluster may take before the agent logs why it is not ready; it goes on trying (default: ${DEFAULT-VALUE}).")
    Duration syncTimeout;

    @Override
    public Integer call() throws IOException {
        Shipdeck root = (Shipdeck) spec.root().userObject();
        Kubeconfig kc;
        String ctx;
        String podNamespace = null;
        boolean useServiceAccount = inCluster || kubeconfig == null && root.env("KUBECONFIG") == null
                && InCluster.available(System.getenv(), InCluster.SERVICE_ACCOUNT);
        try {
            if (useServiceAccount) {
                InCluster pod = InCluster.create(System.getenv(), InCluster.SERVICE_ACCOUNT, Files.createTempDirectory("shipdeck-agent"));
                kc = Kubeconfig.load(List.of(pod.kubeconfig()), true);
                ctx = InCluster.CONTEXT;
                podNamespace = pod.namespace();
            } else {
                kc = Kubeconfig.load(Kubeconfig.locate(kubeconfig, root.env("KUBECONFIG"), root.home()), kubeconfig != null);
                ctx = context != null ? context : kc.currentContext();
                if (ctx == null) {
                    throw new CliException(ExitCodes.USAGE, "the kubeconfig has no current context", "name one with --context");
                }
                Kubeconfig.Context c = kc.context(ctx);
                podNamespace = c.namespace().isEmpty() ? "default" : c.namespace();
            }
        } catch (CliException e) {
            throw e;
        } catch (ShipdeckException e) {
            throw CliException.of(ExitCodes.USAGE, e);
        }
        if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
            throw new CliException(ExitCodes.USAGE, "the lease timing must be --retry-period < --renew-deadline < --lease-duration",
                    "e.g. --lease-duration 15s --renew-deadline 10s --retry-period 2s");
        }
        Agent.Config config;
        try {
            Retention retention = new Retention(retentionCount, Duration.ofDays(retentionDays));
            Environment env = new Environment(environmentName != null ? environmentName : ctx, ctx, "", managedNamespaces, Labels.NONE, 0);
            config = new Agent.Config(env, leaseNamespace != null ? leaseNamespace : podNamespace, leaseName, identity(root),
                    leaseDuration, renewDeadline, retryPeriod, port, commandExpiry, retention, pruneInterval, resync, syncTimeout);
        } catch (ShipdeckException e) {
            throw CliException.of(ExitCodes.USAGE, e);
        }
        KubeClients clients = new KubeClients(kc, new KubeClients.Options(Duration.ofSeconds(10), Duration.ofSeconds(30), 2, Duration.ofSeconds(60)));
        PrintStream stderr = System.err;
        AgentLog log = new AgentLog(stderr, Clock.systemUTC(), clients::secrets);
        log.captureLibraryOutput();
        Agent agent;
        try {
            agent = new Agent(config, clients, log, Clock.systemUTC()).start();
        } catch (ShipdeckException e) {
            clients.close();
            throw CliException.of(ExitCodes.FAILED, e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            clients.close();
            stopped.countDown();
        }, "shipdeck-agent-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }

    private String identity(Shipdeck root) {
        if (identity != null) return identity;
        String pod = root.env("POD_NAME");
        if (pod != null && !pod.isBlank()) return pod;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "shipdeck-agent";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

}

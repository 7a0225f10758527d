package dev.shipdeck.cli;

import dev.shipdeck.agent.Install;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.Environment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code shipdeck install}: the CRDs, the agent's RBAC and its Deployment, printed or applied. */
@Command(name = "install",
        header = "Print (or apply) the CRDs, RBAC and Deployment of the Shipdeck agent.",
        description = {
            "Prints one YAML stream: the releases.shipdeck.dev and releasecommands.shipdeck.dev CRDs, the agent's "
                + "namespace and ServiceAccount, the RBAC it uses and nothing more (list/watch of Deployments, "
                + "ReplicaSets and Rollouts, the patches of the commands it runs, its records, its leader Lease), and the "
                + "agent Deployment (two replicas, one leader) with probes and resource limits. With --apply it is "
                + "applied to the cluster of --context (server-side apply)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # Look at it, then apply it with kubectl",
            "  shipdeck install --managed-namespaces shop,payments | kubectl apply -f -",
            "",
            "  # Or let shipdeck apply it to the staging cluster",
            "  shipdeck install --apply --context staging"})
final class InstallCommand implements Callable<Integer> {
    /** The environment name in the records without --environment-name and --context. */
    static final String DEFAULT_ENVIRONMENT = "cluster";

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "shipdeck-system", converter = NamespaceConverter.class,
            description = "The agent's namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--managed-namespaces", paramLabel = "NS", split = ",", converter = NamespaceConverter.class,
            description = "The namespaces the agent watches and acts in (default: all, through a ClusterRole).")
    List<String> managedNamespaces = new ArrayList<>();

    @Option(names = "--image", paramLabel = "IMAGE", description = "The shipdeck image (default: ${DEFAULT-VALUE}).",
            defaultValue = "ghcr.io/shipdeck/shipdeck:0.1.0")
    String image;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "2", description = "Agent replicas; one leads (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--environment-name", paramLabel = "NAME", description = "The environment name in the records (default: the context, else 'cluster').")
    String environmentName;

    @Option(names = "--agent-arg", paramLabel = "ARG", description = "An extra argument for 'shipdeck agent run' (repeat), e.g. --agent-arg=--retention-count=50.")
    List<String> agentArgs = new ArrayList<>();

    @Option(names = "--apply", description = "Apply to the cluster of --context instead of printing.")
    boolean apply;

    @Override
    public Integer call() {
        if (replicas < 1) throw new CliException(ExitCodes.USAGE, "--replicas must be at least 1", "use 2 for a standby");
        if (!apply) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(install(environmentName != null ? environmentName : cluster.context != null ? cluster.context : DEFAULT_ENVIRONMENT).yaml());
            out.flush();
            return ExitCodes.OK;
        }
        try (Session session = Session.open(cluster, (Shipdeck) spec.root().userObject())) {
            Environment env = NestedClusterCommand.environment(session, null, "--context");
            Install install = install(environmentName != null ? environmentName : env.name());
            KubernetesClient client = session.clients().clientNow(env.context());
            List<String> docs = List.of(install.yaml().split("(?m)^---\\n"));
            for (String doc : docs) {
                GenericKubernetesResource obj = client.getKubernetesSerialization().unmarshal(doc, GenericKubernetesResource.class);
                try {
                    client.resource(obj).fieldManager("shipdeck").forceConflicts().serverSideApply();
                } catch (KubernetesClientException e) {
                    throw new CliException(e.getCode() == 403 ? ExitCodes.REFUSED : ExitCodes.FAILED, "cannot apply " + obj.getKind() + " "
                            + obj.getMetadata().getName() + ": " + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage()),
                            e.getCode() == 403 ? "installing needs cluster-admin (CRDs, ClusterRoles)" : "check the connection to the cluster");
                }
                spec.commandLine().getOut().println(obj.getKind().toLowerCase(java.util.Locale.ROOT) + "/" + obj.getMetadata().getName() + " applied");
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (ShipdeckException e) {
            if (e instanceof CliException ce) throw ce;
            throw CliException.of(ExitCodes.FAILED, e);
        }
    }

    private Install install(String environment) {
        return new Install(namespace, managedNamespaces, image, replicas, environment, agentArgs);
    }
}

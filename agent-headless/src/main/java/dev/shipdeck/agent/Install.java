package dev.shipdeck.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.shipdeck.core.records.Crds;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code shipdeck install} puts into a cluster: the two CRDs, the agent's namespace and ServiceAccount, the RBAC
 * it needs and nothing more ({@link #AGENT_RULES} in the managed namespaces, {@link #LEASE_RULES} in its own), and the
 * agent Deployment with probes, resource limits and a locked-down security context.
 *
 * @param managedNamespaces empty: every namespace (a ClusterRole); else one Role and RoleBinding per namespace
 * @param replicas 2 or more: one leads and writes, the others stand by
 */
public record Install(String namespace, List<String> managedNamespaces, String image, int replicas, String environmentName,
                      List<String> agentArgs) {
    public static final String NAME = "shipdeck-agent";

    /** One RBAC rule: verbs on resources of an API group. */
    public record Rule(String group, List<String> resources, List<String> verbs, List<String> resourceNames) {
        Rule(String group, List<String> resources, List<String> verbs) {
            this(group, resources, verbs, List.of());
        }
    }

    /**
     * What the agent does in a managed namespace: watch Deployments, ReplicaSets and Rollouts (core's LiveView),
     * send the commands it runs (patches, as kubectl and the Argo plugin send them), keep the records, and write the
     * Event of each command it runs on the workload.
     */
    public static final List<Rule> AGENT_RULES = List.of(
            new Rule("apps", List.of("deployments", "replicasets"), List.of("list", "watch")),
            new Rule("apps", List.of("deployments"), List.of("patch")),
            new Rule("apps", List.of("deployments/scale"), List.of("patch")),
            new Rule("argoproj.io", List.of("rollouts"), List.of("list", "watch", "patch")),
            new Rule("argoproj.io", List.of("rollouts/status"), List.of("patch")),
            new Rule("shipdeck.dev", List.of("releases"), List.of("list", "watch", "create", "update", "delete")),
            new Rule("shipdeck.dev", List.of("releases/status"), List.of("update")),
            new Rule("shipdeck.dev", List.of("releasecommands"), List.of("list", "watch", "delete")),
            new Rule("shipdeck.dev", List.of("releasecommands/status"), List.of("update")),
            // the Event each queued command it runs leaves on its workload (who, what, why)
            new Rule("", List.of("events"), List.of("create")));

    /** Leader election, in the agent's own namespace: create the lease once, then read and renew that one lease. */
    public static final List<Rule> LEASE_RULES = List.of(
            new Rule("coordination.k8s.io", List.of("leases"), List.of("create")),
            new Rule("coordination.k8s.io", List.of("leases"), List.of("get", "update"), List.of(NAME)));

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // a string such as the "8080" of --port must stay a string: Kubernetes refuses a number in args
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    public Install {
        managedNamespaces = List.copyOf(managedNamespaces);
        agentArgs = List.copyOf(agentArgs);
    }

    /** Every object, CRDs first, as one YAML stream for {@code kubectl apply -f -}. */
    public String yaml() {
        List<String> docs = new ArrayList<>(Crds.yaml());
        for (ObjectNode o : objects()) {
            try {
                docs.add(YAML.writeValueAsString(o));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return String.join("---\n", docs.stream().map(d -> d.endsWith("\n") ? d : d + "\n").toList());
    }

    /** The objects after the CRDs, in the order they must be applied. */
    public List<ObjectNode> objects() {
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode ns = object("v1", "Namespace", namespace, null);
        out.add(ns);
        out.add(object("v1", "ServiceAccount", NAME, namespace));
        out.add(role("Role", NAME + "-leader-election", namespace, LEASE_RULES));
        out.add(binding("RoleBinding", NAME + "-leader-election", namespace, "Role"));
        if (managedNamespaces.isEmpty()) {
            out.add(role("ClusterRole", NAME, null, AGENT_RULES));
            out.add(binding("ClusterRoleBinding", NAME, null, "ClusterRole"));
        } else {
            for (String managed : managedNamespaces) {
                out.add(role("Role", NAME, managed, AGENT_RULES));
                out.add(binding("RoleBinding", NAME, managed, "Role"));
            }
        }
        out.add(deployment());
        return out;
    }

    private static ObjectNode object(String apiVersion, String kind, String name, String namespace) {
        ObjectNode o = YAML.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        if (namespace != null) meta.put("namespace", namespace);
        meta.putObject("labels").put("app.kubernetes.io/name", NAME).put("app.kubernetes.io/part-of", "shipdeck");
        return o;
    }

    private static ObjectNode role(String kind, String name, String namespace, List<Rule> rules) {
        ObjectNode o = object("rbac.authorization.k8s.io/v1", kind, name, namespace);
        ArrayNode rs = o.putArray("rules");
        for (Rule r : rules) {
            ObjectNode n = rs.addObject();
            n.putArray("apiGroups").add(r.group());
            ArrayNode res = n.putArray("resources");
            r.resources().forEach(res::add);
            if (!r.resourceNames().isEmpty()) {
                ArrayNode names = n.putArray("resourceNames");
                r.resourceNames().forEach(names::add);
            }
            ArrayNode verbs = n.putArray("verbs");
            r.verbs().forEach(verbs::add);
        }
        return o;
    }

    private ObjectNode binding(String kind, String name, String bindingNamespace, String roleKind) {
        ObjectNode o = object("rbac.authorization.k8s.io/v1", kind, name, bindingNamespace);
        o.putObject("roleRef").put("apiGroup", "rbac.authorization.k8s.io").put("kind", roleKind).put("name", name);
        o.putArray("subjects").addObject().put("kind", "ServiceAccount").put("name", NAME).put("namespace", namespace);
        return o;
    }

    private ObjectNode deployment() {
        ObjectNode d = object("apps/v1", "Deployment", NAME, namespace);
        ObjectNode spec = d.putObject("spec");
        spec.put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", NAME);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app.kubernetes.io/name", NAME).put("app.kubernetes.io/part-of", "shipdeck");
        ObjectNode pod = template.putObject("spec");
        pod.put("serviceAccountName", NAME);
        ObjectNode podSecurity = pod.putObject("securityContext");
        podSecurity.put("runAsNonRoot", true).put("runAsUser", 10001);
        podSecurity.putObject("seccompProfile").put("type", "RuntimeDefault");
        ObjectNode c = pod.putArray("containers").addObject();
        c.put("name", "agent").put("image", image);
        ArrayNode args = c.putArray("args");
        List.of("agent", "run", "--in-cluster", "--environment-name", environmentName, "--port", "8080").forEach(args::add);
        if (!managedNamespaces.isEmpty()) args.add("--managed-namespaces").add(String.join(",", managedNamespaces));
        agentArgs.forEach(args::add);
        ArrayNode env = c.putArray("env");
        env.addObject().put("name", "POD_NAME").putObject("valueFrom").putObject("fieldRef").put("fieldPath", "metadata.name");
        env.addObject().put("name", "JAVA_TOOL_OPTIONS").put("value", "-XX:MaxRAMPercentage=70");
        c.putArray("ports").addObject().put("name", "http").put("containerPort", 8080);
        probe(c.putObject("livenessProbe"), "/healthz", 10, 3);
        probe(c.putObject("readinessProbe"), "/readyz", 5, 2);
        ObjectNode resources = c.putObject("resources");
        resources.putObject("requests").put("cpu", "50m").put("memory", "256Mi");
        resources.putObject("limits").put("cpu", "500m").put("memory", "512Mi");
        ObjectNode security = c.putObject("securityContext");
        security.put("allowPrivilegeEscalation", false).put("readOnlyRootFilesystem", true);
        security.putObject("capabilities").putArray("drop").add("ALL");
        c.putArray("volumeMounts").addObject().put("name", "tmp").put("mountPath", "/tmp");
        pod.putArray("volumes").addObject().put("name", "tmp").putObject("emptyDir").put("sizeLimit", "16Mi");
        return d;
    }

    private static void probe(ObjectNode p, String path, int period, int failures) {
        p.putObject("httpGet").put("path", path).put("port", "http");
        p.put("initialDelaySeconds", 10).put("periodSeconds", period).put("failureThreshold", failures);
    }
}

package dev.shipdeck.app.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.model.Environment;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link ClusterGateway} through core's fabric8 clients, one per environment's context. */
public final class FabricClusterGateway implements ClusterGateway {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubeClients clients;
    private final List<Environment> environments;

    public FabricClusterGateway(KubeClients clients, List<Environment> environments) {
        this.clients = clients;
        this.environments = List.copyOf(environments);
    }

    private KubernetesClient client(String environment) {
        for (Environment e : environments) {
            if (e.name().equals(environment)) return clients.clientNow(e.context());
        }
        throw new ShipdeckException("unknown environment \"" + environment + "\"", "");
    }

    @Override
    public JsonNode replicaSetTemplate(String environment, String namespace, String name) {
        GenericKubernetesResource rs = client(environment).genericKubernetesResources("apps/v1", "ReplicaSet")
                .inNamespace(namespace).withName(name).get();
        if (rs == null) return MissingNode.getInstance();
        JsonNode node = JSON.valueToTree(rs.getAdditionalProperties());
        return node.path("spec").path("template");
    }

    @Override
    public List<Pod> pods(String environment, String namespace, String label, String value) {
        List<Pod> out = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Pod p : client(environment).pods().inNamespace(namespace).withLabel(label, value).list().getItems()) {
            boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            int restarts = 0;
            if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
                for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
                    restarts += cs.getRestartCount() == null ? 0 : cs.getRestartCount();
                }
            }
            String created = p.getMetadata().getCreationTimestamp();
            out.add(new Pod(p.getMetadata().getName(), p.getStatus() == null || p.getStatus().getPhase() == null ? "Unknown" : p.getStatus().getPhase(),
                    ready, restarts, created == null ? null : Instant.parse(created)));
        }
        out.sort(Comparator.comparing(Pod::createdAt, Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Pod::name));
        return out;
    }
}

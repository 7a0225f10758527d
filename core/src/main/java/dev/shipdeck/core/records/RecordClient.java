package dev.shipdeck.core.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.kube.Failures;
import dev.shipdeck.core.kube.Redact;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Create, read, update and delete of one kind of record through fabric8's generic resources, with clear errors. */
final class RecordClient {
    private final KubernetesClient client;
    private final ResourceDefinitionContext type;

    RecordClient(KubernetesClient client, ResourceDefinitionContext type) {
        this.client = client;
        this.type = type;
    }

    static ResourceDefinitionContext type(String plural, String kind) {
        return new ResourceDefinitionContext.Builder().withGroup(ReleaseRecords.GROUP).withVersion(ReleaseRecords.VERSION)
                .withPlural(plural).withKind(kind).withNamespaced(true).build();
    }

    /** Whether the API server serves this kind (its CRD is installed and established). */
    boolean served() {
        APIResourceList list;
        try {
            list = client.getApiResources(ReleaseRecords.API_VERSION);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) return false;
            throw failure("cannot ask the API server whether " + type.getPlural() + "." + ReleaseRecords.GROUP + " is installed", e);
        }
        if (list == null || list.getResources() == null) return false;
        for (APIResource r : list.getResources()) {
            if (type.getPlural().equals(r.getName())) return true;
        }
        return false;
    }

    /** Every object in {@code namespaces} (all namespaces when empty). */
    List<JsonNode> list(List<String> namespaces) {
        List<GenericKubernetesResource> items = new ArrayList<>();
        if (namespaces.isEmpty()) {
            items.addAll(call("list " + type.getPlural(), () -> client.genericKubernetesResources(type).inAnyNamespace().list().getItems()));
        } else {
            for (String ns : namespaces) {
                items.addAll(call("list " + type.getPlural() + " in " + ns,
                        () -> client.genericKubernetesResources(type).inNamespace(ns).list().getItems()));
            }
        }
        return items.stream().map(this::json).toList();
    }

    /** The object, or null when there is none of that name. */
    JsonNode get(String namespace, String name) {
        GenericKubernetesResource r = call("read " + type.getKind() + " " + namespace + "/" + name,
                () -> client.genericKubernetesResources(type).inNamespace(namespace).withName(name).get());
        return r == null ? null : json(r);
    }

    /** Creates the object without its status (the API server ignores a status sent with a create). */
    JsonNode create(ObjectNode obj) {
        ObjectNode o = obj.deepCopy();
        o.remove("status");
        ((ObjectNode) o.path("metadata")).remove("resourceVersion");
        String ns = o.path("metadata").path("namespace").asText();
        return json(call("create " + type.getKind() + " " + ns + "/" + o.path("metadata").path("name").asText(),
                () -> client.genericKubernetesResources(type).inNamespace(ns).resource(generic(o)).create()));
    }

    /** Replaces the status; fails with a conflict when the object changed since {@code obj} was read. */
    JsonNode updateStatus(ObjectNode obj) {
        String ns = obj.path("metadata").path("namespace").asText();
        return json(call("update the status of " + type.getKind() + " " + ns + "/" + obj.path("metadata").path("name").asText(),
                () -> client.genericKubernetesResources(type).inNamespace(ns).resource(generic(obj)).updateStatus()));
    }

    /** Replaces metadata and spec; fails with a conflict when the object changed since {@code obj} was read. */
    JsonNode update(ObjectNode obj) {
        String ns = obj.path("metadata").path("namespace").asText();
        return json(call("update " + type.getKind() + " " + ns + "/" + obj.path("metadata").path("name").asText(),
                () -> client.genericKubernetesResources(type).inNamespace(ns).resource(generic(obj)).update()));
    }

    void delete(String namespace, String name) {
        call("delete " + type.getKind() + " " + namespace + "/" + name,
                () -> client.genericKubernetesResources(type).inNamespace(namespace).withName(name).delete());
    }

    private GenericKubernetesResource generic(JsonNode o) {
        return client.getKubernetesSerialization().convertValue(o, GenericKubernetesResource.class);
    }

    private JsonNode json(GenericKubernetesResource r) {
        return client.getKubernetesSerialization().convertValue(r, JsonNode.class);
    }

    private static <T> T call(String what, Supplier<T> op) {
        try {
            return op.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                boolean exists = e.getStatus() != null && "AlreadyExists".equals(e.getStatus().getReason());
                throw new RecordConflictException("cannot " + what + ": " + (exists ? "it already exists" : "it was changed by someone else"), exists);
            }
            throw failure("cannot " + what, e);
        }
    }

    private static ShipdeckException failure(String what, KubernetesClientException e) {
        if (e.getCode() <= 0 || e.getCode() == 401) {
            // no answer (unreachable, timed out, TLS) or rejected credentials: say it as reads say it
            return e.getCode() == 401 ? new dev.shipdeck.core.kube.ClusterException(Failures.http(401, "", java.util.Set.of()), e)
                    : Failures.exception(e, java.util.Set.of());
        }
        String msg = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
        String hint = switch (e.getCode()) {
            case 403 -> "ask for permission on " + ReleaseRecords.GROUP + " records, or check the agent's install (shipdeck install)";
            case 404 -> "install the CRDs with: shipdeck install --apply";
            case 401 -> "log in again to refresh the credentials: the API server rejected them";
            default -> "check the connection to the cluster";
        };
        return new ShipdeckException(what + ": " + Redact.text(msg.split("\n")[0]), hint, e);
    }
}

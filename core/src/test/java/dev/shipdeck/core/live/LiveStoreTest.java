package dev.shipdeck.core.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the live view keeps of each object: everything the rules read, without the bookkeeping no view shows. */
class LiveStoreTest {
    private final KubernetesSerialization json = new KubernetesSerialization();

    @Test
    void managedFieldsAndTheLastAppliedCopyAreNotKept() {
        GenericKubernetesResource d = json.unmarshal("""
                {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "api", "namespace": "shop", "uid": "u1", "resourceVersion": "7",
                   "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\\"big\\": true}", "shipdeck.dev/labels": "team:payments"},
                   "managedFields": [{"manager": "kubectl", "operation": "Apply", "fieldsV1": {"f:spec": {}}}]},
                 "spec": {"replicas": 3, "template": {"metadata": {"labels": {"app": "api"}},
                   "spec": {"containers": [{"name": "app", "image": "example/api:1.0.0", "env": [{"name": "A", "value": "b"}]}]}}},
                 "status": {"readyReplicas": 3}}
                """, GenericKubernetesResource.class);
        LiveStore store = new LiveStore(LiveKinds.of(false), o -> json.convertValue(o, JsonNode.class));
        JsonNode kept = store.keepNewest(LiveKinds.of(false).get(0), d);

        assertThat(kept.path("metadata").has("managedFields")).isFalse();
        assertThat(kept.path("metadata").path("annotations").has("kubectl.kubernetes.io/last-applied-configuration")).isFalse();
        assertThat(kept.path("metadata").path("annotations").path("shipdeck.dev/labels").asText()).isEqualTo("team:payments");
        assertThat(kept.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(kept.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("example/api:1.0.0");
        assertThat(kept.path("status").path("readyReplicas").asInt()).isEqualTo(3);
        assertThat(store.of(LiveKinds.of(false).get(0))).containsExactly(kept);
    }
}

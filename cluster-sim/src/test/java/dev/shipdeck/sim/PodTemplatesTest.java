package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PodTemplatesTest {
    private static ObjectNode template(String json) {
        return (ObjectNode) Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static final String BASE = """
            {"metadata": {"labels": {"app": "web", "tier": "front"}},
             "spec": {"containers": [{"name": "main", "image": "nginx:1.25"}]}}""";

    @Test
    void hashIsStableShortSafeAndIgnoresKeyOrderAndHashLabels() {
        String hash = PodTemplates.hash(template(BASE));
        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
        JsonNode reordered = template("""
                {"spec": {"containers": [{"image": "nginx:1.25", "name": "main"}]},
                 "metadata": {"labels": {"tier": "front", "app": "web", "pod-template-hash": "x",
                                         "rollouts-pod-template-hash": "y"}}}""");
        assertThat(PodTemplates.hash(reordered)).isEqualTo(hash);
        assertThat(PodTemplates.sameTemplate(reordered, template(BASE))).isTrue();
        assertThat(PodTemplates.hash(template(BASE.replace("1.25", "1.26")))).isNotEqualTo(hash);
        assertThat(PodTemplates.hash(template(BASE), 1)).isNotEqualTo(hash);
    }

    @Test
    void withoutHashLabelsKeepsOtherLabelsAndLeavesTheInputAlone() {
        ObjectNode t = template(BASE);
        ((ObjectNode) t.path("metadata").path("labels")).put("pod-template-hash", "abc");
        ObjectNode stripped = PodTemplates.withoutHashLabels(t);
        assertThat(stripped.path("metadata").path("labels").has("pod-template-hash")).isFalse();
        assertThat(stripped.path("metadata").path("labels").path("app").asText()).isEqualTo("web");
        assertThat(t.path("metadata").path("labels").has("pod-template-hash")).isTrue();
    }

    @Test
    void neverReadyByAnnotationOrBrokenImageTag() {
        assertThat(PodTemplates.neverReady(template(BASE))).isFalse();
        assertThat(PodTemplates.neverReady(template(BASE.replace("nginx:1.25", "nginx:1.25-broken")))).isTrue();
        assertThat(PodTemplates.neverReady(template(BASE.replace("nginx:1.25", "broken-registry:5000/nginx")))).isFalse();
        assertThat(PodTemplates.neverReady(template("""
                {"metadata": {"annotations": {"sim.shipdeck.dev/never-ready": "true"}},
                 "spec": {"containers": [{"name": "main", "image": "nginx:1.25"}]}}"""))).isTrue();
    }

    @Test
    void readyAfterReadsDecimalSecondsWithADefault() {
        assertThat(PodTemplates.readyAfter(template(BASE))).isEqualTo(Duration.ofSeconds(3));
        assertThat(PodTemplates.readyAfter(template("""
                {"metadata": {"annotations": {"sim.shipdeck.dev/ready-after-seconds": "1.5"}}}""")))
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(PodTemplates.readyAfter(template("""
                {"metadata": {"annotations": {"sim.shipdeck.dev/ready-after-seconds": "soon"}}}""")))
                .isEqualTo(Duration.ofSeconds(3));
    }
}

package dev.shipdeck.core.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field Shipdeck writes is declared in its CRD's schema (a real API server prunes undeclared fields), and a
 * record reads back as it was written.
 */
class RecordSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    private static JsonNode schema(int index) throws IOException {
        JsonNode crd = YAML.readTree(Crds.yaml().get(index));
        assertThat(crd.path("spec").path("versions").get(0).path("subresources").has("status")).isTrue();
        assertThat(crd.path("spec").path("versions").get(0).path("additionalPrinterColumns")).isNotEmpty();
        return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    }

    private static List<String> undeclared(JsonNode value, JsonNode schema, String path) {
        List<String> out = new ArrayList<>();
        if (!value.isObject()) return out;
        if (path.equals(".metadata")) return out;
        JsonNode props = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode sub = props.get(e.getKey());
            if (sub == null && additional.isObject()) continue;
            if (sub == null) {
                out.add(path + "." + e.getKey());
            } else {
                JsonNode allowed = sub.get("enum");
                if (allowed != null) {
                    boolean ok = false;
                    for (JsonNode a : allowed) ok |= a.asText().equals(e.getValue().asText());
                    if (!ok) out.add(path + "." + e.getKey() + "=" + e.getValue());
                }
                out.addAll(undeclared(e.getValue(), sub, path + "." + e.getKey()));
            }
        }
        return out;
    }

    @Test
    void aReleaseRecordWritesOnlyDeclaredFieldsAndReadsBack() throws IOException {
        ReleaseRecord r = new ReleaseRecord("checkout-abc-3", "shop", "42",
                new ReleaseRecord.Spec("checkout", "prod-eu", new ReleaseRecord.WorkloadRef(WorkloadKind.ROLLOUT, "checkout", "u-1", "abc", 3),
                        "1.4.2", "1.4.1", ReleaseType.PROGRESSIVE, "agent", true,
                        new Trigger("https://ci/p/1", "https://ci/j/2", "a1b2c3", "https://git/c/a1b2c3"), "checkout-restore-1"),
                new ReleaseRecord.Status(ReleaseStatus.FAILED, "deadline", "deadline", T, T.plusSeconds(30), "2/4 pause", "agent-1"));

        JsonNode json = r.toJson();

        assertThat(undeclared(json, schema(0), "")).isEmpty();
        assertThat(ReleaseRecord.fromJson(json)).isEqualTo(r);
    }

    @Test
    void aCommandRecordWritesOnlyDeclaredFieldsAndReadsBack() throws IOException {
        ReleaseCommandRecord c = new ReleaseCommandRecord("web-scale-1", "shop", "7",
                new ReleaseCommandRecord.Spec(Action.SCALE, "prod-eu", "web", "web", Map.of("replicas", "3"), "alice", T, true, "planned-1"),
                new ReleaseCommandRecord.Status(CommandPhase.SUCCEEDED, "scaled", T, T.plusSeconds(2), "system:serviceaccount:x:y"));

        JsonNode json = c.toJson();

        assertThat(undeclared(json, schema(1), "")).isEmpty();
        assertThat(ReleaseCommandRecord.fromJson(json)).isEqualTo(c);
    }

    @Test
    void aRecordWithoutStatusReadsAsPendingOrQueued() {
        ReleaseRecord r = new ReleaseRecord("m", "shop", "", new ReleaseRecord.Spec("c", "e", null, "1", "", ReleaseType.DEPLOYMENT,
                "marker", false, Trigger.NONE, ""), null);
        assertThat(ReleaseRecord.fromJson(r.toJson()).status().effectivePhase()).isEqualTo(ReleaseStatus.PENDING);
        assertThat(r.toRelease("prod").status()).isEqualTo(ReleaseStatus.PENDING);
    }
}

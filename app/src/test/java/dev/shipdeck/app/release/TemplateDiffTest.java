package dev.shipdeck.app.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateDiffTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode template(String image, String version, String memory) throws Exception {
        return JSON.readTree("""
                {"spec":{"containers":[{"name":"api","image":"%s",
                  "env":[{"name":"APP_VERSION","value":"%s"},{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}],
                  "resources":{"requests":{"cpu":"100m","memory":"%s"}}}]}}
                """.formatted(image, version, memory));
    }

    @Test
    void showsImagesEnvAndResourcesAndMarksWhatChanged() throws Exception {
        List<DiffRow> rows = TemplateDiff.compute(template("reg/api:1.0", "1.0", "128Mi"), template("reg/api:1.1", "1.1", "256Mi"));

        assertThat(rows).extracting(DiffRow::field)
                .containsExactly("image", "env APP_VERSION", "env DB_PASSWORD", "requests.cpu", "requests.memory");
        assertThat(rows).filteredOn(DiffRow::changed).extracting(DiffRow::field)
                .containsExactly("image", "env APP_VERSION", "requests.memory");
        assertThat(rows.get(0)).isEqualTo(new DiffRow("api", "image", "reg/api:1.0", "reg/api:1.1"));
        assertThat(rows.get(2).after()).isEqualTo("from secret db/password");
    }

    @Test
    void theFirstVersionHasNothingBefore() throws Exception {
        List<DiffRow> rows = TemplateDiff.compute(null, template("reg/api:1.0", "1.0", "128Mi"));
        assertThat(rows).allMatch(r -> r.before().isEmpty() && r.changed());
    }
}

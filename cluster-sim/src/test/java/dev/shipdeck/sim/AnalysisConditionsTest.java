package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalysisConditionsTest {
    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonPathTakesTheWholeDocumentOrAField() {
        JsonNode doc = json("{\"a\":{\"b\":[1,2]},\"ok\":true}");
        assertThat(AnalysisConditions.jsonPath(doc, "")).isEqualTo(doc);
        assertThat(AnalysisConditions.jsonPath(doc, "{$}")).isEqualTo(doc);
        assertThat(AnalysisConditions.jsonPath(doc, "{$.ok}").asBoolean()).isTrue();
        assertThat(AnalysisConditions.jsonPath(doc, "{$.a.b[1]}").asInt()).isEqualTo(2);
        assertThatThrownBy(() -> AnalysisConditions.jsonPath(doc, "{$.missing}")).hasMessageContaining("Could not find JSONPath");
    }

    @Test
    void conditionsCompareTheResult() {
        assertThat(AnalysisConditions.test(json("true"), "result == true")).isTrue();
        assertThat(AnalysisConditions.test(json("false"), "result == true")).isFalse();
        assertThat(AnalysisConditions.test(json("0.2"), "result < 0.5")).isTrue();
        assertThat(AnalysisConditions.test(json("{\"rate\": 7}"), "result.rate > 5")).isTrue();
        assertThat(AnalysisConditions.test(json("{\"rate\": 7}"), "result.rate > 5 && result.rate <= 6")).isFalse();
        assertThat(AnalysisConditions.test(json("{\"s\": \"ok\"}"), "result.s == 'ok' || result.s == 'fine'")).isTrue();
        assertThat(AnalysisConditions.test(json("[3]"), "result[0] >= 3")).isTrue();
        assertThatThrownBy(() -> AnalysisConditions.test(json("1"), "len(result) > 1")).hasMessageContaining("not supported");
    }

    @Test
    void evaluateFollowsArgosSuccessAndFailureRules() {
        assertThat(AnalysisConditions.evaluate(json("1"), "", "")).isEqualTo("Successful");
        assertThat(AnalysisConditions.evaluate(json("1"), "result < 1", "")).isEqualTo("Failed");
        assertThat(AnalysisConditions.evaluate(json("0"), "result < 1", "")).isEqualTo("Successful");
        assertThat(AnalysisConditions.evaluate(json("5"), "", "result > 4")).isEqualTo("Failed");
        assertThat(AnalysisConditions.evaluate(json("3"), "", "result > 4")).isEqualTo("Successful");
        assertThat(AnalysisConditions.evaluate(json("3"), "result < 2", "result > 4")).isEqualTo("Inconclusive");
    }
}

package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The template comparisons that decide a restore is skipped: kubectl's Semantic.DeepEqual, the plugin's DeepDerivative. */
final class TemplateCompare {
    private TemplateCompare() {}

    /** Semantic.DeepEqual on JSON: nulls, empty objects and empty arrays equal absent fields. */
    static boolean semanticEqual(JsonNode a, JsonNode b) {
        return withoutEmpty(a).equals(withoutEmpty(b));
    }

    private static JsonNode withoutEmpty(JsonNode n) {
        if (n == null) return KubeApi.JSON.nullNode();
        if (n.isObject()) {
            ObjectNode out = KubeApi.JSON.createObjectNode();
            n.fields().forEachRemaining(e -> {
                JsonNode v = withoutEmpty(e.getValue());
                if (!v.isNull() && !((v.isObject() || v.isArray()) && v.isEmpty())) out.set(e.getKey(), v);
            });
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = KubeApi.JSON.createArrayNode();
            n.forEach(v -> out.add(withoutEmpty(v)));
            return out;
        }
        return n;
    }

    /**
     * Semantic.DeepDerivative(a, b) on unstructured JSON, as the Argo plugin's undo uses it: empty or null values in
     * {@code a} match anything, a non-empty object matches when each of its keys is in {@code b} and matches, a
     * non-empty array when it is no longer than {@code b}'s and its elements match pairwise.
     */
    static boolean derivative(JsonNode a, JsonNode b) {
        if (a == null || a.isNull() || a.isMissingNode()) return true;
        if (b == null || b.isMissingNode()) return false;
        if (a.isObject()) {
            if (a.isEmpty()) return true;
            if (!b.isObject() || a.size() > b.size()) return false;
            for (var it = a.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!b.has(e.getKey()) || !derivative(e.getValue(), b.get(e.getKey()))) return false;
            }
            return true;
        }
        if (a.isArray()) {
            if (a.isEmpty()) return true;
            if (!b.isArray() || a.size() > b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                if (!derivative(a.get(i), b.get(i))) return false;
            }
            return true;
        }
        if (a.isTextual()) return a.asText().isEmpty() || b.isTextual() && a.asText().equals(b.asText());
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        return a.equals(b);
    }

    /** A copy of a pod template without the label {@code key} (the pod-template-hash); not an object: an empty one. */
    static ObjectNode withoutLabel(JsonNode template, String key) {
        ObjectNode copy = template.isObject() ? ((ObjectNode) template).deepCopy() : KubeApi.JSON.createObjectNode();
        JsonNode labels = copy.path("metadata").path("labels");
        if (labels instanceof ObjectNode ol) ol.remove(key);
        return copy;
    }
}

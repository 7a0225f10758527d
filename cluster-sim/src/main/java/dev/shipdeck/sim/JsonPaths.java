package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The "simple JSON path" subset CRD {@code additionalPrinterColumns} use, evaluated like Kubernetes' jsonpath with
 * missing keys allowed: fields ({@code .a.b}, {@code ['a.b']}), array indexes ({@code [0]}, {@code [-1]}) and
 * wildcards ({@code [*]}, {@code .*}). Results are in document order; a path that is malformed is an
 * {@link IllegalArgumentException}.
 */
final class JsonPaths {
    private JsonPaths() {}

    /** One step: a field name, an index, or a wildcard (name null, index null). */
    private record Step(String field, Integer index) {
        boolean wildcard() {
            return field == null && index == null;
        }
    }

    /** Every value {@code path} selects in {@code root} (empty when a key or index is missing). */
    static List<JsonNode> find(JsonNode root, String path) {
        List<JsonNode> current = List.of(root);
        for (Step step : parse(path)) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                if (step.wildcard()) {
                    n.elements().forEachRemaining(next::add);
                } else if (step.field() != null) {
                    JsonNode v = n.isObject() ? n.get(step.field()) : null;
                    if (v != null) next.add(v);
                } else if (n.isArray()) {
                    int i = step.index() < 0 ? n.size() + step.index() : step.index();
                    if (i >= 0 && i < n.size()) next.add(n.get(i));
                }
            }
            current = next;
        }
        return current;
    }

    private static List<Step> parse(String path) {
        String p = path.trim();
        if (p.startsWith("{") && p.endsWith("}")) p = p.substring(1, p.length() - 1).trim();
        if (p.startsWith("$")) p = p.substring(1);
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int j = i + 1;
                StringBuilder name = new StringBuilder();
                while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
                    if (p.charAt(j) == '\\' && j + 1 < p.length()) j++; // \. escapes a dot in a key
                    name.append(p.charAt(j++));
                }
                if (name.length() == 0) throw new IllegalArgumentException("empty field in JSONPath " + path);
                steps.add(name.toString().equals("*") ? new Step(null, null) : new Step(name.toString(), null));
                i = j;
            } else if (c == '[') {
                int end = p.indexOf(']', i);
                if (end < 0) throw new IllegalArgumentException("unclosed [ in JSONPath " + path);
                String inner = p.substring(i + 1, end).trim();
                if (inner.equals("*")) {
                    steps.add(new Step(null, null));
                } else if (inner.length() >= 2 && (inner.startsWith("'") && inner.endsWith("'") || inner.startsWith("\"") && inner.endsWith("\""))) {
                    steps.add(new Step(inner.substring(1, inner.length() - 1), null));
                } else {
                    try {
                        steps.add(new Step(null, Integer.parseInt(inner)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("unsupported [" + inner + "] in JSONPath " + path);
                    }
                }
                i = end + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' in JSONPath " + path);
            }
        }
        return steps;
    }
}

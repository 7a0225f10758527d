package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Label and field selectors as the API server parses them ({@code a=b,c!=d,e in (x,y),!f,g}). */
public final class Selector {
    private Selector() {}

    public static Predicate<JsonNode> labels(String expr) {
        if (expr == null || expr.isBlank()) {
            return o -> true;
        }
        List<Predicate<JsonNode>> parts = new ArrayList<>();
        for (String term : splitTerms(expr)) {
            parts.add(labelTerm(term.trim()));
        }
        return o -> parts.stream().allMatch(p -> p.test(o));
    }

    public static Predicate<JsonNode> fields(String expr) {
        if (expr == null || expr.isBlank()) {
            return o -> true;
        }
        List<Predicate<JsonNode>> parts = new ArrayList<>();
        for (String term : expr.split(",")) {
            String t = term.trim();
            boolean neg = t.contains("!=");
            String[] kv = t.split(neg ? "!=" : "==?", 2);
            if (kv.length != 2) {
                throw ApiException.badRequest("invalid field selector: " + expr);
            }
            String[] path = kv[0].trim().split("\\.");
            String want = kv[1].trim();
            parts.add(o -> {
                boolean eq = want.equals(Json.str(o, "", path));
                return neg != eq;
            });
        }
        return o -> parts.stream().allMatch(p -> p.test(o));
    }

    private static List<String> splitTerms(String expr) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : expr.toCharArray()) {
            if (c == '(') depth++;
            if (c == ')') depth--;
            if (c == ',' && depth == 0) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static Predicate<JsonNode> labelTerm(String t) {
        String lower = t.replaceAll("\\s+", " ");
        int notin = lower.indexOf(" notin ");
        int in = lower.indexOf(" in ");
        if (notin > 0 || in > 0) {
            boolean neg = notin > 0;
            String key = lower.substring(0, neg ? notin : in).trim();
            String rest = lower.substring((neg ? notin + 7 : in + 4)).trim();
            if (!rest.startsWith("(") || !rest.endsWith(")")) {
                throw ApiException.badRequest("invalid label selector term: " + t);
            }
            Set<String> values = Arrays.stream(rest.substring(1, rest.length() - 1).split(","))
                    .map(String::trim).collect(Collectors.toSet());
            return o -> {
                String v = label(o, key);
                return neg ? v == null || !values.contains(v) : v != null && values.contains(v);
            };
        }
        if (t.startsWith("!")) {
            String key = t.substring(1).trim();
            return o -> label(o, key) == null;
        }
        if (t.contains("!=")) {
            String[] kv = t.split("!=", 2);
            return o -> !kv[1].trim().equals(label(o, kv[0].trim()));
        }
        if (t.contains("=")) {
            String[] kv = t.split("==?", 2);
            return o -> kv[1].trim().equals(label(o, kv[0].trim()));
        }
        String key = t.trim();
        if (key.isEmpty()) {
            throw ApiException.badRequest("invalid label selector: empty term");
        }
        return o -> label(o, key) != null;
    }

    private static String label(JsonNode o, String key) {
        JsonNode v = Json.at(o, "metadata", "labels", key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Whether {@code labels} satisfy a {@code LabelSelector} object (matchLabels + matchExpressions). */
    public static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isNull() || selector.isEmpty()) {
            return false;
        }
        JsonNode ml = selector.get("matchLabels");
        if (ml != null) {
            var it = ml.fields();
            while (it.hasNext()) {
                var e = it.next();
                JsonNode v = labels == null ? null : labels.get(e.getKey());
                if (v == null || !v.asText().equals(e.getValue().asText())) {
                    return false;
                }
            }
        }
        JsonNode me = selector.get("matchExpressions");
        if (me != null) {
            for (JsonNode expr : me) {
                String key = expr.path("key").asText();
                String op = expr.path("operator").asText();
                JsonNode v = labels == null ? null : labels.get(key);
                Set<String> vals = new java.util.HashSet<>();
                expr.path("values").forEach(x -> vals.add(x.asText()));
                boolean ok = switch (op) {
                    case "In" -> v != null && vals.contains(v.asText());
                    case "NotIn" -> v == null || !vals.contains(v.asText());
                    case "Exists" -> v != null;
                    case "DoesNotExist" -> v == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The selector object rendered as a query string ({@code a=b,c in (d)}). */
    /**
     * A LabelSelector as a selector string, the way labels.Selector prints it (status.selector, kubectl's Selector
     * column): requirements sorted by key, {@code k=v}, {@code k in (a,b)}, {@code k notin (a)}, {@code k}, {@code !k}.
     */
    public static String toQuery(JsonNode selector) {
        java.util.TreeMap<String, List<String>> byKey = new java.util.TreeMap<>();
        JsonNode ml = selector == null ? null : selector.get("matchLabels");
        if (ml != null) {
            ml.fields().forEachRemaining(e -> byKey.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getKey() + "=" + e.getValue().asText()));
        }
        JsonNode me = selector == null ? null : selector.get("matchExpressions");
        if (me != null) {
            for (JsonNode expr : me) {
                String key = expr.path("key").asText();
                List<String> values = new ArrayList<>();
                expr.path("values").forEach(v -> values.add(v.asText()));
                java.util.Collections.sort(values);
                String term = switch (expr.path("operator").asText()) {
                    case "In" -> key + " in (" + String.join(",", values) + ")";
                    case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                    case "Exists" -> key;
                    case "DoesNotExist" -> "!" + key;
                    default -> null;
                };
                if (term != null) byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(term);
            }
        }
        List<String> terms = new ArrayList<>();
        byKey.values().forEach(terms::addAll);
        return String.join(",", terms);
    }
}

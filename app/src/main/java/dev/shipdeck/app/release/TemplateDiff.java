package dev.shipdeck.app.release;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What changed in a pod template between two versions: per container, the image, env vars and resources. */
public final class TemplateDiff {
    private TemplateDiff() {}

    /** Rows for every image, env var and resource of both templates; {@link DiffRow#changed()} marks differences. */
    public static List<DiffRow> compute(JsonNode before, JsonNode after) {
        Map<String, JsonNode> old = containers(before);
        Map<String, JsonNode> now = containers(after);
        Set<String> names = new LinkedHashSet<>(now.keySet());
        names.addAll(old.keySet());
        List<DiffRow> out = new ArrayList<>();
        for (String name : names) {
            Map<String, String> a = fields(old.get(name));
            Map<String, String> b = fields(now.get(name));
            Set<String> keys = new LinkedHashSet<>(b.keySet());
            keys.addAll(a.keySet());
            for (String k : keys) out.add(new DiffRow(name, k, a.getOrDefault(k, ""), b.getOrDefault(k, "")));
        }
        return out;
    }

    private static Map<String, JsonNode> containers(JsonNode template) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (template == null) return out;
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : template.path("spec").path(list)) {
                out.put((list.equals("initContainers") ? "init:" : "") + c.path("name").asText("?"), c);
            }
        }
        return out;
    }

    /** image, env NAME, requests.cpu … in a fixed order. */
    static Map<String, String> fields(JsonNode c) {
        Map<String, String> out = new LinkedHashMap<>();
        if (c == null) return out;
        out.put("image", c.path("image").asText(""));
        for (JsonNode e : c.path("env")) {
            out.put("env " + e.path("name").asText(), envValue(e));
        }
        for (String kind : new String[] {"requests", "limits"}) {
            JsonNode r = c.path("resources").path(kind);
            r.fieldNames().forEachRemaining(k -> out.put(kind + "." + k, r.path(k).asText()));
        }
        return out;
    }

    private static String envValue(JsonNode e) {
        if (e.has("value")) return e.path("value").asText();
        JsonNode from = e.path("valueFrom");
        if (from.has("secretKeyRef")) {
            return "from secret " + from.path("secretKeyRef").path("name").asText() + "/" + from.path("secretKeyRef").path("key").asText();
        }
        if (from.has("configMapKeyRef")) {
            return "from config map " + from.path("configMapKeyRef").path("name").asText() + "/" + from.path("configMapKeyRef").path("key").asText();
        }
        if (from.has("fieldRef")) return "from field " + from.path("fieldRef").path("fieldPath").asText();
        if (from.has("resourceFieldRef")) return "from resource " + from.path("resourceFieldRef").path("resource").asText();
        return "";
    }
}

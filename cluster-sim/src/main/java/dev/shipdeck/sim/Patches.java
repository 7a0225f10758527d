package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/** JSON patch (RFC 6902), JSON merge patch (RFC 7386) and an approximation of strategic merge patch. */
public final class Patches {
    /** List fields merged by key in strategic merge patches (the core/apps types Shipdeck and kubectl touch). */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"), Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"), Map.entry("env", "name"), Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"), Map.entry("ports", "containerPort"),
            Map.entry("imagePullSecrets", "name"), Map.entry("conditions", "type"),
            Map.entry("ownerReferences", "uid"), Map.entry("volumeDevices", "devicePath"),
            Map.entry("hostAliases", "ip"), Map.entry("topologySpreadConstraints", "topologyKey"));

    private Patches() {}

    public static JsonNode jsonPatch(JsonNode target, JsonNode ops) {
        if (!ops.isArray()) {
            throw ApiException.badRequest("json patch must be an array of operations");
        }
        JsonNode doc = target.deepCopy();
        for (JsonNode op : ops) {
            String kind = op.path("op").asText();
            String path = op.path("path").asText();
            switch (kind) {
                case "add" -> doc = put(doc, path, op.get("value"), true);
                case "replace" -> {
                    get(doc, path);
                    doc = put(doc, path, op.get("value"), false);
                }
                case "remove" -> doc = remove(doc, path);
                case "test" -> {
                    if (!get(doc, path).equals(op.get("value"))) {
                        throw ApiException.invalid("the server rejected our request due to an error in our request: test failed at " + path);
                    }
                }
                case "move" -> {
                    JsonNode v = get(doc, op.path("from").asText());
                    doc = put(remove(doc, op.path("from").asText()), path, v, true);
                }
                case "copy" -> doc = put(doc, path, get(doc, op.path("from").asText()).deepCopy(), true);
                default -> throw ApiException.badRequest("unknown json patch operation: " + kind);
            }
        }
        return doc;
    }

    private static String[] tokens(String path) {
        if (path.isEmpty()) return new String[0];
        if (!path.startsWith("/")) throw ApiException.badRequest("invalid json pointer: " + path);
        String[] t = path.substring(1).split("/", -1);
        for (int i = 0; i < t.length; i++) t[i] = t[i].replace("~1", "/").replace("~0", "~");
        return t;
    }

    private static JsonNode get(JsonNode doc, String path) {
        JsonNode cur = doc;
        for (String t : tokens(path)) {
            cur = cur.isArray() ? cur.get(index(t, cur.size())) : cur.get(t);
            if (cur == null) {
                throw ApiException.invalid("the server rejected our request due to an error in our request: path " + path + " not found");
            }
        }
        return cur;
    }

    private static int index(String t, int size) {
        try {
            int i = t.equals("-") ? size : Integer.parseInt(t);
            if (i < 0 || i > size) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("invalid array index in json patch: " + t);
        }
    }

    private static JsonNode put(JsonNode doc, String path, JsonNode value, boolean insert) {
        String[] t = tokens(path);
        if (t.length == 0) return value;
        JsonNode parent = parent(doc, path, t);
        String last = t[t.length - 1];
        if (parent instanceof ArrayNode arr) {
            int i = index(last, arr.size());
            if (insert) arr.insert(i, value); else arr.set(i, value);
        } else if (parent instanceof ObjectNode obj) {
            obj.set(last, value);
        } else {
            throw ApiException.invalid("path " + path + " does not name a container");
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String path) {
        String[] t = tokens(path);
        JsonNode parent = parent(doc, path, t);
        String last = t[t.length - 1];
        if (parent instanceof ArrayNode arr) {
            arr.remove(index(last, arr.size() - 1));
        } else if (parent instanceof ObjectNode obj) {
            if (obj.remove(last) == null) {
                throw ApiException.invalid("the server rejected our request due to an error in our request: path " + path + " not found");
            }
        }
        return doc;
    }

    private static JsonNode parent(JsonNode doc, String path, String[] t) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < t.length - 1; i++) p.append('/').append(t[i].replace("~", "~0").replace("/", "~1"));
        return get(doc, p.toString());
    }

    /** RFC 7386: objects merge, null deletes, anything else replaces. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode out = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : Json.object();
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().isNull()) {
                out.remove(e.getKey());
            } else {
                out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
            }
        }
        return out;
    }

    /**
     * Strategic merge patch, approximated: like a merge patch, but lists of the known keyed types merge element
     * by key, and the {@code $patch}, {@code $setElementOrder}, {@code $retainKeys} and
     * {@code $deleteFromPrimitiveList} directives are honoured.
     */
    public static JsonNode strategicMerge(JsonNode target, JsonNode patch) {
        return smp(target, patch, null);
    }

    private static JsonNode smp(JsonNode target, JsonNode patch, String field) {
        if (!patch.isObject()) {
            if (patch.isArray() && target != null && target.isArray() && field != null && MERGE_KEYS.containsKey(field)) {
                return mergeList((ArrayNode) target, (ArrayNode) patch, MERGE_KEYS.get(field));
            }
            return patch.deepCopy();
        }
        if ("replace".equals(patch.path("$patch").asText())) {
            ObjectNode copy = (ObjectNode) patch.deepCopy();
            copy.remove("$patch");
            return copy;
        }
        ObjectNode out = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : Json.object();
        JsonNode retain = patch.get("$retainKeys");
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            var e = it.next();
            String k = e.getKey();
            if (k.startsWith("$setElementOrder/") || k.equals("$retainKeys") || k.equals("$patch")) {
                continue;
            }
            if (k.startsWith("$deleteFromPrimitiveList/")) {
                String f = k.substring("$deleteFromPrimitiveList/".length());
                if (out.get(f) instanceof ArrayNode arr) {
                    for (JsonNode del : e.getValue()) {
                        for (int i = arr.size() - 1; i >= 0; i--) if (arr.get(i).equals(del)) arr.remove(i);
                    }
                }
                continue;
            }
            if (e.getValue().isNull()) {
                out.remove(k);
            } else {
                out.set(k, smp(out.get(k), e.getValue(), k));
            }
        }
        if (retain != null && retain.isArray()) {
            java.util.Set<String> keep = new java.util.HashSet<>();
            retain.forEach(x -> keep.add(x.asText()));
            out.retain(keep);
        }
        return out;
    }

    private static ArrayNode mergeList(ArrayNode target, ArrayNode patch, String key) {
        ArrayNode out = target.deepCopy();
        for (JsonNode p : patch) {
            if (!p.isObject()) {
                return patch.deepCopy();
            }
            JsonNode kv = p.get(key);
            int idx = -1;
            for (int i = 0; i < out.size(); i++) {
                if (kv != null && kv.equals(out.get(i).get(key))) {
                    idx = i;
                    break;
                }
            }
            String directive = p.path("$patch").asText();
            if ("delete".equals(directive)) {
                if (idx >= 0) out.remove(idx);
            } else if ("replace".equals(directive)) {
                return stripDirective(patch);
            } else if (idx >= 0) {
                out.set(idx, smp(out.get(idx), p, null));
            } else {
                out.add(smp(null, p, null));
            }
        }
        return out;
    }

    private static ArrayNode stripDirective(ArrayNode patch) {
        ArrayNode out = Json.array();
        for (JsonNode p : patch) {
            ObjectNode c = (ObjectNode) p.deepCopy();
            if (!"replace".equals(c.path("$patch").asText())) out.add(c);
        }
        return out;
    }

    /**
     * Server-side apply, approximated: the applied configuration is merged into the live object the strategic way
     * (fields the applier does not mention are left alone). Field ownership is not tracked.
     */
    public static JsonNode apply(JsonNode live, JsonNode applied) {
        return live == null ? applied.deepCopy() : strategicMerge(live, applied);
    }
}

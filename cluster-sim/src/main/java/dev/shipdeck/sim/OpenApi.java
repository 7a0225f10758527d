package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A minimal OpenAPI v3 surface: per group-version, the object paths with their PATCH operation, its
 * group-version-kind and the {@code fieldValidation} parameter. That is what kubectl reads to decide that the
 * server validates fields itself (so {@code kubectl apply} needs no client-side schema) and which patch types
 * a kind accepts (built-in kinds: strategic merge; custom resources: merge patch).
 */
final class OpenApi {
    private OpenApi() {}

    static ObjectNode root(Resources resources) {
        ObjectNode root = Json.object();
        ObjectNode paths = root.putObject("paths");
        paths.putObject("api/v1").put("serverRelativeURL", "/openapi/v3/api/v1?hash=" + hash(resources, "", "v1"));
        resources.groups().forEach((g, vs) -> vs.forEach(v ->
                paths.putObject("apis/" + g + "/" + v).put("serverRelativeURL", "/openapi/v3/apis/" + g + "/" + v + "?hash=" + hash(resources, g, v))));
        return root;
    }

    private static String hash(Resources resources, String group, String version) {
        int h = 17;
        for (ResourceType t : resources.all()) {
            if (t.group().equals(group) && t.version().equals(version)) h = h * 31 + t.hashCode();
        }
        return Integer.toHexString(h).toUpperCase(java.util.Locale.ROOT);
    }

    static ObjectNode groupVersion(Resources resources, String group, String version, boolean custom) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        String prefix = group.isEmpty() ? "/api/v1" : "/apis/" + group + "/" + version;
        for (ResourceType t : resources.all()) {
            if (!t.group().equals(group) || !t.version().equals(version) || t.isReview()) continue;
            String item = prefix + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
            ObjectNode patch = paths.putObject(item).putObject("patch");
            patch.put("operationId", "patch" + t.kind());
            patch.putObject("x-kubernetes-group-version-kind").put("group", group).put("version", version).put("kind", t.kind());
            patch.put("x-kubernetes-action", "patch");
            var params = patch.putArray("parameters");
            for (String p : new String[] {"dryRun", "fieldManager", "fieldValidation", "force"}) {
                params.addObject().put("name", p).put("in", "query").putObject("schema").put("type", "string");
            }
            ObjectNode content = patch.putObject("requestBody").putObject("content");
            content.putObject("application/json-patch+json");
            content.putObject("application/merge-patch+json");
            content.putObject("application/apply-patch+yaml");
            if (!custom && resources.byStoreKey(t.key()) == Resources.byKey(t.key()) && Resources.byKey(t.key()) != null) {
                content.putObject("application/strategic-merge-patch+json");
            }
            patch.putObject("responses").putObject("200").put("description", "OK");
        }
        doc.putObject("components").putObject("schemas");
        return doc;
    }
}

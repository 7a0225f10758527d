package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Asks the API server whether the current user may do something (a SelfSubjectAccessReview, what
 * {@code kubectl auth can-i} sends).
 */
public final class AccessReview {
    /** The answer: allowed, or why not (the server's reason, or why the question could not be asked). */
    public record Answer(boolean allowed, boolean answered, String reason) {}

    private AccessReview() {}

    /** May the user {@code verb} {@code resource[/subresource]} of {@code group} named {@code name} in {@code namespace}? */
    public static Answer ask(Http http, String verb, String group, String resource, String subresource, String namespace, String name) {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SelfSubjectAccessReview");
        ObjectNode ra = body.putObject("spec").putObject("resourceAttributes");
        ra.put("verb", verb).put("group", group).put("resource", resource);
        if (namespace != null && !namespace.isEmpty()) ra.put("namespace", namespace);
        if (name != null && !name.isEmpty()) ra.put("name", name);
        if (subresource != null && !subresource.isEmpty()) ra.put("subresource", subresource);
        Http.Response resp = http.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json", body.toString());
        if (!resp.ok()) return new Answer(false, false, resp.message());
        boolean allowed = resp.body().path("status").path("allowed").asBoolean(false);
        return new Answer(allowed, true, resp.body().path("status").path("reason").asText(""));
    }
}

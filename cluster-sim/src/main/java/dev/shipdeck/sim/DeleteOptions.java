package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A delete's options as the API server reads them: from the body (a {@code DeleteOptions} object) when there is one,
 * else from the query, then validated like ValidateDeleteOptions.
 */
record DeleteOptions(Store.Propagation propagation, Store.Preconditions preconditions, boolean dryRun) {
    private static final String INVALID = "DeleteOptions.meta.k8s.io \"\" is invalid: ";

    /** {@code body} null or empty: the query's {@code propagationPolicy}, {@code orphanDependents}, {@code dryRun}. */
    static DeleteOptions read(JsonNode body, Query query) {
        String policy;
        Boolean orphanDependents;
        List<String> dryRun = new ArrayList<>();
        Store.Preconditions pre = null;
        if (body != null && !body.isEmpty()) {
            String kind = body.path("kind").asText("DeleteOptions");
            if (!kind.equals("DeleteOptions")) {
                throw ApiException.badRequest("decoded object cannot be converted to DeleteOptions");
            }
            policy = body.hasNonNull("propagationPolicy") ? body.path("propagationPolicy").asText() : null;
            orphanDependents = body.hasNonNull("orphanDependents") ? body.path("orphanDependents").asBoolean() : null;
            body.path("dryRun").forEach(v -> dryRun.add(v.asText()));
            JsonNode p = body.path("preconditions");
            if (p.isObject() && (p.hasNonNull("uid") || p.hasNonNull("resourceVersion"))) {
                pre = new Store.Preconditions(p.hasNonNull("uid") ? p.path("uid").asText() : null,
                        p.hasNonNull("resourceVersion") ? p.path("resourceVersion").asText() : null);
            }
        } else {
            policy = query.has("propagationPolicy") ? query.get("propagationPolicy") : null;
            orphanDependents = query.optionalBool("orphanDependents");
            dryRun.addAll(query.all("dryRun"));
        }
        if (orphanDependents != null && policy != null) {
            throw ApiException.invalid(INVALID + "propagationPolicy: Invalid value: \"" + policy
                    + "\": orphanDependents and deletionPropagation cannot be both set");
        }
        Store.Propagation propagation;
        if (policy != null) {
            propagation = switch (policy) {
                case "Foreground" -> Store.Propagation.FOREGROUND;
                case "Background" -> Store.Propagation.BACKGROUND;
                case "Orphan" -> Store.Propagation.ORPHAN;
                default -> throw ApiException.invalid(INVALID + "propagationPolicy: Unsupported value: \"" + policy
                        + "\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
            };
        } else {
            propagation = Boolean.TRUE.equals(orphanDependents) ? Store.Propagation.ORPHAN : Store.Propagation.BACKGROUND;
        }
        for (String v : dryRun) {
            if (!v.equals("All")) {
                throw ApiException.invalid(INVALID + "dryRun: Unsupported value: \"" + v + "\": supported values: \"All\"");
            }
        }
        return new DeleteOptions(propagation, pre, !dryRun.isEmpty());
    }
}

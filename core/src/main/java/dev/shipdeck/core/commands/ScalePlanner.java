package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.json.J;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code kubectl scale --resource-version}: the count applies to the workload as read, or not at all (409). Pure: the
 * target, the request and (read once the count is valid) the HorizontalPodAutoscalers of its namespace, to warn
 * about the one that manages it.
 */
final class ScalePlanner {
    private ScalePlanner() {}

    static Plan plan(Target t, Supplier<List<JsonNode>> hpas, CommandRequest r, List<String> warnings) {
        int replicas;
        try {
            replicas = Integer.parseInt(r.arg("replicas").trim());
        } catch (NumberFormatException e) {
            throw Refused.refused("replicas must be a whole number, got \"" + r.arg("replicas") + "\"");
        }
        if (replicas < 0) throw Refused.refused("replicas must be 0 or more, got " + replicas);
        for (JsonNode h : hpas.get()) {
            JsonNode ref = h.path("spec").path("scaleTargetRef");
            if (ref.path("kind").asText().equals(t.kind().kind()) && ref.path("name").asText().equals(t.name())) {
                long min = h.path("spec").path("minReplicas").asLong(1);
                long max = h.path("spec").path("maxReplicas").asLong();
                warnings.add("HorizontalPodAutoscaler \"" + J.str(h, "metadata", "name") + "\" manages the replicas of " + t.name()
                        + " (min " + min + ", max " + max + "): it will change them again"
                        + (replicas < min || replicas > max ? ", back into " + min + "–" + max : " as load changes"));
            }
        }
        ObjectNode body = KubeApi.JSON.createObjectNode();
        body.putObject("metadata").put("resourceVersion", t.facts().resourceVersion());
        body.putObject("spec").put("replicas", replicas);
        return Plan.one(PlannedRequest.mergePatch(t.basePath() + "/scale", body.toString()),
                "scale " + t.name() + " from " + t.facts().replicas() + " to " + replicas + " replicas");
    }
}

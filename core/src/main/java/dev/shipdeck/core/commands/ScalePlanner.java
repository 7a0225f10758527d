package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.json.J;
import dev.shipdeck.core.workload.WorkloadPaths;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code kubectl scale --resource-version}: the count applies to the workload as read, or not at all (409) — unless a
 * HorizontalPodAutoscaler manages the workload: then the scale is refused with the autoscaler named, and two ways on
 * are offered: {@code force} (scale anyway; the autoscaler will change it back) or {@code hpaMin}/{@code hpaMax}, a
 * merge patch of the autoscaler's range instead (never its deletion). Pure: the target, the request and (read once
 * the request is valid) the HorizontalPodAutoscalers of its namespace.
 */
final class ScalePlanner {
    /**
     * The HorizontalPodAutoscalers of the workload's namespace as read.
     *
     * @param apiVersion the version they were listed in ({@code autoscaling/v2}, else {@code autoscaling/v1})
     * @param unreadable why they could not be listed, or null
     */
    record Autoscalers(List<JsonNode> items, String apiVersion, String unreadable) {
        Autoscalers {
            items = List.copyOf(items);
        }
    }

    private ScalePlanner() {}

    /** The autoscaler whose {@code spec.scaleTargetRef} is the workload (kind, name and API group), or null. */
    static Autoscaler targeting(Target t, Autoscalers hpas) {
        for (JsonNode h : hpas.items()) {
            JsonNode ref = h.path("spec").path("scaleTargetRef");
            String apiVersion = ref.path("apiVersion").asText("");
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            if (ref.path("kind").asText().equals(t.kind().kind()) && ref.path("name").asText().equals(t.name())
                    && (apiVersion.isEmpty() || group.equals(WorkloadPaths.group(t.kind())))) {
                return new Autoscaler(t.namespace(), J.str(h, "metadata", "name"), hpas.apiVersion(),
                        h.path("spec").path("minReplicas").asInt(1), h.path("spec").path("maxReplicas").asInt());
            }
        }
        return null;
    }

    static Plan plan(Target t, Supplier<Autoscalers> read, CommandRequest r, List<String> warnings) {
        boolean range = !r.arg("hpaMin").isEmpty() || !r.arg("hpaMax").isEmpty();
        if (range && !r.arg("replicas").isEmpty()) {
            throw Refused.refused("give either a replica count or the autoscaler's range (--hpa-min/--hpa-max), not both");
        }
        if (range) return range(t, read, r);
        int replicas = number(r.arg("replicas"), "replicas");
        if (replicas < 0) throw Refused.refused("replicas must be 0 or more, got " + replicas);
        boolean force = Boolean.parseBoolean(r.arg("force"));
        Autoscalers hpas = read.get();
        Autoscaler hpa = targeting(t, hpas);
        String summary = "scale " + t.name() + " from " + t.facts().replicas() + " to " + replicas + " replicas";
        if (hpa != null && !force) {
            throw Refused.refused("scaled by " + hpa.describe() + ": change its range with --hpa-min/--hpa-max, or --force to scale anyway"
                    + " (the autoscaler will change it back)");
        }
        if (hpa != null) {
            String back = replicas < hpa.minReplicas() || replicas > hpa.maxReplicas()
                    ? "back into " + hpa.minReplicas() + "–" + hpa.maxReplicas() : "again as load changes";
            warnings.add(hpa.describe() + " manages the replicas of " + t.name() + ": it will change them " + back);
            summary += ", forced although " + hpa.describe() + " manages them (it will change them " + back + ")";
        } else if (hpas.unreadable() != null) {
            warnings.add("could not check whether a HorizontalPodAutoscaler manages " + t.name() + " (" + hpas.unreadable()
                    + "): if one does, it will change the count back");
        }
        ObjectNode body = KubeApi.JSON.createObjectNode();
        body.putObject("metadata").put("resourceVersion", t.facts().resourceVersion());
        body.putObject("spec").put("replicas", replicas);
        return Plan.one(PlannedRequest.mergePatch(t.basePath() + "/scale", body.toString()), summary);
    }

    /** A merge patch of the autoscaler's {@code minReplicas}/{@code maxReplicas}; the workload is left to it. */
    private static Plan range(Target t, Supplier<Autoscalers> read, CommandRequest r) {
        Integer min = r.arg("hpaMin").isEmpty() ? null : number(r.arg("hpaMin"), "the autoscaler's minimum");
        Integer max = r.arg("hpaMax").isEmpty() ? null : number(r.arg("hpaMax"), "the autoscaler's maximum");
        Autoscalers hpas = read.get();
        Autoscaler hpa = targeting(t, hpas);
        if (hpa == null) {
            throw Refused.refused("no HorizontalPodAutoscaler manages " + t.name()
                    + (hpas.unreadable() != null ? " (they could not be listed: " + hpas.unreadable() + ")" : "")
                    + ": there is no autoscaler range to change; scale it with --replicas");
        }
        int newMin = min != null ? min : hpa.minReplicas();
        int newMax = max != null ? max : hpa.maxReplicas();
        if (newMin < 1) throw Refused.refused("the autoscaler's minimum must be 1 or more, got " + newMin);
        if (newMin > newMax) {
            throw Refused.refused("the autoscaler's minimum (" + newMin + ") must not be above its maximum (" + newMax + ")");
        }
        String name = "HorizontalPodAutoscaler " + hpa.name();
        if (newMin == hpa.minReplicas() && newMax == hpa.maxReplicas()) {
            return Plan.nothing("the range of " + name + " is already " + newMin + "–" + newMax);
        }
        ObjectNode body = KubeApi.JSON.createObjectNode();
        ObjectNode spec = body.putObject("spec");
        if (min != null) spec.put("minReplicas", newMin);
        if (max != null) spec.put("maxReplicas", newMax);
        return Plan.one(PlannedRequest.mergePatch(hpa.path(), body.toString()), "change the autoscaler range of " + t.name() + " from "
                + hpa.minReplicas() + "–" + hpa.maxReplicas() + " to " + newMin + "–" + newMax + " (" + name + ")");
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw Refused.refused(what + " must be a whole number, got \"" + text + "\"");
        }
    }
}

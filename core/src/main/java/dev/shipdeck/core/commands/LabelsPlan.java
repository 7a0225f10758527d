package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.Label;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.workload.Conventions;
import dev.shipdeck.core.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The request of {@link dev.shipdeck.core.model.Action#EDIT_LABELS}: one JSON merge patch of the workload's
 * {@code shipdeck.dev/labels} annotation, computed from the labels it has now (read fresh from the API server) and
 * the arguments — {@code labels} (the whole new set, empty to remove them all), or {@code add} and/or {@code remove}
 * (comma-separated; a removal is {@code key:value}, or a bare {@code key} for every value of it). Guards: valid
 * {@code key:value} labels, at most 20. Pure: the workload's facts in, the plan out.
 */
final class LabelsPlan {
    private static final String ANNOTATION = Conventions.LABELS;
    private static final String LEGACY_ANNOTATION = Conventions.LEGACY_LABELS;

    private LabelsPlan() {}

    static Plan plan(WorkloadFacts workload, String basePath, String name, Map<String, String> args) {
        boolean replace = args.containsKey("labels");
        boolean edit = args.containsKey("add") || args.containsKey("remove");
        if (replace == edit) {
            throw refused(replace ? "give either the whole set of labels or labels to add and remove, not both"
                    : "no labels given: say which labels " + name + " should have (e.g. team:payments, role:web)");
        }
        String own = workload.annotations().getOrDefault(ANNOTATION, "");
        String legacy = workload.annotations().getOrDefault(LEGACY_ANNOTATION, "");
        Labels before = Labels.parseLenient(own.isEmpty() ? legacy : own);
        Labels after;
        try {
            after = replace ? Labels.parse(args.get("labels")) : edited(before, args.getOrDefault("add", ""), args.getOrDefault("remove", ""));
        } catch (ShipdeckException e) {
            throw refused(e.oneLine());
        }
        String text = after.toAnnotation();
        if (after.equals(before) && text.equals(own.isEmpty() ? legacy : own)) {
            return Plan.nothing("the labels of " + name + " are already " + describe(after));
        }
        ObjectNode body = KubeApi.JSON.createObjectNode();
        ObjectNode annotations = body.putObject("metadata").putObject("annotations");
        if (after.items().isEmpty()) {
            annotations.putNull(ANNOTATION);
            if (!legacy.isEmpty()) annotations.putNull(LEGACY_ANNOTATION);
        } else {
            annotations.put(ANNOTATION, text);
        }
        String summary = after.items().isEmpty() ? "remove every label of " + name + " (were: " + describe(before) + ")"
                : "set the labels of " + name + " to " + text + " (were: " + describe(before) + ")";
        return Plan.one(PlannedRequest.mergePatch(basePath, body.toString()), summary);
    }

    /** {@code before} with {@code add} added and {@code remove} taken away; at most 20, or the Labels constructor says why. */
    private static Labels edited(Labels before, String add, String remove) {
        TreeSet<Label> out = new TreeSet<>(before.items());
        for (String part : remove.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) continue;
            if (t.contains(":")) {
                out.remove(Label.parse(t));
            } else {
                String key = Label.checkKey(t);
                out.removeIf(l -> l.key().equals(key));
            }
        }
        out.addAll(Labels.parse(add).items());
        return new Labels(new ArrayList<>(out));
    }

    private static String describe(Labels l) {
        return l.items().isEmpty() ? "none" : l.toAnnotation();
    }

    private static Refused refused(String message) {
        return Refused.refused(message);
    }
}

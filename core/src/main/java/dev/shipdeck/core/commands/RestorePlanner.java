package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.json.J;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.workload.ImageRef;
import dev.shipdeck.core.workload.Conventions;
import dev.shipdeck.core.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code kubectl rollout undo} and {@code kubectl argo rollouts undo}: the pod template of the chosen ReplicaSet (by
 * version, by revision, or the one before the current), as one JSON patch that carries the resourceVersion it was
 * computed from; skipped when the workload already runs that template. Pure: the target, the request and (read when
 * it gets that far) the ReplicaSets it controls in.
 */
final class RestorePlanner {
    private static final List<String> OWN_ANNOTATIONS = List.of(Conventions.LAST_APPLIED, Conventions.DEPLOY_REVISION,
            "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
            "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to");

    private RestorePlanner() {}

    static Plan plan(Target t, Supplier<List<JsonNode>> owned, CommandRequest r) {
        return plan(t, owned, List::of, r, new ArrayList<>());
    }

    /**
     * @param pods the workload's pods, read only when the chosen version pins an image by digest: their
     *             {@code imageID}s say what the same tag resolves to now
     * @param warnings gets "image digest changed since: …" when it does not resolve to the pinned digest any more
     */
    static Plan plan(Target t, Supplier<List<JsonNode>> owned, Supplier<List<JsonNode>> pods, CommandRequest r, List<String> warnings) {
        WorkloadFacts f = t.facts();
        boolean deploy = !f.isRollout();
        if (!deploy && f.workloadRef() != null && f.template() == null) {
            // the template lives in the referenced workload; the plugin patches that one instead
            throw Refused.refused(t.name() + " takes its pod template from " + f.workloadRef().kind() + " " + f.workloadRef().name()
                    + " (spec.workloadRef): restore a version there, e.g. kubectl argo rollouts undo " + t.name());
        }
        String revKey = f.revisionKey();
        List<JsonNode> rss = new ArrayList<>(owned.get());
        rss.sort(Comparator.comparingLong((JsonNode rs) -> J.num(rs, 0, "metadata", "annotations", revKey)).reversed());
        JsonNode chosen = pick(rss, revKey, r);
        long revision = J.num(chosen, 0, "metadata", "annotations", revKey);
        String version = Conventions.version(J.at(chosen, "spec", "template"));
        ObjectNode template = TemplateCompare.withoutLabel(chosen.path("spec").path("template"), f.hashKey());
        JsonNode current = TemplateCompare.withoutLabel(f.template() == null ? MissingNode.getInstance() : f.template(), f.hashKey());
        // kubectl compares the two typed templates (Semantic.DeepEqual); the plugin asks whether the Rollout's
        // unstructured template is a derivative of the ReplicaSet's (fields the server defaulted in the
        // ReplicaSet but the Rollout never set do not count)
        if (deploy ? TemplateCompare.semanticEqual(current, template) : TemplateCompare.derivative(current, template)) {
            return Plan.nothing("skipped: " + t.name() + " already runs version " + version + " (revision " + revision + ")");
        }
        String changed = digestChanged(template, revision, f.template(), pods);
        if (changed != null) warnings.add(changed);
        ArrayNode ops = KubeApi.JSON.createArrayNode();
        ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", f.resourceVersion());
        ops.addObject().put("op", "replace").put("path", "/spec/template").set("value", template);
        if (deploy) {
            ops.addObject().put("op", "replace").put("path", "/metadata/annotations").set("value", restoredAnnotations(f.annotations(), chosen));
        }
        return Plan.one(new PlannedRequest("PATCH", t.basePath(), PlannedRequest.JSON_PATCH, ops.toString()),
                "restore " + t.name() + " to version " + version + " (revision " + revision + ")");
    }

    /**
     * For the first image the restored template pins by digest: the digest its tag is known to resolve to now (pinned
     * in the current template, or what the workload's pods run, from {@code status.containerStatuses[].imageID}), when
     * that is another one; null when nothing is known to differ.
     */
    static String digestChanged(JsonNode restored, long revision, JsonNode current, Supplier<List<JsonNode>> pods) {
        List<ImageRef> pinned = new ArrayList<>();
        restored.path("spec").path("containers").forEach(c -> {
            ImageRef i = ImageRef.parse(c.path("image").asText());
            if (i.pinned() && !i.tag().isEmpty()) pinned.add(i);
        });
        if (pinned.isEmpty()) return null;
        for (ImageRef mine : pinned) {
            if (current != null) {
                for (JsonNode c : current.path("spec").path("containers")) {
                    ImageRef now = ImageRef.parse(c.path("image").asText());
                    if (now.pinned() && now.named().equals(mine.named()) && !now.digest().equals(mine.digest())) {
                        return changed(mine, revision, now.digest(), "the current template pins it");
                    }
                }
            }
        }
        for (JsonNode pod : pods.get()) {
            for (JsonNode cs : pod.path("status").path("containerStatuses")) {
                String id = cs.path("imageID").asText("");
                if (!id.contains("@")) continue;
                ImageRef ran = ImageRef.parse(cs.path("image").asText(""));
                String digest = id.substring(id.lastIndexOf('@') + 1);
                for (ImageRef mine : pinned) {
                    if (ran.named().equals(mine.named()) && !digest.equalsIgnoreCase(mine.digest())) {
                        return changed(mine, revision, digest, "pod " + J.str(pod, "metadata", "name") + " runs it");
                    }
                }
            }
        }
        return null;
    }

    private static String changed(ImageRef mine, long revision, String now, String where) {
        return "image digest changed since: " + mine.named() + " was " + ImageRef.shortDigest(mine.digest()) + " in revision " + revision
                + " and is " + ImageRef.shortDigest(now) + " now (" + where + "); restoring runs the pinned older image again";
    }

    /** As kubectl: the Deployment keeps its own revision/last-applied annotations, takes the rest from the ReplicaSet. */
    private static ObjectNode restoredAnnotations(Map<String, String> own, JsonNode rs) {
        ObjectNode out = KubeApi.JSON.createObjectNode();
        for (String k : OWN_ANNOTATIONS) {
            if (own.containsKey(k)) out.put(k, own.get(k));
        }
        JsonNode theirs = J.at(rs, "metadata", "annotations");
        if (theirs != null) {
            theirs.fields().forEachRemaining(e -> {
                if (!OWN_ANNOTATIONS.contains(e.getKey())) out.set(e.getKey(), e.getValue());
            });
        }
        return out;
    }

    private static JsonNode pick(List<JsonNode> rss, String revKey, CommandRequest r) {
        List<String> kept = rss.stream().map(rs -> "revision " + J.num(rs, 0, "metadata", "annotations", revKey) + " = "
                + Conventions.version(J.at(rs, "spec", "template"))).toList();
        if (!r.arg("toVersion").isEmpty()) {
            for (JsonNode rs : rss) {
                if (Conventions.version(J.at(rs, "spec", "template")).equals(r.arg("toVersion"))) return rs;
            }
            throw Refused.refused("version " + r.arg("toVersion") + " is " + VersionInfo.OUTSIDE_HISTORY + ": no ReplicaSet of it is kept"
                    + " (pruned by revisionHistoryLimit, or never deployed). Kept: " + String.join(", ", kept));
        }
        long want = 0;
        if (!r.arg("toRevision").isEmpty()) {
            try {
                want = Long.parseLong(r.arg("toRevision"));
            } catch (NumberFormatException e) {
                throw Refused.refused("revision must be a number, got \"" + r.arg("toRevision") + "\"");
            }
        }
        if (want == 0) {
            if (rss.size() < 2) {
                throw Refused.refused("no previous version to restore: older versions are " + VersionInfo.OUTSIDE_HISTORY + "; kept: "
                        + String.join(", ", kept));
            }
            return rss.get(1);
        }
        for (JsonNode rs : rss) {
            if (J.num(rs, 0, "metadata", "annotations", revKey) == want) return rs;
        }
        throw Refused.refused("revision " + want + " is " + VersionInfo.OUTSIDE_HISTORY + ": its ReplicaSet was pruned or never existed."
                + " Kept: " + String.join(", ", kept));
    }
}

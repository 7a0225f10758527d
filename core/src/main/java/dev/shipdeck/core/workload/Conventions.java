package dev.shipdeck.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.json.J;
import dev.shipdeck.core.model.Action;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Shipdeck's conventions on Kubernetes objects, in one place: the label and annotation prefixes (the own one first,
 * CircleCI's legacy one second), the annotation names, the revision and pod-template-hash keys of each kind, and the
 * version rule (the version label of a pod template, else its first container's image tag).
 */
public final class Conventions {
    /** Every Shipdeck label and annotation is read under each prefix, the first one found wins. */
    public static final String[] PREFIXES = {"shipdeck.dev/", "circleci.com/"};
    public static final String DEPLOY_REVISION = "deployment.kubernetes.io/revision";
    public static final String ROLLOUT_REVISION = "rollout.argoproj.io/revision";
    public static final String DEPLOY_HASH = "pod-template-hash";
    public static final String ROLLOUT_HASH = "rollouts-pod-template-hash";
    /** The labels of a component ({@code team:payments, role:web}), written by {@link Action#EDIT_LABELS}. */
    public static final String LABELS = "shipdeck.dev/labels";
    /** Read too, and cleared with the last label so none comes back from it. */
    public static final String LEGACY_LABELS = "circleci.com/labels";
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private Conventions() {}

    /** The first non-empty value of {@code <prefix><suffix>} in {@code values} (labels or annotations), else "". */
    public static String prefixed(Map<String, String> values, String suffix) {
        for (String p : PREFIXES) {
            String v = values.getOrDefault(p + suffix, "");
            if (!v.isEmpty()) return v;
        }
        return "";
    }

    /** The annotation that turns {@code a} off when it says "false", under {@code prefix}. */
    public static String enabledAnnotation(String prefix, Action a) {
        return prefix + a.annotationWord() + "-enabled";
    }

    /** The annotation (under any prefix) that turns {@code a} off, or null when none does. */
    public static String disabledBy(Map<String, String> annotations, Action a) {
        for (String p : PREFIXES) {
            String key = enabledAnnotation(p, a);
            if ("false".equalsIgnoreCase(annotations.getOrDefault(key, "").trim())) return key;
        }
        return null;
    }

    /** The actions the annotations turn off. */
    public static Set<Action> disabledActions(Map<String, String> annotations) {
        Set<Action> off = EnumSet.noneOf(Action.class);
        for (Action a : Action.values()) {
            if (disabledBy(annotations, a) != null) off.add(a);
        }
        return off;
    }

    /** The component of a workload: the label on the workload, else on its pod template. */
    public static String componentName(JsonNode w) {
        for (String p : PREFIXES) {
            String v = J.label(w, p + "component-name");
            if (!v.isEmpty()) return v;
            v = J.str(w, "spec", "template", "metadata", "labels", p + "component-name");
            if (!v.isEmpty()) return v;
        }
        return "";
    }

    /** The version of a pod template: the version label, else the first container's image tag. */
    public static String version(JsonNode template) {
        for (String p : PREFIXES) {
            String v = J.str(template, "metadata", "labels", p + "version");
            if (!v.isEmpty()) return v;
        }
        JsonNode containers = J.at(template, "spec", "containers");
        if (containers != null && containers.size() > 0) {
            return imageTag(containers.get(0).path("image").asText(""));
        }
        return "";
    }

    /** The tag of an image reference; a digest-only reference gives the digest's start, none {@code latest}. */
    public static String imageTag(String image) {
        String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = noDigest.lastIndexOf('/');
        int colon = noDigest.lastIndexOf(':');
        if (colon > slash) return noDigest.substring(colon + 1);
        return image.contains("@") ? image.substring(image.indexOf('@') + 1, Math.min(image.length(), image.indexOf('@') + 20)) : "latest";
    }

    /** The uid of an object's controlling owner, or "". */
    public static String controllerUid(JsonNode obj) {
        JsonNode refs = J.at(obj, "metadata", "ownerReferences");
        if (refs == null) return "";
        for (JsonNode r : refs) {
            if (r.path("controller").asBoolean(false)) return r.path("uid").asText("");
        }
        return "";
    }
}

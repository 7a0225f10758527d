package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Pod template helpers shared by the workload controllers: the template hash that names ReplicaSets,
 * template comparison, and the simulation annotations that decide how a template's pods behave.
 *
 * <p>Simulation knobs, read from {@code spec.template.metadata.annotations}:
 * {@value #NEVER_READY} ({@code "true"}: pods run but never become Ready; an image tag containing
 * {@code broken} does the same) and {@value #READY_AFTER} (decimal seconds of simulated time until a pod is
 * Ready, default 3).
 */
public final class PodTemplates {
    public static final String POD_TEMPLATE_HASH = "pod-template-hash";
    public static final String ROLLOUTS_POD_TEMPLATE_HASH = "rollouts-pod-template-hash";
    public static final String NEVER_READY = "sim.shipdeck.dev/never-ready";
    public static final String READY_AFTER = "sim.shipdeck.dev/ready-after-seconds";
    public static final Duration DEFAULT_READY_AFTER = Duration.ofSeconds(3);

    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private PodTemplates() {}

    /** A stable short hash of the template (hash labels ignored), encoded like Kubernetes' SafeEncodeString. */
    public static String hash(JsonNode template) {
        return hash(template, null);
    }

    /**
     * Like {@link #hash(JsonNode)}, with a Deployment's {@code status.collisionCount} mixed in (null: none), as
     * Kubernetes does to find a free ReplicaSet name after a hash collision.
     */
    public static String hash(JsonNode template, Integer collisionCount) {
        int h = fnv(FNV_OFFSET, Json.bytes(sorted(withoutHashLabels(template))));
        if (collisionCount != null) {
            int c = collisionCount;
            h = fnv(h, new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24)});
        }
        return safeEncode(Integer.toUnsignedString(h));
    }

    /**
     * A copy of the template without the {@code pod-template-hash} and {@code rollouts-pod-template-hash} labels,
     * JSON nulls and empty container {@code resources} — what a typed struct makes of it, as the Kubernetes and Argo
     * controllers hash typed templates (kubectl and the Argo plugin send {@code "creationTimestamp": null}).
     */
    public static ObjectNode withoutHashLabels(JsonNode template) {
        ObjectNode copy = template != null && template.isObject() ? ((ObjectNode) template).deepCopy() : Json.object();
        dropNulls(copy);
        dropEmptyResources(copy.path("spec"));
        JsonNode labels = Json.at(copy, "metadata", "labels");
        if (labels instanceof ObjectNode l) {
            l.remove(POD_TEMPLATE_HASH);
            l.remove(ROLLOUTS_POD_TEMPLATE_HASH);
            if (l.isEmpty()) {
                ((ObjectNode) copy.get("metadata")).remove("labels");
            }
        }
        JsonNode meta = copy.get("metadata");
        if (meta != null && meta.isEmpty()) {
            copy.remove("metadata");
        }
        return copy;
    }

    /** Removes JSON nulls (unset fields) everywhere in {@code node}. */
    static void dropNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.properties().removeIf(e -> e.getValue().isNull());
        }
        node.forEach(PodTemplates::dropNulls);
    }

    /** A container's empty {@code resources} is no requirement at all: removed, as typed decoding does. */
    static void dropEmptyResources(JsonNode podSpec) {
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode c : podSpec.path(list)) {
                JsonNode res = c.get("resources");
                if (c instanceof ObjectNode container && res != null && res.isObject() && res.isEmpty()) {
                    container.remove("resources");
                }
            }
        }
    }

    /** Whether two templates are equal once the hash labels are ignored. */
    public static boolean sameTemplate(JsonNode a, JsonNode b) {
        return withoutHashLabels(a).equals(withoutHashLabels(b));
    }

    /** True when the template's pods should never become Ready. */
    public static boolean neverReady(JsonNode template) {
        if ("true".equalsIgnoreCase(annotation(template, NEVER_READY))) {
            return true;
        }
        for (JsonNode c : template.path("spec").path("containers")) {
            if (imageTag(c.path("image").asText("")).contains("broken")) {
                return true;
            }
        }
        return false;
    }

    /** Simulated time from a pod's creation until it is Ready. */
    public static Duration readyAfter(JsonNode template) {
        String v = annotation(template, READY_AFTER);
        if (v == null || v.isBlank()) {
            return DEFAULT_READY_AFTER;
        }
        try {
            BigDecimal seconds = new BigDecimal(v.trim());
            if (seconds.signum() < 0) {
                return Duration.ZERO;
            }
            return Duration.ofNanos(seconds.movePointRight(9).longValue());
        } catch (NumberFormatException e) {
            return DEFAULT_READY_AFTER;
        }
    }

    /** The tag of an image reference ({@code repo:tag@digest} → {@code tag}), empty when none. */
    static String imageTag(String image) {
        String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = noDigest.lastIndexOf('/');
        int colon = noDigest.lastIndexOf(':');
        return colon > slash ? noDigest.substring(colon + 1) : "";
    }

    private static String annotation(JsonNode template, String key) {
        JsonNode v = Json.at(template, "metadata", "annotations", key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static int fnv(int start, byte[] bytes) {
        int h = start;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }

    private static String safeEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
        }
        return out.toString();
    }

    private static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = Json.object();
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            for (String name : names) {
                out.set(name, sorted(n.get(name)));
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = Json.array();
            n.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return n;
    }
}

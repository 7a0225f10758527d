package dev.shipdeck.sim;

import java.util.List;
import java.util.Set;

/**
 * One REST resource the simulated API server serves (built in, or added at runtime by a CRD).
 *
 * @param subresources e.g. {@code status}, {@code scale}
 */
public record ResourceType(String group, String version, String plural, String singular, String kind,
                           boolean namespaced, List<String> shortNames, Set<String> subresources,
                           List<String> categories) {

    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public String apiVersion() { return group.isEmpty() ? version : group + "/" + version; }

    public String listKind() { return kind + "List"; }

    /** Key used in the store and for RBAC: {@code group/plural}. */
    public String key() { return group + "/" + plural; }

    public boolean hasStatus() { return subresources.contains("status"); }

    public boolean hasScale() { return subresources.contains("scale"); }

    /** Create-only virtual resources (reviews) are not stored. */
    public boolean isReview() { return kind.endsWith("Review"); }

    public List<String> verbs() { return isReview() ? List.of("create") : ALL_VERBS; }
}

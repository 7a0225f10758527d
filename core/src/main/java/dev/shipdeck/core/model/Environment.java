package dev.shipdeck.core.model;

import java.util.List;

/**
 * One kubeconfig context and the namespaces it manages: {@code namespaces} empty = all, else names or globs
 * ({@code team-*}).
 */
public record Environment(String name, String context, String displayName, List<String> namespaces, Labels labels, int order) {
    public Environment {
        namespaces = List.copyOf(namespaces);
        displayName = displayName == null || displayName.isBlank() ? name : displayName;
        labels = labels == null ? Labels.NONE : labels;
    }

    public static Environment ofContext(String context) {
        return new Environment(context, context, context, List.of(), Labels.NONE, 0);
    }

    public boolean allNamespaces() { return namespaces.isEmpty() || namespaces.contains("*"); }

    /** Whether this environment manages {@code namespace}. */
    public boolean manages(String namespace) {
        if (allNamespaces()) return true;
        for (String p : namespaces) {
            if (p.equals(namespace) || p.contains("*") && glob(p, namespace)) return true;
        }
        return false;
    }

    /** The explicit namespace names (no globs), or empty when the environment needs a cluster-wide view. */
    public List<String> explicitNamespaces() {
        if (allNamespaces() || namespaces.stream().anyMatch(n -> n.contains("*"))) return List.of();
        return namespaces;
    }

    private static boolean glob(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') re.append(".*");
            else re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return s.matches(re.toString());
    }
}

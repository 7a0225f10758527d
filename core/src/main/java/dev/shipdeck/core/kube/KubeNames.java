package dev.shipdeck.core.kube;

import java.util.regex.Pattern;

/** Kubernetes' naming rules, checked before a request so a bad name gets its own message (not a 404 from the server). */
public final class KubeNames {
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int LABEL_MAX = 63;

    private KubeNames() {}

    /**
     * Why {@code name} cannot be a namespace (a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting
     * and ending with a letter or digit), or null when it can.
     */
    public static String namespaceProblem(String name) {
        if (name == null || name.isEmpty()) return "a namespace name cannot be empty";
        if (name.length() > LABEL_MAX) return "\"" + name + "\" is not a valid namespace name: it has " + name.length() + " characters, at most 63 are allowed";
        if (!DNS1123_LABEL.matcher(name).matches()) {
            return "\"" + name + "\" is not a valid namespace name: use lower-case letters, digits and '-', starting and ending with a letter or digit";
        }
        return null;
    }
}

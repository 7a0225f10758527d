package dev.shipdeck.app.main;

/**
 * Where a session comes from: a kubeconfig (null path = {@code KUBECONFIG} or {@code ~/.kube/config}), the demo
 * cluster (as {@code admin} or {@code viewer}), or a generated benchmark cluster with {@code components} components.
 */
public record SessionSource(Kind kind, String kubeconfig, String user, int components) {
    public enum Kind { KUBECONFIG, DEMO, BENCHMARK }

    public static SessionSource kubeconfig(String path) { return new SessionSource(Kind.KUBECONFIG, path, null, 0); }

    public static SessionSource demo(String user) { return new SessionSource(Kind.DEMO, null, user, 0); }

    public static SessionSource benchmark(int components) { return new SessionSource(Kind.BENCHMARK, null, null, components); }
}

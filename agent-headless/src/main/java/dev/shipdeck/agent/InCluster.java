package dev.shipdeck.agent;

import dev.shipdeck.core.ShipdeckException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Running in a pod with its ServiceAccount: the kubeconfig Shipdeck's clients need, made from what Kubernetes mounts
 * ({@code token}, {@code ca.crt}, {@code namespace}) and the {@code KUBERNETES_SERVICE_HOST/PORT} variables, written
 * to a private temporary file. The user entry carries the token read at start and names the token file
 * ({@code tokenFile}), as kubectl's in-cluster configuration does.
 */
public final class InCluster {
    public static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    public static final String CONTEXT = "in-cluster";

    private final Path kubeconfig;
    private final String namespace;

    private InCluster(Path kubeconfig, String namespace) {
        this.kubeconfig = kubeconfig;
        this.namespace = namespace;
    }

    /** Whether this process runs in a pod with a ServiceAccount token mounted. */
    public static boolean available(Map<String, String> env, Path serviceAccount) {
        return env.get("KUBERNETES_SERVICE_HOST") != null && Files.isRegularFile(serviceAccount.resolve("token"));
    }

    /** Writes the kubeconfig into {@code dir}. */
    public static InCluster create(Map<String, String> env, Path serviceAccount, Path dir) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        if (host == null || host.isBlank()) {
            throw new ShipdeckException("not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST is not set",
                    "run the agent in the cluster (shipdeck install), or give it a kubeconfig with --kubeconfig/--context");
        }
        String ns;
        try {
            Path nsFile = serviceAccount.resolve("namespace");
            ns = Files.isRegularFile(nsFile) ? Files.readString(nsFile).trim() : "default";
        } catch (IOException e) {
            throw new ShipdeckException("cannot read the pod's namespace from " + serviceAccount, "check the ServiceAccount mount", e);
        }
        String server = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        InCluster c = new InCluster(dir.resolve("kubeconfig"), ns);
        c.write(serviceAccount, server);
        return c;
    }

    /** The kubeconfig file (one context, {@value #CONTEXT}). */
    public Path kubeconfig() { return kubeconfig; }

    /** The pod's namespace. */
    public String namespace() { return namespace; }

    private void write(Path serviceAccount, String server) {
        String token;
        try {
            token = Files.readString(serviceAccount.resolve("token")).trim();
        } catch (IOException e) {
            throw new ShipdeckException("cannot read the ServiceAccount token in " + serviceAccount, "check the ServiceAccount mount", e);
        }
        String yaml = "apiVersion: v1\nkind: Config\ncurrent-context: " + CONTEXT + "\n"
                + "clusters:\n- name: " + CONTEXT + "\n  cluster:\n    server: " + server + "\n"
                + "    certificate-authority: " + serviceAccount.resolve("ca.crt") + "\n"
                + "users:\n- name: " + CONTEXT + "\n  user:\n    token: " + token + "\n    tokenFile: " + serviceAccount.resolve("token") + "\n"
                + "contexts:\n- name: " + CONTEXT + "\n  context:\n    cluster: " + CONTEXT + "\n    user: " + CONTEXT
                + "\n    namespace: " + namespace + "\n";
        try {
            Files.createFile(kubeconfig, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(kubeconfig, yaml);
        } catch (IOException e) {
            throw new ShipdeckException("cannot write the in-cluster kubeconfig to " + kubeconfig.getParent(),
                    "give the agent a writable temporary folder (an emptyDir at /tmp)", e);
        }
    }
}

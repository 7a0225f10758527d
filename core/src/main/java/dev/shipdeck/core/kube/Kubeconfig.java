package dev.shipdeck.core.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shipdeck.core.Home;
import dev.shipdeck.core.ShipdeckException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kubeconfig a person already uses with kubectl: {@code --kubeconfig}, else every file of {@code KUBECONFIG}
 * (':' on Unix, ';' on Windows; the first file wins for duplicate names and for current-context), else
 * {@code ~/.kube/config} ({@code ~} = {@link Home}: {@code $HOME}, as kubectl). Relative paths inside a file are
 * resolved against that file's folder.
 */
public final class Kubeconfig {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A named entry (cluster, user or context) and the file it came from. */
    public record Entry(String name, ObjectNode body, Path origin) {
        /** Names and file only: a user's body holds its token, key or password. */
        @Override
        public String toString() {
            return "Entry[name=" + name + ", fields=" + fieldNames() + ", origin=" + origin + "]";
        }

        private List<String> fieldNames() {
            List<String> out = new ArrayList<>();
            body.fieldNames().forEachRemaining(out::add);
            return out;
        }
    }

    /** A context as kubectl resolves it. */
    public record Context(String name, String cluster, String user, String namespace) {}

    private final List<Path> files;
    private final Map<String, Entry> clusters;
    private final Map<String, Entry> users;
    private final Map<String, Context> contexts;
    private final String currentContext;

    Kubeconfig(List<Path> files, Map<String, Entry> clusters, Map<String, Entry> users,
                       Map<String, Context> contexts, String currentContext) {
        this.files = List.copyOf(files);
        this.clusters = Collections.unmodifiableMap(clusters);
        this.users = Collections.unmodifiableMap(users);
        this.contexts = Collections.unmodifiableMap(contexts);
        this.currentContext = currentContext;
    }

    /** Thrown when there is no kubeconfig at all (the desktop then offers its demo cluster). */
    public static final class NoKubeconfigException extends ShipdeckException {
        public NoKubeconfigException(String message) {
            super(message, "create one with your cloud's CLI (e.g. 'aws eks update-kubeconfig'), pass --kubeconfig FILE, or try the demo cluster");
        }
    }

    /** The files to read: an explicit path, else KUBECONFIG, else ~/.kube/config. */
    public static List<Path> locate(String explicitPath, String kubeconfigEnv, String home) {
        return KubeconfigFiles.locate(explicitPath, kubeconfigEnv, home);
    }

    /** Loads from the process environment as kubectl does. */
    public static Kubeconfig load(String explicitPath) {
        return load(explicitPath, System.getenv());
    }

    /** Loads as kubectl does in an environment with these variables ({@code KUBECONFIG}, and {@code HOME} as {@link Home} reads it). */
    public static Kubeconfig load(String explicitPath, Map<String, String> env) {
        return load(locate(explicitPath, env.get("KUBECONFIG"), Home.of(env).toString()), explicitPath != null);
    }

    /**
     * Reads and merges {@code paths}. With {@code explicit}, the one file must exist; in a KUBECONFIG list, missing
     * files are skipped as kubectl skips them, but at least one must exist.
     */
    public static Kubeconfig load(List<Path> paths, boolean explicit) {
        return KubeconfigFiles.load(paths, explicit);
    }

    public List<Path> files() { return files; }

    public List<String> contextNames() { return new ArrayList<>(contexts.keySet()); }

    public String currentContext() { return currentContext; }

    public Context context(String name) {
        Context c = contexts.get(name);
        if (c == null) {
            throw new KubeconfigException("context \"" + name + "\" is not in the kubeconfig"
                    + (contexts.isEmpty() ? " (it has no contexts)" : " (it has: " + String.join(", ", contexts.keySet()) + ")"),
                    "pick one of those, or check KUBECONFIG");
        }
        return c;
    }

    public Entry cluster(Context ctx) {
        Entry e = clusters.get(ctx.cluster());
        if (e == null) {
            throw new KubeconfigException(ctx.cluster().isEmpty() ? "context \"" + ctx.name() + "\" names no cluster"
                    : "context \"" + ctx.name() + "\" names cluster \"" + ctx.cluster() + "\", which the kubeconfig does not define",
                    "add the cluster to clusters: in the kubeconfig, or fix the context's cluster");
        }
        return e;
    }

    /**
     * Checks, as kubectl does before its first request, that a context can be used as written: its cluster and user
     * exist, the cluster has a server URL, base64 fields decode, files named exist, a client certificate comes with
     * its key, an exec plugin has a command and a known apiVersion. Throws a {@link KubeconfigException} naming the
     * first problem; it never quotes a secret value.
     */
    public void checkUsable(String contextName) {
        KubeconfigChecks.check(this, contextName);
    }

    /** Whether the kubeconfig defines the user {@code name}. */
    boolean hasUser(String name) {
        return users.containsKey(name);
    }

    /** As client-go: a server written without a scheme ({@code 10.0.0.1:6443}) means https. */
    static String withScheme(String server) {
        return server.contains("://") ? server : "https://" + server;
    }

    /** The user entry of a context (an empty one when the context names none). */
    public Entry user(Context ctx) {
        Entry e = users.get(ctx.user());
        return e != null ? e : new Entry(ctx.user(), JsonNodeFactory.instance.objectNode(), null);
    }

    /** Every secret value in the kubeconfig, so messages can be scrubbed of them. */
    public Set<String> secrets() {
        Set<String> out = new LinkedHashSet<>();
        for (Entry u : users.values()) {
            for (String f : List.of("token", "password", "client-key-data")) {
                String v = u.body().path(f).asText("");
                if (!v.isEmpty()) out.add(v);
            }
            JsonNode ap = u.body().path("auth-provider").path("config");
            ap.fields().forEachRemaining(e -> { if (e.getKey().contains("token") || e.getKey().contains("secret")) out.add(e.getValue().asText()); });
        }
        return out;
    }

    /**
     * A self-contained one-context kubeconfig for fabric8 ({@code exec} removed when {@code withoutExec}: Shipdeck
     * runs exec plugins itself).
     */
    String singleContextYaml(String contextName, boolean withoutExec) {
        Context ctx = context(contextName);
        Entry cluster = cluster(ctx);
        Entry user = user(ctx);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("apiVersion", "v1").put("kind", "Config").put("current-context", ctx.name());
        ArrayNode cl = root.putArray("clusters");
        ObjectNode cb = cluster.body().deepCopy();
        String server = cb.path("server").asText("").strip();
        if (!server.isEmpty()) cb.put("server", withScheme(server));
        cl.addObject().put("name", cluster.name()).set("cluster", cb);
        ArrayNode us = root.putArray("users");
        ObjectNode ub = user.body().deepCopy();
        if (withoutExec) ub.remove("exec");
        us.addObject().put("name", user.name().isEmpty() ? "default" : user.name()).set("user", ub);
        ArrayNode cx = root.putArray("contexts");
        ObjectNode cbody = cx.addObject().put("name", ctx.name()).putObject("context");
        cbody.put("cluster", cluster.name()).put("user", user.name().isEmpty() ? "default" : user.name());
        if (!ctx.namespace().isEmpty()) cbody.put("namespace", ctx.namespace());
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

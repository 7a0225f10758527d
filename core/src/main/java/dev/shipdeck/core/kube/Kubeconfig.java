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

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
    private static final String[] PATH_FIELDS = {"certificate-authority", "client-certificate", "client-key", "tokenFile"};

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

    private Kubeconfig(List<Path> files, Map<String, Entry> clusters, Map<String, Entry> users,
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
        if (explicitPath != null && !explicitPath.isBlank()) {
            return List.of(Path.of(expandHome(explicitPath, home)));
        }
        if (kubeconfigEnv != null && !kubeconfigEnv.isBlank()) {
            List<Path> out = new ArrayList<>();
            for (String p : kubeconfigEnv.split(File.pathSeparator)) {
                if (!p.isBlank()) out.add(Path.of(expandHome(p.trim(), home)));
            }
            return out;
        }
        return List.of(Path.of(home, ".kube", "config"));
    }

    private static String expandHome(String p, String home) {
        return p.startsWith("~/") || p.equals("~") ? home + p.substring(1) : p;
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
        Map<String, Entry> clusters = new LinkedHashMap<>();
        Map<String, Entry> users = new LinkedHashMap<>();
        Map<String, Context> contexts = new LinkedHashMap<>();
        String current = null;
        List<Path> read = new ArrayList<>();
        for (Path p : paths) {
            String text;
            try {
                text = Files.readString(p);
            } catch (NoSuchFileException e) {
                if (explicit) {
                    throw new ShipdeckException("kubeconfig " + p + " does not exist", "check the path given to --kubeconfig");
                }
                continue;
            } catch (IOException e) {
                throw new ShipdeckException("cannot read kubeconfig " + p + ": " + e.getClass().getSimpleName(),
                        "check the file's permissions");
            }
            read.add(p);
            JsonNode root = parseYaml(text, p);
            if (root == null || root.isNull() || root.isMissingNode()) {
                continue;
            }
            if (!root.isObject()) {
                throw new ShipdeckException("kubeconfig " + p + " is not a kubeconfig (expected a map with clusters, users and contexts)",
                        "check the file, or point --kubeconfig/KUBECONFIG at the right one");
            }
            Path dir = p.toAbsolutePath().getParent();
            for (Entry e : entries(root, "clusters", "cluster", p, dir)) clusters.putIfAbsent(e.name(), e);
            for (Entry e : entries(root, "users", "user", p, dir)) users.putIfAbsent(e.name(), e);
            for (Entry e : entries(root, "contexts", "context", p, dir)) {
                contexts.putIfAbsent(e.name(), new Context(e.name(), e.body().path("cluster").asText(""),
                        e.body().path("user").asText(""), e.body().path("namespace").asText("")));
            }
            String cc = root.path("current-context").asText("");
            if (current == null && !cc.isEmpty()) current = cc;
        }
        if (read.isEmpty()) {
            throw new NoKubeconfigException(paths.size() == 1 ? "no kubeconfig at " + paths.get(0)
                    : "none of the KUBECONFIG files exists: " + paths);
        }
        return new Kubeconfig(read, clusters, users, contexts, current);
    }

    private static JsonNode parseYaml(String text, Path p) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ShipdeckException("kubeconfig " + p + " is not valid YAML" + where,
                    "fix the file (kubectl config view shows what kubectl makes of it)");
        }
    }

    private static List<Entry> entries(JsonNode root, String listField, String bodyField, Path origin, Path dir) {
        List<Entry> out = new ArrayList<>();
        JsonNode list = root.path(listField);
        if (list.isMissingNode() || list.isNull()) return out;
        if (!list.isArray()) {
            throw new ShipdeckException("kubeconfig " + origin + ": '" + listField + "' must be a list", "fix the file");
        }
        for (JsonNode item : list) {
            String name = item.path("name").asText("");
            if (name.isEmpty()) {
                throw new ShipdeckException("kubeconfig " + origin + ": an entry of '" + listField + "' has no name", "fix the file");
            }
            JsonNode body = item.path(bodyField);
            ObjectNode copy = body.isObject() ? ((ObjectNode) body).deepCopy() : JsonNodeFactory.instance.objectNode();
            resolvePaths(copy, dir);
            out.add(new Entry(name, copy, origin));
        }
        return out;
    }

    private static void resolvePaths(ObjectNode body, Path dir) {
        for (String f : PATH_FIELDS) {
            String v = body.path(f).asText("");
            if (!v.isEmpty() && !Path.of(v).isAbsolute() && dir != null) {
                body.put(f, dir.resolve(v).normalize().toString());
            }
        }
        JsonNode exec = body.path("exec");
        if (exec.isObject()) {
            // as client-go: a command with a path separator is a path relative to this file, a bare name is looked up on PATH
            String cmd = exec.path("command").asText("");
            if ((cmd.contains("/") || cmd.contains(File.separator)) && !Path.of(cmd).isAbsolute() && dir != null) {
                ((ObjectNode) exec).put("command", dir.resolve(cmd).normalize().toString());
            }
        }
    }

    public List<Path> files() { return files; }

    public List<String> contextNames() { return new ArrayList<>(contexts.keySet()); }

    public String currentContext() { return currentContext; }

    public Context context(String name) {
        Context c = contexts.get(name);
        if (c == null) {
            throw new ShipdeckException("context \"" + name + "\" is not in the kubeconfig"
                    + (contexts.isEmpty() ? " (it has no contexts)" : " (it has: " + String.join(", ", contexts.keySet()) + ")"),
                    "pick one of those, or check KUBECONFIG");
        }
        return c;
    }

    public Entry cluster(Context ctx) {
        Entry e = clusters.get(ctx.cluster());
        if (e == null) {
            throw new ShipdeckException("context \"" + ctx.name() + "\" names cluster \"" + ctx.cluster() + "\", which the kubeconfig does not define",
                    "fix the kubeconfig");
        }
        return e;
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
        cl.addObject().put("name", cluster.name()).set("cluster", cluster.body());
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

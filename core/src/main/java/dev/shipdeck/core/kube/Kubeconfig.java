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
    /** Fields that must be strings when present, per entry kind. */
    private static final Map<String, List<String>> STRING_FIELDS = Map.of(
            "cluster", List.of("server", "certificate-authority", "certificate-authority-data", "proxy-url", "tls-server-name"),
            "user", List.of("token", "tokenFile", "client-certificate", "client-certificate-data", "client-key", "client-key-data",
                    "username", "password"),
            "context", List.of("cluster", "user", "namespace"));
    private static final java.util.Set<String> EXEC_API_VERSIONS = java.util.Set.of("client.authentication.k8s.io/v1",
            "client.authentication.k8s.io/v1beta1");

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
            if (Files.isDirectory(p)) {
                throw new KubeconfigException("kubeconfig " + p + " is a directory, not a file",
                        "point " + (explicit ? "--kubeconfig" : "KUBECONFIG") + " at the kubeconfig file inside it, e.g. " + p.resolve("config"));
            }
            String text;
            try {
                text = Files.readString(p);
            } catch (NoSuchFileException e) {
                if (explicit) {
                    throw new KubeconfigException("kubeconfig " + p + " does not exist", "check the path given to --kubeconfig");
                }
                continue;
            } catch (java.nio.file.AccessDeniedException e) {
                throw new KubeconfigException("cannot read kubeconfig " + p + ": permission denied",
                        "check the file's permissions (ls -l " + p + ")");
            } catch (java.nio.charset.MalformedInputException e) {
                throw new KubeconfigException("kubeconfig " + p + " is not a text file (not UTF-8)",
                        "point --kubeconfig/KUBECONFIG at the kubeconfig file");
            } catch (IOException e) {
                throw new KubeconfigException("cannot read kubeconfig " + p + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                        "check the file and its permissions");
            }
            read.add(p);
            JsonNode root = parseYaml(text, p);
            if (root == null || root.isNull() || root.isMissingNode()) {
                continue;
            }
            if (!root.isObject()) {
                throw new KubeconfigException("kubeconfig " + p + " is not a kubeconfig (expected a map with clusters, users and contexts)",
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
            throw new KubeconfigException("kubeconfig " + p + " is not valid YAML" + where,
                    "fix the file (kubectl config view shows what kubectl makes of it)");
        }
    }

    private static List<Entry> entries(JsonNode root, String listField, String bodyField, Path origin, Path dir) {
        List<Entry> out = new ArrayList<>();
        JsonNode list = root.path(listField);
        if (list.isMissingNode() || list.isNull()) return out;
        if (!list.isArray()) {
            throw new KubeconfigException("kubeconfig " + origin + ": '" + listField + "' must be a list, not " + kindOf(list),
                    "write it as a list of entries (- name: ...)");
        }
        int index = 0;
        for (JsonNode item : list) {
            index++;
            if (!item.isObject()) {
                throw new KubeconfigException("kubeconfig " + origin + ": entry " + index + " of '" + listField + "' is not a map with name and "
                        + bodyField, "fix the file (kubectl config view shows what kubectl makes of it)");
            }
            String name = item.path("name").isValueNode() ? item.path("name").asText("") : "";
            if (name.isEmpty()) {
                throw new KubeconfigException("kubeconfig " + origin + ": entry " + index + " of '" + listField + "' has no name", "give it a name: field");
            }
            JsonNode body = item.path(bodyField);
            if (!body.isMissingNode() && !body.isNull() && !body.isObject()) {
                throw new KubeconfigException("kubeconfig " + origin + ": " + bodyField + " \"" + name + "\" must be a map, not "
                        + kindOf(body), "fix the '" + bodyField + ":' of that entry");
            }
            ObjectNode copy = body.isObject() ? ((ObjectNode) body).deepCopy() : JsonNodeFactory.instance.objectNode();
            for (String f : STRING_FIELDS.getOrDefault(bodyField, List.of())) {
                JsonNode v = copy.path(f);
                if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) {
                    throw new KubeconfigException("kubeconfig " + origin + ": " + f + " of " + bodyField + " \"" + name + "\" must be a string, not "
                            + kindOf(v), "fix that field");
                }
            }
            JsonNode insecure = copy.path("insecure-skip-tls-verify");
            if (!insecure.isMissingNode() && !insecure.isNull() && !insecure.isBoolean()) {
                throw new KubeconfigException("kubeconfig " + origin + ": insecure-skip-tls-verify of " + bodyField + " \"" + name
                        + "\" must be true or false", "write it without quotes: insecure-skip-tls-verify: true");
            }
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
        Context ctx = context(contextName);
        Entry cluster = cluster(ctx);
        if (!ctx.user().isEmpty() && !users.containsKey(ctx.user())) {
            throw new KubeconfigException("context \"" + ctx.name() + "\" names user \"" + ctx.user() + "\", which the kubeconfig does not define",
                    "add the user to users: in the kubeconfig, or fix the context's user");
        }
        String where = "cluster \"" + cluster.name() + "\" (context \"" + ctx.name() + "\")";
        ObjectNode cb = cluster.body();
        String server = cb.path("server").asText("").strip();
        if (server.isEmpty()) {
            throw new KubeconfigException(where + " has no server", "set server: in the cluster's entry, e.g. server: https://203.0.113.10:6443");
        }
        checkServer(withScheme(server), where);
        checkBase64(cb, "certificate-authority-data", where, true);
        checkFile(cb, "certificate-authority", where);
        checkCertificates(cb, where);
        Entry user = user(ctx);
        String whose = "user \"" + user.name() + "\" (context \"" + ctx.name() + "\")";
        ObjectNode ub = user.body();
        checkBase64(ub, "client-certificate-data", whose, true);
        checkBase64(ub, "client-key-data", whose, false);
        checkFile(ub, "client-certificate", whose);
        checkFile(ub, "client-key", whose);
        checkFile(ub, "tokenFile", whose);
        boolean cert = has(ub, "client-certificate-data") || has(ub, "client-certificate");
        boolean key = has(ub, "client-key-data") || has(ub, "client-key");
        if (cert != key) {
            throw new KubeconfigException(whose + " has a client " + (cert ? "certificate but no key" : "key but no certificate"),
                    "set both client-certificate(-data) and client-key(-data), or neither");
        }
        JsonNode exec = ub.path("exec");
        if (!exec.isMissingNode() && !exec.isNull()) {
            if (!exec.isObject()) throw new KubeconfigException("the exec: of " + whose + " must be a map", "fix the user's exec section");
            if (exec.path("command").asText("").isBlank()) {
                throw new KubeconfigException("the exec credential plugin of " + whose + " has no command", "set exec.command to the plugin, e.g. aws");
            }
            String api = exec.path("apiVersion").asText("");
            if (!EXEC_API_VERSIONS.contains(api)) {
                throw new KubeconfigException("the exec credential plugin of " + whose + " has "
                        + (api.isEmpty() ? "no apiVersion" : "apiVersion \"" + api + "\", which is not supported"),
                        "use client.authentication.k8s.io/v1 (or v1beta1), as the plugin's documentation says");
            }
        }
    }

    /** The CA must hold X.509 certificates a TLS client can trust (kubectl: "unable to load root certificates"). */
    private static void checkCertificates(ObjectNode cb, String where) {
        byte[] pem;
        String data = cb.path("certificate-authority-data").asText("");
        String file = cb.path("certificate-authority").asText("");
        try {
            if (!data.isEmpty()) pem = java.util.Base64.getDecoder().decode(data.replaceAll("[\\r\\n]", ""));
            else if (!file.isEmpty()) pem = Files.readAllBytes(Path.of(file));
            else return;
        } catch (IOException | IllegalArgumentException e) {
            return; // reported by the checks before
        }
        boolean ok;
        try {
            ok = !java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(new java.io.ByteArrayInputStream(pem)).isEmpty();
        } catch (java.security.cert.CertificateException e) {
            ok = false;
        }
        if (!ok) {
            throw new KubeconfigException("cannot use the certificate-authority(-data) of " + where + ": it holds no readable certificate",
                    "use the cluster's CA certificate as a PEM file (-----BEGIN CERTIFICATE-----)");
        }
    }

    private static boolean has(ObjectNode body, String field) {
        return !body.path(field).asText("").isBlank();
    }

    /** As client-go: a server written without a scheme ({@code 10.0.0.1:6443}) means https. */
    static String withScheme(String server) {
        return server.contains("://") ? server : "https://" + server;
    }

    private static void checkServer(String server, String where) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(server);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new KubeconfigException("the server of " + where + ", \"" + server + "\", is not a URL like https://host:6443",
                    "fix server: in the cluster's entry");
        }
        if (uri.getPort() > 65535) {
            throw new KubeconfigException("the server of " + where + ", \"" + server + "\", has port " + uri.getPort() + ", above 65535",
                    "fix server: in the cluster's entry");
        }
    }

    /** Like kubectl: the field must be standard base64; certificates must then be PEM. Never quotes the value. */
    private static void checkBase64(ObjectNode body, String field, String where, boolean certificate) {
        String v = body.path(field).asText("");
        if (v.isEmpty()) return;
        String compact = v.replaceAll("[\\r\\n]", ""); // like Go's decoder: line breaks are skipped, nothing else
        byte[] decoded;
        try {
            decoded = java.util.Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new KubeconfigException(field + " of " + where + " is not valid base64: illegal base64 data at input byte " + badByte(compact),
                    "paste the base64 of the PEM file (base64 -w0 FILE), or name the file with " + field.replace("-data", "") + ": instead");
        }
        String text = new String(decoded, java.nio.charset.StandardCharsets.ISO_8859_1);
        String pem = certificate ? "-----BEGIN CERTIFICATE-----" : "PRIVATE KEY-----";
        if (!text.contains(pem)) {
            throw new KubeconfigException(field + " of " + where + " is base64, but not of a PEM " + (certificate ? "certificate" : "private key"),
                    "encode the PEM file itself (base64 -w0 FILE)");
        }
    }

    /** The offset of the first character that cannot be in standard base64 (or the length, when padding is wrong). */
    private static int badByte(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
            if (!ok) return i;
            if (c == '=' && i < s.length() - 2) return i;
        }
        return s.length() - s.length() % 4;
    }

    private static void checkFile(ObjectNode body, String field, String where) {
        String v = body.path(field).asText("");
        if (v.isEmpty()) return;
        Path f = Path.of(v);
        if (!Files.exists(f)) {
            throw new KubeconfigException(field + " " + f + " of " + where + " does not exist", "fix the path in the kubeconfig, or create the file");
        }
        if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
            throw new KubeconfigException(field + " " + f + " of " + where + " cannot be read" + (Files.isDirectory(f) ? " (it is a directory)" : ""),
                    "point it at a readable file");
        }
    }

    private static String kindOf(JsonNode n) {
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "true/false";
        if (n.isArray()) return "a list";
        if (n.isObject()) return "a map";
        return "empty";
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

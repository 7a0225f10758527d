package dev.shipdeck.core.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading kubeconfig files as kubectl does: which files, their YAML, the entries of each (checked for shape, relative
 * paths resolved against the file's folder) and the merge (the first file wins for duplicate names and for
 * current-context).
 */
final class KubeconfigFiles {
    private static final String[] PATH_FIELDS = {"certificate-authority", "client-certificate", "client-key", "tokenFile"};
    /** Fields that must be strings when present, per entry kind. */
    private static final Map<String, List<String>> STRING_FIELDS = Map.of(
            "cluster", List.of("server", "certificate-authority", "certificate-authority-data", "proxy-url", "tls-server-name"),
            "user", List.of("token", "tokenFile", "client-certificate", "client-certificate-data", "client-key", "client-key-data",
                    "username", "password"),
            "context", List.of("cluster", "user", "namespace"));

    private KubeconfigFiles() {}

    /** The files to read: an explicit path, else KUBECONFIG, else ~/.kube/config. */
    static List<Path> locate(String explicitPath, String kubeconfigEnv, String home) {
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

    /**
     * Reads and merges {@code paths}. With {@code explicit}, the one file must exist; in a KUBECONFIG list, missing
     * files are skipped as kubectl skips them, but at least one must exist.
     */
    static Kubeconfig load(List<Path> paths, boolean explicit) {
        Map<String, Kubeconfig.Entry> clusters = new LinkedHashMap<>();
        Map<String, Kubeconfig.Entry> users = new LinkedHashMap<>();
        Map<String, Kubeconfig.Context> contexts = new LinkedHashMap<>();
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
            for (Kubeconfig.Entry e : entries(root, "clusters", "cluster", p, dir)) clusters.putIfAbsent(e.name(), e);
            for (Kubeconfig.Entry e : entries(root, "users", "user", p, dir)) users.putIfAbsent(e.name(), e);
            for (Kubeconfig.Entry e : entries(root, "contexts", "context", p, dir)) {
                contexts.putIfAbsent(e.name(), new Kubeconfig.Context(e.name(), e.body().path("cluster").asText(""),
                        e.body().path("user").asText(""), e.body().path("namespace").asText("")));
            }
            String cc = root.path("current-context").asText("");
            if (current == null && !cc.isEmpty()) current = cc;
        }
        if (read.isEmpty()) {
            throw new Kubeconfig.NoKubeconfigException(paths.size() == 1 ? "no kubeconfig at " + paths.get(0)
                    : "none of the KUBECONFIG files exists: " + paths);
        }
        return new Kubeconfig(read, clusters, users, contexts, current);
    }

    private static JsonNode parseYaml(String text, Path p) {
        try {
            return Kubeconfig.YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new KubeconfigException("kubeconfig " + p + " is not valid YAML" + where,
                    "fix the file (kubectl config view shows what kubectl makes of it)");
        }
    }

    private static List<Kubeconfig.Entry> entries(JsonNode root, String listField, String bodyField, Path origin, Path dir) {
        List<Kubeconfig.Entry> out = new ArrayList<>();
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
            out.add(new Kubeconfig.Entry(name, copy, origin));
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

    private static String kindOf(JsonNode n) {
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "true/false";
        if (n.isArray()) return "a list";
        if (n.isObject()) return "a map";
        return "empty";
    }
}

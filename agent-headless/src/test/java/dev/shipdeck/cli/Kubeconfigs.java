package dev.shipdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Kubeconfig files for tests: one whose server does not answer, subsets and merges of others. */
final class Kubeconfigs {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kubeconfigs() {}

    /** A local TCP port nothing listens on. */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A kubeconfig with one context whose server is a closed port on this machine. */
    static Path unreachable(Path file, String context) {
        ObjectNode root = YAML.createObjectNode().put("apiVersion", "v1").put("kind", "Config").put("current-context", context);
        root.putArray("clusters").addObject().put("name", context).putObject("cluster")
                .put("server", "https://127.0.0.1:" + closedPort()).put("insecure-skip-tls-verify", true);
        root.putArray("users").addObject().put("name", context).putObject("user").put("token", "not-a-real-token");
        root.putArray("contexts").addObject().put("name", context).putObject("context").put("cluster", context).put("user", context);
        return write(file, root);
    }

    /** {@code source} with only the given contexts (and the clusters and users they use); current-context is the first. */
    static Path only(Path source, Path file, String... contexts) {
        JsonNode src = read(source);
        Set<String> keep = Set.of(contexts);
        ObjectNode root = YAML.createObjectNode().put("apiVersion", "v1").put("kind", "Config").put("current-context", contexts[0]);
        ArrayNode cx = root.putArray("contexts");
        ArrayNode cl = root.putArray("clusters");
        ArrayNode us = root.putArray("users");
        for (JsonNode c : src.path("contexts")) {
            if (!keep.contains(c.path("name").asText())) continue;
            cx.add(c);
            String cluster = c.path("context").path("cluster").asText();
            String user = c.path("context").path("user").asText();
            src.path("clusters").forEach(x -> { if (x.path("name").asText().equals(cluster)) cl.add(x); });
            src.path("users").forEach(x -> { if (x.path("name").asText().equals(user)) us.add(x); });
        }
        return write(file, root);
    }

    /** One file with the clusters, users and contexts of all {@code sources}; current-context of the first. */
    static Path merged(Path file, List<Path> sources) {
        ObjectNode root = YAML.createObjectNode().put("apiVersion", "v1").put("kind", "Config")
                .put("current-context", read(sources.get(0)).path("current-context").asText());
        for (String list : List.of("clusters", "users", "contexts")) {
            ArrayNode all = root.putArray(list);
            sources.forEach(s -> read(s).path(list).forEach(all::add));
        }
        return write(file, root);
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, JsonNode root) {
        try {
            Files.writeString(file, YAML.writeValueAsString(root));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Small JSON helpers around one shared mapper. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Json() {}

    public static ObjectNode object() { return F.objectNode(); }

    public static ArrayNode array() { return F.arrayNode(); }

    public static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid JSON: " + e.getMessage());
        }
    }

    public static JsonNode parseYaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid YAML: " + e.getMessage());
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(JsonNode node) {
        return new String(bytes(node), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The object node at {@code path}, created on the way when missing. */
    public static ObjectNode with(ObjectNode root, String... path) {
        ObjectNode cur = root;
        for (String p : path) {
            JsonNode next = cur.get(p);
            if (!(next instanceof ObjectNode)) {
                next = cur.putObject(p);
            }
            cur = (ObjectNode) next;
        }
        return cur;
    }

    /** Text at a path, or {@code def} when absent. */
    public static String str(JsonNode root, String def, String... path) {
        JsonNode n = at(root, path);
        return n == null || n.isNull() || n.isMissingNode() ? def : n.asText();
    }

    public static long num(JsonNode root, long def, String... path) {
        JsonNode n = at(root, path);
        return n == null || !n.isNumber() && !n.isTextual() ? def : n.asLong(def);
    }

    public static JsonNode at(JsonNode root, String... path) {
        JsonNode cur = root;
        for (String p : path) {
            if (cur == null) {
                return null;
            }
            cur = cur.get(p);
        }
        return cur;
    }

    public static ObjectNode meta(JsonNode obj) {
        return with((ObjectNode) obj, "metadata");
    }

    public static String name(JsonNode obj) { return str(obj, "", "metadata", "name"); }

    public static String namespace(JsonNode obj) { return str(obj, "", "metadata", "namespace"); }
}

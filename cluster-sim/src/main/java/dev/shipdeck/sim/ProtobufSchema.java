package dev.shipdeck.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The protobuf schema of the request bodies the simulator decodes ({@code protobuf.schema}, generated from k8s.io/api
 * by {@code cluster-sim/tools/protoschema}): which message each apiVersion/kind is, and per message its fields with
 * their numbers, types and JSON side (name, omitempty, inline, pointer).
 */
final class ProtobufSchema {
    enum Label { ONE, REPEATED, MAP }

    /**
     * One field. {@code type} is a scalar ({@code string}, {@code bool}, {@code int32}, ...), a special type
     * ({@code time}, {@code intorstring}, ...) or {@code message:<name>}; for a map it is the value type and
     * {@code keyType} the key's ({@code list:<type>} values are a wrapper message of repeated items).
     */
    record Field(int number, String json, Label label, String keyType, String type, boolean inline, boolean omitempty, boolean ptr) {}

    /** A message: its fields in declaration order (the order Go's JSON writes them). */
    record Message(String name, List<Field> fields, Map<Integer, Field> byNumber) {}

    private static final String RESOURCE = "protobuf.schema";
    private static volatile ProtobufSchema loaded;

    private final Map<String, Message> messages;
    private final Map<String, String> kinds;

    private ProtobufSchema(Map<String, Message> messages, Map<String, String> kinds) {
        this.messages = messages;
        this.kinds = kinds;
    }

    static ProtobufSchema get() {
        ProtobufSchema s = loaded;
        if (s == null) {
            synchronized (ProtobufSchema.class) {
                if (loaded == null) loaded = load();
                s = loaded;
            }
        }
        return s;
    }

    /** The message of a kind, or null when the simulator cannot decode it. */
    Message forKind(String apiVersion, String kind) {
        String name = kinds.get(apiVersion + " " + kind);
        if (name == null) name = kinds.get("* " + kind);
        return name == null ? null : messages.get(name);
    }

    Message message(String name) {
        Message m = messages.get(name);
        if (m == null) throw new IllegalStateException("protobuf.schema has no message " + name);
        return m;
    }

    private static ProtobufSchema load() {
        Map<String, List<Field>> fields = new HashMap<>();
        Map<String, String> kinds = new HashMap<>();
        try (InputStream in = ProtobufSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from cluster-sim");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Field> current = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] t = line.trim().split(" ");
                if (line.startsWith("kind ")) {
                    kinds.put(t[1] + " " + t[2], t[3]);
                } else if (line.startsWith("message ")) {
                    current = new ArrayList<>();
                    fields.put(t[1], current);
                } else if (current != null) {
                    current.add(field(t));
                } else {
                    throw new IllegalStateException("protobuf.schema: a field outside a message: " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Message> messages = new HashMap<>();
        fields.forEach((name, list) -> {
            Map<Integer, Field> byNumber = new HashMap<>();
            list.forEach(f -> byNumber.put(f.number(), f));
            messages.put(name, new Message(name, List.copyOf(list), byNumber));
        });
        return new ProtobufSchema(messages, kinds);
    }

    /** {@code <number> <json> one|repeated <type> [flags]} or {@code <number> <json> map <key> <value> [flags]}. */
    private static Field field(String[] t) {
        int number = Integer.parseInt(t[0]);
        Label label = Label.valueOf(t[2].toUpperCase(java.util.Locale.ROOT));
        String key = label == Label.MAP ? t[3] : null;
        String type = label == Label.MAP ? t[4] : t[3];
        Set<String> flags = Set.of(java.util.Arrays.copyOfRange(t, label == Label.MAP ? 5 : 4, t.length));
        return new Field(number, t[1], label, key, type, flags.contains("inline"), flags.contains("omitempty"), flags.contains("ptr"));
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes protobuf request bodies ({@code application/vnd.kubernetes.protobuf}, as kubectl's typed clients
 * send them for {@code kubectl create deployment|namespace|configmap|secret|service|serviceaccount|job}, access reviews
 * and more): the {@code k8s\0} magic and the {@code runtime.Unknown} envelope (1 = TypeMeta {1 apiVersion, 2 kind},
 * 2 = the raw message), then the message decoded by {@link ProtobufSchema} into the JSON that Go's encoding/json writes
 * for the same object (omitempty, pointers, inline structs, nulls for nil slices and zero times, Time, Duration,
 * IntOrString, Quantity and RawExtension in their JSON forms).
 */
final class Protobuf {
    static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Go's zero time.Time as Unix seconds: a Time the encoder wrote as zero. */
    private static final long ZERO_TIME = -62135596800L;
    private static final DateTimeFormatter RFC3339_MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private Protobuf() {}

    static boolean isProtobuf(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(MEDIA_TYPE);
    }

    /** The body's object as JSON, apiVersion and kind first. A body that is not a known kind is a 400. */
    static ObjectNode decode(byte[] body) {
        if (body.length < MAGIC.length) throw malformed("no k8s protobuf envelope");
        for (int i = 0; i < MAGIC.length; i++) {
            if (body[i] != MAGIC[i]) throw malformed("no k8s protobuf envelope");
        }
        Map<Integer, List<Object>> envelope = parse(body, MAGIC.length, body.length);
        byte[] typeMeta = lastBytes(envelope, 1);
        Map<Integer, List<Object>> tm = parse(typeMeta, 0, typeMeta.length);
        String apiVersion = string(lastBytes(tm, 1));
        String kind = string(lastBytes(tm, 2));
        ProtobufSchema schema = ProtobufSchema.get();
        ProtobufSchema.Message message = schema.forKind(apiVersion, kind);
        if (message == null) {
            throw ApiException.badRequest("no kind \"" + kind + "\" is registered for version \"" + apiVersion
                    + "\" in the protobuf decoder of the simulated cluster");
        }
        byte[] raw = lastBytes(envelope, 2);
        ObjectNode out = Json.object();
        out.put("apiVersion", apiVersion).put("kind", kind);
        out.setAll(render(schema, message, raw));
        return out;
    }

    // ---- wire format ----

    private static ApiException malformed(String why) {
        return ApiException.badRequest("the protobuf body cannot be decoded: " + why);
    }

    /** The fields of one message: number → values in order (Long for varint and fixed, byte[] for length-delimited). */
    private static Map<Integer, List<Object>> parse(byte[] b, int from, int to) {
        Map<Integer, List<Object>> out = new LinkedHashMap<>();
        int[] pos = {from};
        while (pos[0] < to) {
            long tag = varint(b, pos, to);
            int field = (int) (tag >>> 3);
            Object value = switch ((int) (tag & 7)) {
                case 0 -> varint(b, pos, to);
                case 1 -> fixed(b, pos, to, 8);
                case 5 -> fixed(b, pos, to, 4);
                case 2 -> {
                    long len = varint(b, pos, to);
                    if (len < 0 || pos[0] + len > to) throw malformed("a length beyond the message");
                    byte[] v = new byte[(int) len];
                    System.arraycopy(b, pos[0], v, 0, (int) len);
                    pos[0] += (int) len;
                    yield v;
                }
                default -> throw malformed("wire type " + (tag & 7));
            };
            out.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static long varint(byte[] b, int[] pos, int to) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= to) throw malformed("a truncated varint");
            byte x = b[pos[0]++];
            result |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return result;
        }
        throw malformed("a varint longer than 10 bytes");
    }

    private static long fixed(byte[] b, int[] pos, int to, int size) {
        if (pos[0] + size > to) throw malformed("a truncated fixed-size value");
        long v = 0;
        for (int i = 0; i < size; i++) v |= (long) (b[pos[0]++] & 0xff) << (8 * i);
        return v;
    }

    private static byte[] lastBytes(Map<Integer, List<Object>> fields, int number) {
        List<Object> vs = fields.get(number);
        if (vs == null || vs.isEmpty()) return new byte[0];
        Object v = vs.get(vs.size() - 1);
        if (!(v instanceof byte[] bytes)) throw malformed("field " + number + " is not length-delimited");
        return bytes;
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- JSON, as encoding/json writes the Go struct ----

    private static ObjectNode render(ProtobufSchema schema, ProtobufSchema.Message m, byte[] data) {
        Map<Integer, List<Object>> values = parse(data, 0, data.length);
        ObjectNode out = Json.object();
        for (ProtobufSchema.Field f : m.fields()) {
            List<Object> vs = values.getOrDefault(f.number(), List.of());
            if (f.inline()) {
                byte[] inner = vs.isEmpty() ? new byte[0] : (byte[]) vs.get(vs.size() - 1);
                out.setAll(render(schema, schema.message(f.type().substring("message:".length())), inner));
                continue;
            }
            JsonNode v = switch (f.label()) {
                case ONE -> one(schema, f, vs);
                case REPEATED -> repeated(schema, f, vs);
                case MAP -> map(schema, f, vs);
            };
            if (v != null) out.set(f.json(), v);
        }
        return out;
    }

    /** A singular field; null when Go's JSON would omit it. */
    private static JsonNode one(ProtobufSchema schema, ProtobufSchema.Field f, List<Object> vs) {
        Object last = vs.isEmpty() ? null : vs.get(vs.size() - 1);
        if (last == null && f.ptr()) {
            return f.omitempty() ? null : F.nullNode(); // a nil pointer
        }
        String type = f.type();
        if (type.startsWith("message:")) {
            // a struct is never "empty" for omitempty: a non-pointer one is always written
            return render(schema, schema.message(type.substring(8)), last == null ? new byte[0] : (byte[]) last);
        }
        if (isSpecial(type)) {
            return special(type, last == null ? null : (byte[]) last);
        }
        JsonNode v = last == null ? zero(type) : scalar(type, last);
        if (f.omitempty() && !f.ptr() && isZero(v)) return null;
        return v;
    }

    private static JsonNode repeated(ProtobufSchema schema, ProtobufSchema.Field f, List<Object> vs) {
        if (vs.isEmpty()) return f.omitempty() ? null : F.nullNode(); // a nil slice
        ArrayNode a = F.arrayNode();
        for (Object v : vs) {
            if (v instanceof byte[] packed && isPackable(f.type())) {
                int[] pos = {0};
                while (pos[0] < packed.length) {
                    long x = f.type().equals("double") ? fixed(packed, pos, packed.length, 8)
                            : f.type().equals("float") ? fixed(packed, pos, packed.length, 4) : varint(packed, pos, packed.length);
                    a.add(scalar(f.type(), x));
                }
            } else {
                a.add(element(schema, f.type(), v));
            }
        }
        return a;
    }

    private static JsonNode map(ProtobufSchema schema, ProtobufSchema.Field f, List<Object> vs) {
        if (vs.isEmpty()) return f.omitempty() ? null : F.nullNode(); // a nil map
        ObjectNode o = F.objectNode();
        for (Object entry : vs) {
            byte[] e = (byte[]) entry;
            Map<Integer, List<Object>> kv = parse(e, 0, e.length);
            List<Object> k = kv.getOrDefault(1, List.of());
            List<Object> v = kv.getOrDefault(2, List.of());
            String key = k.isEmpty() ? "" : scalar(f.keyType(), k.get(k.size() - 1)).asText();
            Object value = v.isEmpty() ? null : v.get(v.size() - 1);
            o.set(key, mapValue(schema, f.type(), value));
        }
        return o;
    }

    private static JsonNode mapValue(ProtobufSchema schema, String type, Object value) {
        if (type.startsWith("list:")) {
            byte[] wrapper = value == null ? new byte[0] : (byte[]) value;
            List<Object> items = parse(wrapper, 0, wrapper.length).getOrDefault(1, List.of());
            if (items.isEmpty()) return F.nullNode();
            ArrayNode a = F.arrayNode();
            items.forEach(i -> a.add(element(schema, type.substring(5), i)));
            return a;
        }
        if (value == null) {
            if (type.startsWith("message:")) return render(schema, schema.message(type.substring(8)), new byte[0]);
            return isSpecial(type) ? special(type, null) : zero(type);
        }
        return element(schema, type, value);
    }

    private static JsonNode element(ProtobufSchema schema, String type, Object v) {
        if (type.startsWith("message:")) return render(schema, schema.message(type.substring(8)), (byte[]) v);
        if (isSpecial(type)) return special(type, (byte[]) v);
        return scalar(type, v);
    }

    private static boolean isPackable(String type) {
        return switch (type) {
            case "bool", "int32", "int64", "uint32", "uint64", "double", "float" -> true;
            default -> false;
        };
    }

    private static JsonNode scalar(String type, Object v) {
        return switch (type) {
            case "string" -> F.textNode(string((byte[]) v));
            case "bytes" -> F.textNode(Base64.getEncoder().encodeToString((byte[]) v));
            case "bool" -> F.booleanNode((Long) v != 0);
            case "int32" -> F.numberNode((int) (long) (Long) v);
            case "int64" -> F.numberNode((long) (Long) v);
            case "uint32" -> F.numberNode((Long) v & 0xffffffffL);
            case "uint64" -> F.numberNode(new java.math.BigInteger(Long.toUnsignedString((Long) v)));
            case "double" -> number(Double.longBitsToDouble((Long) v));
            case "float" -> number(Float.intBitsToFloat((int) (long) (Long) v));
            default -> throw new IllegalStateException("protobuf.schema: unknown scalar " + type);
        };
    }

    /** Go writes a float64 that is a whole number without a fraction. */
    private static JsonNode number(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? F.numberNode((long) d) : F.numberNode(d);
    }

    private static JsonNode zero(String type) {
        return switch (type) {
            case "string" -> F.textNode("");
            case "bytes" -> F.nullNode();
            case "bool" -> F.booleanNode(false);
            default -> F.numberNode(0);
        };
    }

    private static boolean isZero(JsonNode v) {
        return v.isNull() || v.isTextual() && v.asText().isEmpty() || v.isBoolean() && !v.asBoolean()
                || v.isNumber() && v.asDouble() == 0;
    }

    private static boolean isSpecial(String type) {
        return switch (type) {
            case "time", "microtime", "duration", "intorstring", "quantity", "rawextension", "fieldsv1" -> true;
            default -> false;
        };
    }

    /** The types with a MarshalJSON of their own; {@code data} null when the field was absent. */
    private static JsonNode special(String type, byte[] data) {
        Map<Integer, List<Object>> v = data == null ? Map.of() : parse(data, 0, data.length);
        return switch (type) {
            case "time", "microtime" -> {
                long seconds = longOf(v, 1);
                long nanos = longOf(v, 2);
                if (data == null || data.length == 0 || seconds == ZERO_TIME && nanos == 0) yield F.nullNode();
                Instant t = Instant.ofEpochSecond(seconds, nanos);
                yield F.textNode(type.equals("time") ? SimClock.format(t) : RFC3339_MICRO.format(t));
            }
            case "duration" -> F.textNode(Durations.format(longOf(v, 1)));
            case "intorstring" -> longOf(v, 1) == 1 ? F.textNode(string(lastBytes(v, 3))) : F.numberNode((int) longOf(v, 2));
            case "quantity" -> {
                String q = string(lastBytes(v, 1));
                yield F.textNode(q.isEmpty() ? "0" : q);
            }
            case "rawextension", "fieldsv1" -> {
                byte[] raw = lastBytes(v, 1);
                yield raw.length == 0 ? F.nullNode() : Json.parse(raw);
            }
            default -> throw new IllegalStateException("protobuf.schema: unknown special type " + type);
        };
    }

    private static long longOf(Map<Integer, List<Object>> v, int number) {
        List<Object> vs = v.get(number);
        return vs == null || vs.isEmpty() ? 0 : (Long) vs.get(vs.size() - 1);
    }
}

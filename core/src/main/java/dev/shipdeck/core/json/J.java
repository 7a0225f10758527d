package dev.shipdeck.core.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Null-safe reads of Kubernetes JSON. */
public final class J {
    private J() {}

    public static JsonNode at(JsonNode n, String... path) {
        JsonNode cur = n;
        for (String p : path) {
            if (cur == null) return null;
            cur = cur.get(p);
        }
        return cur == null || cur.isNull() ? null : cur;
    }

    public static String str(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v == null ? "" : v.asText("");
    }

    public static long num(JsonNode n, long def, String... path) {
        JsonNode v = at(n, path);
        if (v == null) return def;
        if (v.isNumber()) return v.asLong();
        try {
            return Long.parseLong(v.asText().trim());
        } catch (NumberFormatException e) {
            return def;
        }
    }

    public static boolean bool(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v != null && (v.asBoolean(false) || "true".equalsIgnoreCase(v.asText()));
    }

    public static Instant time(JsonNode n, String... path) {
        String s = str(n, path);
        if (s.isEmpty()) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The constant of {@code type} the text at {@code path} names; null when there is none or it names none. */
    public static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode n, String... path) {
        String v = str(n, path);
        if (v.isEmpty()) return null;
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    public static String annotation(JsonNode obj, String key) {
        return str(obj, "metadata", "annotations", key);
    }

    public static String label(JsonNode obj, String key) {
        return str(obj, "metadata", "labels", key);
    }

    /** A condition of {@code status.conditions} by type, or null. */
    public static JsonNode condition(JsonNode obj, String type) {
        return conditionWith(obj, "type", type);
    }

    public static boolean hasConditionReason(JsonNode obj, String reason) {
        return conditionWith(obj, "reason", reason) != null;
    }

    private static JsonNode conditionWith(JsonNode obj, String field, String value) {
        JsonNode conds = at(obj, "status", "conditions");
        if (conds == null) return null;
        for (JsonNode c : conds) {
            if (value.equals(c.path(field).asText())) return c;
        }
        return null;
    }
}

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

    public static String annotation(JsonNode obj, String key) {
        return str(obj, "metadata", "annotations", key);
    }

    public static String label(JsonNode obj, String key) {
        return str(obj, "metadata", "labels", key);
    }

    /** A condition of {@code status.conditions} by type, or null. */
    public static JsonNode condition(JsonNode obj, String type) {
        JsonNode conds = at(obj, "status", "conditions");
        if (conds == null) return null;
        for (JsonNode c : conds) {
            if (type.equals(c.path("type").asText())) return c;
        }
        return null;
    }

    public static boolean hasConditionReason(JsonNode obj, String reason) {
        JsonNode conds = at(obj, "status", "conditions");
        if (conds == null) return false;
        for (JsonNode c : conds) {
            if (reason.equals(c.path("reason").asText())) return true;
        }
        return false;
    }
}

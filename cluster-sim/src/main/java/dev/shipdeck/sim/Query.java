package dev.shipdeck.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's query parameters, decoded the way the API server decodes them into its option structs
 * (ListOptions, DeleteOptions, ...): Go's {@code url.Values}, where the first of repeated values counts.
 */
final class Query {
    private final Map<String, List<String>> values;

    private Query(Map<String, List<String>> values) {
        this.values = values;
    }

    static Query parse(String raw) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String kv : raw.split("&")) {
                if (kv.isEmpty()) continue;
                int i = kv.indexOf('=');
                String k = decode(i < 0 ? kv : kv.substring(0, i));
                String v = i < 0 ? "" : decode(kv.substring(i + 1));
                m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        return new Query(m);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid query: " + e.getMessage());
        }
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The first value, or "" when absent. */
    String get(String key) {
        List<String> v = values.get(key);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    /**
     * A boolean parameter as apimachinery's {@code Convert_Slice_string_To_bool} reads it: absent, {@code 0} and
     * {@code false} (in any case) are false; anything else, an empty value included, is true.
     */
    boolean bool(String key) {
        if (!has(key)) return false;
        String v = get(key);
        return !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /** An optional boolean ({@code *bool}): null when absent, else as {@link #bool}. */
    Boolean optionalBool(String key) {
        return has(key) ? bool(key) : null;
    }

    /** An integer parameter; a value that is not one is a 400, as strconv.ParseInt's error is. */
    Long int64(String key) {
        if (!has(key)) return null;
        String v = get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("strconv.ParseInt: parsing \"" + v + "\": invalid syntax (query parameter " + key + ")");
        }
    }

    /**
     * {@code dryRun}: absent is a real write, {@code All} a dry run; any other value is refused like
     * ValidateDryRun does (422 on the options kind).
     */
    boolean dryRun(String optionsKind) {
        List<String> v = all("dryRun");
        if (v.isEmpty()) return false;
        for (String s : v) {
            if (!s.equals("All")) {
                StringBuilder slice = new StringBuilder("[]string{");
                for (int i = 0; i < v.size(); i++) slice.append(i == 0 ? "" : ", ").append('"').append(v.get(i)).append('"');
                throw ApiException.invalid(optionsKind + ".meta.k8s.io \"\" is invalid: dryRun: Unsupported value: "
                        + slice.append('}') + ": supported values: \"All\"");
            }
        }
        return true;
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Faults written down, for a process outside the simulator: the {@code --fault} syntax of {@link Main}
 * ({@code path=/rollouts,status=503,count=5}) and the JSON body of {@code POST /_sim/faults}; and the JSON that
 * describes what is injected now ({@code GET /_sim/faults}). Mistakes are {@link IllegalArgumentException}s that name
 * the field and what it takes.
 */
final class FaultSpec {
    private static final Set<String> RULE_KEYS = Set.of("path", "method", "watch", "status", "count", "retryAfter", "latency", "message");
    private static final Set<String> BODY_KEYS = Set.of("latency", "rules", "faults", "unreachable", "for", "dropWatches",
            "dropWatchesEvery", "goneWatches", "expireWatchHistory", "expireToken", "renewToken");

    private FaultSpec() {}

    /** A rule in the command-line syntax: comma-separated {@code key=value} ({@code cluster=} is taken by the caller). */
    static Faults.Rule parseRule(String spec) {
        ObjectNode o = Json.object();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("fault '" + spec + "': '" + p + "' is not key=value");
            o.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return rule(o, "fault '" + spec + "'");
    }

    /** The {@code cluster=NAME} of a command-line rule, or null. */
    static String clusterOf(String spec) {
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.startsWith("cluster=")) return p.substring("cluster=".length()).trim();
        }
        return null;
    }

    static String withoutCluster(String spec) {
        List<String> kept = new ArrayList<>();
        for (String part : spec.split(",")) {
            if (!part.trim().startsWith("cluster=")) kept.add(part);
        }
        return String.join(",", kept);
    }

    /** A rule from JSON (numbers may be strings, as on the command line). */
    static Faults.Rule rule(JsonNode o, String where) {
        if (!o.isObject()) throw new IllegalArgumentException(where + " must be an object");
        o.fieldNames().forEachRemaining(k -> {
            if (!RULE_KEYS.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(RULE_KEYS)) + ")");
            }
        });
        String path = o.hasNonNull("path") ? o.path("path").asText() : null;
        String method = o.hasNonNull("method") ? o.path("method").asText().toUpperCase(Locale.ROOT) : null;
        Boolean watch = o.hasNonNull("watch") ? bool(o.get("watch"), where + " watch") : null;
        int status = o.hasNonNull("status") ? integer(o.get("status"), where + " status") : 0;
        int count = o.hasNonNull("count") ? integer(o.get("count"), where + " count") : 0;
        Integer retryAfter = o.hasNonNull("retryAfter") ? integer(o.get("retryAfter"), where + " retryAfter") : null;
        Duration latency = o.hasNonNull("latency") ? duration(o.get("latency"), where + " latency") : null;
        String message = o.hasNonNull("message") ? o.path("message").asText() : null;
        try {
            return new Faults.Rule(path, method, watch, status, count, latency, retryAfter, message);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** An unreachable mode a body asked for, to switch on once the answer is sent (null mode: none asked). */
    record Pending(Faults.Unreachable mode, Duration duration) {
        void start(Faults faults) {
            if (mode != null) faults.unreachable(mode, duration);
        }
    }

    /**
     * Applies a {@code POST /_sim/faults} body to {@code faults}: every key is optional and adds to what is injected
     * ({@code latency} replaces the global latency). The unreachable mode it asks for is returned, not yet started.
     */
    static Pending apply(Faults faults, JsonNode body) {
        if (body == null || !body.isObject()) throw new IllegalArgumentException("the body must be a JSON object");
        body.fieldNames().forEachRemaining(k -> {
            if (!BODY_KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(BODY_KEYS)) + ")");
            }
        });
        // validate everything before changing anything
        List<Faults.Rule> rules = new ArrayList<>();
        int i = 0;
        for (JsonNode r : body.path("rules")) rules.add(rule(r, "rules[" + i++ + "]"));
        for (JsonNode r : body.path("faults")) rules.add(parseRule(r.asText()));
        Duration latency = body.hasNonNull("latency") ? duration(body.get("latency"), "latency") : null;
        Faults.Unreachable mode = body.hasNonNull("unreachable") ? mode(body.path("unreachable").asText()) : null;
        Duration forHowLong = body.hasNonNull("for") ? duration(body.get("for"), "for") : null;
        if (forHowLong != null && mode == null) throw new IllegalArgumentException("'for' needs 'unreachable'");
        Duration dropEvery = body.has("dropWatchesEvery") ? body.get("dropWatchesEvery").isNull() ? Duration.ZERO
                : duration(body.get("dropWatchesEvery"), "dropWatchesEvery") : null;
        Integer gone = body.hasNonNull("goneWatches") ? integer(body.get("goneWatches"), "goneWatches") : null;
        List<String> expire = names(body.get("expireToken"), "expireToken");
        List<String> renew = names(body.get("renewToken"), "renewToken");
        for (String u : expire) {
            if (!faults.hasUser(u)) throw new IllegalArgumentException("expireToken: no simulated user named '" + u + "'");
        }
        boolean expireHistory = bool(body.get("expireWatchHistory"), "expireWatchHistory");
        boolean dropNow = bool(body.get("dropWatches"), "dropWatches");

        if (latency != null) faults.latency(latency);
        rules.forEach(faults::add);
        if (gone != null) faults.expireNextWatches(gone);
        if (expireHistory) faults.expireWatchHistory();
        for (String u : expire) faults.expireUser(u);
        for (String u : renew) faults.renewUser(u);
        if (dropEvery != null) faults.dropWatchesEvery(dropEvery);
        if (dropNow) faults.dropWatches();
        return new Pending(mode, forHowLong);
    }

    /** What is injected now, as {@code GET /_sim/faults} answers. */
    static ObjectNode describe(String cluster, Faults faults, Pending pending) {
        ObjectNode o = Json.object();
        o.put("cluster", cluster);
        o.put("latency", Durations.format(faults.latency()));
        ArrayNode rules = o.putArray("rules");
        for (Faults.Rule r : faults.rules()) {
            ObjectNode j = rules.addObject();
            if (r.path() != null) j.put("path", r.path());
            if (r.method() != null) j.put("method", r.method());
            if (r.watch() != null) j.put("watch", r.watch());
            if (r.status() != 0) j.put("status", r.status());
            j.put("count", r.count());
            if (r.retryAfterSeconds() != null) j.put("retryAfter", r.retryAfterSeconds());
            if (r.latency() != null) j.put("latency", Durations.format(r.latency()));
            if (r.message() != null) j.put("message", r.message());
        }
        Faults.Unreachable mode = pending != null && pending.mode() != null ? pending.mode() : faults.unreachableMode();
        o.put("unreachable", mode.name().toLowerCase(Locale.ROOT));
        Duration every = faults.dropWatchesEvery();
        if (every == null) o.putNull("dropWatchesEvery"); else o.put("dropWatchesEvery", Durations.format(every));
        o.put("goneWatches", faults.goneWatchesLeft());
        ArrayNode expired = o.putArray("expiredTokens");
        faults.expiredUsers().forEach(expired::add);
        return o;
    }

    static Faults.Unreachable mode(String text) {
        try {
            return Faults.Unreachable.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unreachable must be hang, refuse, drop or none, got '" + text + "'");
        }
    }

    static Duration duration(JsonNode v, String what) {
        try {
            return Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
    }

    private static int integer(JsonNode v, String what) {
        if (v.isInt()) return v.asInt();
        try {
            return Integer.parseInt(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, got '" + v.asText() + "'");
        }
    }

    private static boolean bool(JsonNode v, String what) {
        if (v == null || v.isNull()) return false;
        if (v.isBoolean()) return v.asBoolean();
        String t = v.asText().trim().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("1")) return true;
        if (t.equals("false") || t.equals("0")) return false;
        throw new IllegalArgumentException(what + " must be true or false, got '" + v.asText() + "'");
    }

    private static List<String> names(JsonNode v, String what) {
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (v.isTextual()) {
            out.add(v.asText());
        } else if (v.isArray()) {
            v.forEach(x -> out.add(x.asText()));
        } else {
            throw new IllegalArgumentException(what + " must be a user name or a list of them");
        }
        return out;
    }
}

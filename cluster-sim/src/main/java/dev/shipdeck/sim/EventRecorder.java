package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes core/v1 Events for the simulated controllers the way client-go's event recorder (tools/record) does:
 * an Event named {@code <object>.<hex nanoseconds>} in the object's namespace, with source and reportingComponent,
 * first/last timestamp and count; a repeat of the same event bumps its count and lastTimestamp; more than
 * {@value #AGGREGATE_MAX} different messages of one reason for one object within {@value #AGGREGATE_SECONDS} s are
 * combined into one "(combined from similar events)" event; and each source and object may emit a burst of
 * {@value #SPAM_BURST}, then one event every {@value #SPAM_REFILL_SECONDS} s. Events expire
 * {@link #TTL} after their last occurrence (kube-apiserver's {@code --event-ttl}), see {@link EventTtlController},
 * and at most {@value #MAX_EVENTS} are kept per cluster (the oldest recorded go first). All times are simulated.
 * Called on the controller thread only.
 */
final class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());
    static final String NORMAL = "Normal";
    static final String WARNING = "Warning";

    static final Duration TTL = Duration.ofHours(1);
    static final int MAX_EVENTS = 10_000;
    private static final int CACHE_ENTRIES = 4096;
    private static final int AGGREGATE_MAX = 10;
    private static final int AGGREGATE_SECONDS = 600;
    private static final int SPAM_BURST = 25;
    private static final int SPAM_REFILL_SECONDS = 300;

    /** The last occurrence of one event: which stored Event it is, how often it happened, since when. */
    private record Seen(String namespace, String name, int count, String firstTimestamp) {}

    /** Similar events of one object and reason: their different messages and when the last came. */
    private record Similar(Set<String> messages, Instant last) {}

    /** A token bucket per source and object, refilled on simulated time. */
    private static final class Bucket {
        double tokens = SPAM_BURST;
        Instant at;
    }

    private final Store store;
    private final Map<String, Seen> seen = lru();
    private final Map<String, Similar> similar = lru();
    private final Map<String, Bucket> spam = lru();
    private final Deque<String[]> recorded = new ArrayDeque<>();

    EventRecorder(Store store) {
        this.store = store;
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE_ENTRIES;
            }
        };
    }

    void normal(String component, JsonNode involved, String reason, String message) {
        record(component, involved, NORMAL, reason, message);
    }

    void warning(String component, JsonNode involved, String reason, String message) {
        record(component, involved, WARNING, reason, message);
    }

    /** Like client-go's recorder, fire and forget: an Event that cannot be written never fails the controller's work. */
    private void record(String component, JsonNode involved, String type, String reason, String message) {
        try {
            write(component, involved, type, reason, message);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot record event " + reason + " for " + Json.name(involved), e);
        }
    }

    private void write(String component, JsonNode involved, String type, String reason, String message) {
        Instant now = store.clock().now();
        ObjectNode ref = reference(involved);
        String object = String.join("\u0000", component, ref.path("kind").asText(), ref.path("namespace").asText(),
                ref.path("name").asText(), ref.path("uid").asText(), ref.path("apiVersion").asText());
        String aggregateKey = object + "\u0000" + type + "\u0000" + reason;

        String key = aggregateKey + "\u0000" + message;
        Similar group = similar.get(aggregateKey);
        if (group == null || Duration.between(group.last(), now).getSeconds() > AGGREGATE_SECONDS) {
            group = new Similar(new HashSet<>(), now);
        }
        group.messages().add(message);
        similar.put(aggregateKey, new Similar(group.messages(), now));
        if (group.messages().size() >= AGGREGATE_MAX) {
            Iterator<String> it = group.messages().iterator();
            it.next();
            it.remove();
            key = aggregateKey;
            message = "(combined from similar events): " + message;
        }
        if (spammed(object + "\u0000" + type, now)) {
            return;
        }
        String timestamp = SimClock.format(now);
        Seen last = seen.get(key);
        String ns = ref.path("namespace").asText("");
        if (ns.isEmpty()) ns = "default";
        if (last != null && store.find(Resources.EVENTS, last.namespace(), last.name()) != null) {
            int count = last.count() + 1;
            String msg = message;
            store.mutate(Resources.EVENTS, last.namespace(), last.name(), null, e -> {
                e.put("count", count).put("lastTimestamp", timestamp).put("message", msg);
                return true;
            });
            seen.put(key, new Seen(last.namespace(), last.name(), count, last.firstTimestamp()));
            return;
        }
        ObjectNode event = Json.object();
        event.put("apiVersion", "v1").put("kind", "Event");
        String name = last != null ? last.name() : uniqueName(ns, ref.path("name").asText(), now);
        event.putObject("metadata").put("name", name).put("namespace", ns);
        event.set("involvedObject", ref);
        event.put("reason", reason).put("message", message);
        event.putObject("source").put("component", component);
        int count = last != null ? last.count() + 1 : 1;
        String first = last != null ? last.firstTimestamp() : timestamp;
        event.put("firstTimestamp", first).put("lastTimestamp", timestamp).put("count", count).put("type", type);
        event.put("reportingComponent", component).put("reportingInstance", "");
        store.create(Resources.EVENTS, ns, event);
        seen.put(key, new Seen(ns, name, count, first));
        recorded.addLast(new String[] {ns, name});
        bound();
    }

    /** The ObjectReference of {@code obj}, as ref.GetReference builds it. */
    private static ObjectNode reference(JsonNode obj) {
        ObjectNode ref = Json.object();
        ref.put("kind", obj.path("kind").asText()).put("namespace", Json.namespace(obj)).put("name", Json.name(obj))
                .put("uid", Json.str(obj, "", "metadata", "uid")).put("apiVersion", obj.path("apiVersion").asText())
                .put("resourceVersion", Json.str(obj, "", "metadata", "resourceVersion"));
        if (ref.path("namespace").asText().isEmpty()) ref.remove("namespace");
        return ref;
    }

    private boolean spammed(String key, Instant now) {
        Bucket b = spam.computeIfAbsent(key, k -> new Bucket());
        if (b.at != null) {
            double refill = Duration.between(b.at, now).toMillis() / 1000.0 / SPAM_REFILL_SECONDS;
            b.tokens = Math.min(SPAM_BURST, b.tokens + Math.max(0, refill));
        }
        b.at = now;
        if (b.tokens < 1) {
            return true;
        }
        b.tokens -= 1;
        return false;
    }

    private String uniqueName(String ns, String objectName, Instant now) {
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        String base = objectName.length() > 200 ? objectName.substring(0, 200) : objectName;
        String name = base + "." + Long.toHexString(nanos);
        while (store.find(Resources.EVENTS, ns, name) != null) {
            name = base + "." + Long.toHexString(++nanos);
        }
        return name;
    }

    /** Keeps the cluster's Events under {@value #MAX_EVENTS}: the oldest this recorder wrote go first. */
    private void bound() {
        while (store.count(Resources.EVENTS) > MAX_EVENTS && !recorded.isEmpty()) {
            String[] oldest = recorded.removeFirst();
            if (store.find(Resources.EVENTS, oldest[0], oldest[1]) != null) {
                store.delete(Resources.EVENTS, oldest[0], oldest[1]);
            }
        }
        while (recorded.size() > MAX_EVENTS) {
            recorded.removeFirst();
        }
    }
}

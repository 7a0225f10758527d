package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Expires core/v1 Events {@link EventRecorder#TTL} after their last occurrence, as etcd's lease does for
 * kube-apiserver's {@code --event-ttl} (default one hour): the controllers' Events and those clients create.
 */
final class EventTtlController implements Controller {
    private final Store store;

    EventTtlController(Store store) {
        this.store = store;
    }

    @Override
    public ResourceType primary() {
        return Resources.EVENTS;
    }

    @Override
    public List<Key> keysFor(Store.Event event) {
        if (!event.resource().key().equals(Resources.EVENTS.key()) || event.type().equals("DELETED")) {
            return List.of();
        }
        return List.of(new Key(Json.namespace(event.object()), Json.name(event.object())));
    }

    @Override
    public Duration reconcile(Key key) {
        ObjectNode e = store.find(Resources.EVENTS, key.namespace(), key.name());
        if (e == null) {
            return null;
        }
        Duration left = Duration.between(store.clock().now(), lastSeen(e).plus(EventRecorder.TTL));
        if (!left.isNegative() && !left.isZero()) {
            return left;
        }
        try {
            store.delete(Resources.EVENTS, key.namespace(), key.name());
        } catch (ApiException gone) {
            if (gone.code() != 404) throw gone;
        }
        return null;
    }

    /** lastTimestamp, else eventTime (events.k8s.io style), else when it was created. */
    private static Instant lastSeen(JsonNode e) {
        for (String field : new String[] {"lastTimestamp", "eventTime"}) {
            Instant t = parse(Json.str(e, "", field));
            if (t != null) return t;
        }
        Instant created = parse(Json.str(e, "", "metadata", "creationTimestamp"));
        return created != null ? created : Instant.EPOCH;
    }

    private static Instant parse(String s) {
        try {
            return s.isEmpty() ? null : Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The simulated cluster's etcd: objects by resource type, one resourceVersion sequence, an event log that
 * watches replay from, and listeners (watch connections and controllers). Every object handed out is a copy.
 */
public final class Store {
    /** One change, as a watch sends it. */
    public record Event(long rv, String type, ResourceType resource, ObjectNode object) {}

    /** A registered watch; {@link #close()} stops delivery. */
    public final class Subscription implements AutoCloseable {
        private final ResourceType type;
        private final String namespace;
        private final Predicate<JsonNode> filter;
        private final Consumer<Event> sink;

        private Subscription(ResourceType type, String namespace, Predicate<JsonNode> filter, Consumer<Event> sink) {
            this.type = type;
            this.namespace = namespace;
            this.filter = filter;
            this.sink = sink;
        }

        boolean accepts(Event e) {
            return (type == null || type.key().equals(e.resource().key()))
                    && (namespace == null || namespace.isEmpty() || namespace.equals(Json.namespace(e.object())))
                    && filter.test(e.object());
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }

    private static final int EVENT_LOG_LIMIT = 200_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, TreeMap<String, ObjectNode>> objects = new HashMap<>();
    /** Where an object is stored: its type and key. */
    private record Ref(ResourceType type, String key) {}
    /** The garbage collector's graph: owner uid to the objects with an ownerReference to it (kept by {@link #put}). */
    private final Map<String, Set<Ref>> dependents = new HashMap<>();
    /** Every stored object by uid (kept by {@link #put}). */
    private final Map<String, Ref> byUid = new HashMap<>();
    private final Deque<Event> log = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final SimClock clock;
    private final Resources resources;
    private long resourceVersion = 100;
    private volatile long compactedThrough = 100;

    public Store(SimClock clock, Resources resources) {
        this.clock = clock;
        this.resources = resources;
    }

    public Resources resources() { return resources; }

    public SimClock clock() { return clock; }

    private static String key(String ns, String name) {
        return (ns == null ? "" : ns) + "/" + name;
    }

    private TreeMap<String, ObjectNode> bucket(ResourceType t) {
        return objects.computeIfAbsent(t.key(), k -> new TreeMap<>());
    }

    /** Stores {@code obj} under {@code k} (replacing what was there) and keeps the uid and owner indexes. */
    private void put(ResourceType t, String k, ObjectNode obj) {
        ObjectNode old = bucket(t).put(k, obj);
        Ref ref = new Ref(t, k);
        if (old != null) unindex(ref, old);
        String uid = Json.str(obj, "", "metadata", "uid");
        if (!uid.isEmpty()) byUid.put(uid, ref);
        for (JsonNode owner : obj.path("metadata").path("ownerReferences")) {
            String o = owner.path("uid").asText("");
            if (!o.isEmpty()) dependents.computeIfAbsent(o, x -> new LinkedHashSet<>()).add(ref);
        }
    }

    private void remove(ResourceType t, String k) {
        ObjectNode old = bucket(t).remove(k);
        if (old != null) unindex(new Ref(t, k), old);
    }

    private void unindex(Ref ref, ObjectNode old) {
        String uid = Json.str(old, "", "metadata", "uid");
        if (!uid.isEmpty() && ref.equals(byUid.get(uid))) byUid.remove(uid);
        for (JsonNode owner : old.path("metadata").path("ownerReferences")) {
            Set<Ref> refs = dependents.get(owner.path("uid").asText(""));
            if (refs != null && refs.remove(ref) && refs.isEmpty()) dependents.remove(owner.path("uid").asText(""));
        }
    }

    public long currentResourceVersion() {
        lock.lock();
        try {
            return resourceVersion;
        } finally {
            lock.unlock();
        }
    }

    public ObjectNode get(ResourceType t, String ns, String name) {
        lock.lock();
        try {
            ObjectNode o = bucket(t).get(key(t.namespaced() ? ns : "", name));
            if (o == null) {
                throw ApiException.notFound(t, name);
            }
            return o.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public ObjectNode find(ResourceType t, String ns, String name) {
        lock.lock();
        try {
            ObjectNode o = bucket(t).get(key(t.namespaced() ? ns : "", name));
            return o == null ? null : o.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    /** How many objects of a type are stored. */
    public int count(ResourceType t) {
        lock.lock();
        try {
            return bucket(t).size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The objects of type {@code t} in namespace {@code ns} with an ownerReference to {@code ownerUid} that pass
     * {@code filter}, in key order as {@link #list} gives them: what a controller lists by its owner index instead of
     * scanning the namespace.
     */
    public List<ObjectNode> owned(ResourceType t, String ns, String ownerUid, Predicate<JsonNode> filter) {
        lock.lock();
        try {
            TreeMap<String, ObjectNode> b = bucket(t);
            List<String> keys = new ArrayList<>();
            for (Ref ref : dependents.getOrDefault(ownerUid, Set.of())) {
                if (ref.type().key().equals(t.key()) && ref.key().startsWith(key(ns, ""))) keys.add(ref.key());
            }
            keys.sort(null);
            List<ObjectNode> out = new ArrayList<>();
            for (String k : keys) {
                ObjectNode o = b.get(k);
                if (o != null && filter.test(o)) out.add(o.deepCopy());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** A list and the resourceVersion it is consistent with. */
    public record Listing(List<ObjectNode> items, long resourceVersion) {}

    public Listing list(ResourceType t, String ns, Predicate<JsonNode> filter) {
        lock.lock();
        try {
            List<ObjectNode> out = new ArrayList<>();
            TreeMap<String, ObjectNode> b = bucket(t);
            var view = ns == null || ns.isEmpty() ? b : b.subMap(ns + "/", ns + "/\uffff");
            for (ObjectNode o : view.values()) {
                if (filter.test(o)) {
                    out.add(o.deepCopy());
                }
            }
            return new Listing(out, resourceVersion);
        } finally {
            lock.unlock();
        }
    }

    public ObjectNode create(ResourceType t, String ns, ObjectNode obj) {
        lock.lock();
        try {
            ObjectNode meta = Json.meta(obj);
            String name = meta.path("name").asText("");
            if (name.isEmpty() && meta.hasNonNull("generateName")) {
                name = meta.get("generateName").asText() + UUID.randomUUID().toString().substring(0, 5);
                meta.put("name", name);
            }
            if (name.isEmpty()) {
                throw ApiException.invalid(t.kind() + " is invalid: metadata.name: Required value: name or generateName is required");
            }
            if (t.namespaced()) {
                if (ns == null || ns.isEmpty()) {
                    ns = meta.path("namespace").asText("default");
                }
                if (!meta.path("namespace").asText(ns).equals(ns)) {
                    throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
                }
                meta.put("namespace", ns);
                if (!bucket(Resources.NAMESPACES).containsKey(key("", ns))) {
                    throw new ApiException(404, "NotFound", "namespaces \"" + ns + "\" not found");
                }
            } else {
                meta.remove("namespace");
            }
            String k = key(t.namespaced() ? ns : "", name);
            if (bucket(t).containsKey(k)) {
                throw ApiException.alreadyExists(t, name);
            }
            obj.put("apiVersion", t.apiVersion());
            obj.put("kind", t.kind());
            meta.put("uid", UUID.randomUUID().toString());
            if (!meta.hasNonNull("creationTimestamp")) {
                meta.put("creationTimestamp", clock.timestamp());
            }
            meta.put("generation", 1);
            meta.remove("deletionTimestamp");
            meta.remove("managedFields");
            if (t.kind().equals("Namespace")) {
                Json.with(obj, "status").put("phase", "Active");
                Json.with(obj, "spec").putArray("finalizers").add("kubernetes");
                Json.with(meta, "labels").put("kubernetes.io/metadata.name", name);
            }
            meta.put("resourceVersion", Long.toString(++resourceVersion));
            put(t, k, obj);
            emit(new Event(resourceVersion, "ADDED", t, obj.deepCopy()));
            return obj.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces an object. {@code subresource} is null for the main resource or {@code status}; the main
     * resource keeps the stored status when the type has a status subresource, the status subresource
     * changes only status. A stale {@code metadata.resourceVersion} in {@code obj} is a conflict.
     */
    public ObjectNode update(ResourceType t, String ns, String name, ObjectNode obj, String subresource) {
        lock.lock();
        try {
            String k = key(t.namespaced() ? ns : "", name);
            ObjectNode old = bucket(t).get(k);
            if (old == null) {
                throw ApiException.notFound(t, name);
            }
            String wantRv = Json.str(obj, "", "metadata", "resourceVersion");
            String haveRv = Json.str(old, "", "metadata", "resourceVersion");
            if (!wantRv.isEmpty() && !wantRv.equals(haveRv)) {
                throw ApiException.conflict(t, name);
            }
            if (!Json.str(obj, name, "metadata", "name").equals(name)) {
                throw ApiException.badRequest("the name of the object (" + Json.name(obj) + ") does not match the name on the URL (" + name + ")");
            }
            ObjectNode next;
            if ("status".equals(subresource)) {
                next = old.deepCopy();
                if (obj.has("status")) {
                    next.set("status", obj.get("status"));
                } else {
                    next.remove("status");
                }
            } else {
                next = obj.deepCopy();
                ObjectNode nm = Json.meta(next);
                ObjectNode om = (ObjectNode) old.get("metadata");
                for (String f : List.of("uid", "creationTimestamp", "generation", "namespace", "name")) {
                    if (om.has(f)) nm.set(f, om.get(f)); else nm.remove(f);
                }
                nm.remove("managedFields");
                if (t.hasStatus() || t.kind().equals("Namespace")) {
                    if (old.has("status")) next.set("status", old.get("status")); else next.remove("status");
                }
                next.put("apiVersion", t.apiVersion());
                next.put("kind", t.kind());
                if (!Objects.equals(specOf(old), specOf(next))) {
                    nm.put("generation", om.path("generation").asLong(1) + 1);
                }
            }
            if (next.equals(withRv(old, next))) {
                return old.deepCopy(); // no-op update: no new resourceVersion, no event
            }
            Json.meta(next).put("resourceVersion", Long.toString(++resourceVersion));
            put(t, k, next);
            emit(new Event(resourceVersion, "MODIFIED", t, next.deepCopy()));
            return next.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    private static ObjectNode withRv(ObjectNode old, ObjectNode next) {
        ObjectNode copy = old.deepCopy();
        String rv = Json.str(next, "", "metadata", "resourceVersion");
        if (rv.isEmpty()) Json.meta(copy).remove("resourceVersion"); else Json.meta(copy).put("resourceVersion", rv);
        return copy;
    }

    private static JsonNode specOf(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        c.remove("metadata");
        c.remove("status");
        c.remove("apiVersion");
        c.remove("kind");
        return c;
    }

    /** Read-modify-write under the store lock; {@code fn} returns false to skip the write. */
    public ObjectNode mutate(ResourceType t, String ns, String name, String subresource, Predicate<ObjectNode> fn) {
        lock.lock();
        try {
            ObjectNode cur = get(t, ns, name);
            if (!fn.test(cur)) {
                return cur;
            }
            return update(t, ns, name, cur, subresource);
        } finally {
            lock.unlock();
        }
    }

    /** How a delete treats the objects the deleted one owns ({@code DeleteOptions.propagationPolicy}). */
    public enum Propagation {
        /** The owner goes at once, the garbage collector deletes its dependents after (the default). */
        BACKGROUND,
        /** The dependents go first (the owner waits with the {@code foregroundDeletion} finalizer), then the owner. */
        FOREGROUND,
        /** The dependents stay; their ownerReferences to the owner are removed (the {@code orphan} finalizer). */
        ORPHAN
    }

    /** A delete's {@code DeleteOptions.preconditions}; null fields are not checked. */
    public record Preconditions(String uid, String resourceVersion) {}

    /** Deletes an object and, in the background, what it owns. */
    public ObjectNode delete(ResourceType t, String ns, String name) {
        return delete(t, ns, name, Propagation.BACKGROUND, null);
    }

    /**
     * Deletes an object, its dependents as {@code propagation} says, as the API server and the garbage collector
     * together would (here all at once). Returns the object as the API server answers it: for foreground and orphan
     * deletion as it was marked (deletionTimestamp and the finalizer), else as it was last stored. A failed
     * precondition is a 409 Conflict.
     */
    public ObjectNode delete(ResourceType t, String ns, String name, Propagation propagation, Preconditions pre) {
        lock.lock();
        try {
            String k = key(t.namespaced() ? ns : "", name);
            ObjectNode old = bucket(t).get(k);
            if (old == null) {
                throw ApiException.notFound(t, name);
            }
            checkPreconditions(t, old, pre);
            String uid = Json.str(old, "", "metadata", "uid");
            ObjectNode answer = null;
            if (propagation != Propagation.BACKGROUND) {
                answer = markForDeletion(t, k, old, propagation == Propagation.ORPHAN ? "orphan" : "foregroundDeletion");
                old = bucket(t).get(k);
                if (propagation == Propagation.ORPHAN) {
                    orphanDependents(uid);
                } else {
                    collectDependents(uid, Propagation.FOREGROUND);
                }
            }
            remove(t, k);
            ObjectNode gone = old.deepCopy();
            if (propagation != Propagation.BACKGROUND) {
                ObjectNode meta = Json.meta(gone);
                if (meta.get("finalizers") instanceof ArrayNode f) {
                    for (int i = f.size() - 1; i >= 0; i--) {
                        if (f.get(i).asText().equals("orphan") || f.get(i).asText().equals("foregroundDeletion")) f.remove(i);
                    }
                    if (f.isEmpty()) meta.remove("finalizers");
                }
            }
            Json.meta(gone).put("resourceVersion", Long.toString(++resourceVersion));
            emit(new Event(resourceVersion, "DELETED", t, gone));
            if (propagation == Propagation.BACKGROUND) {
                collectDependents(uid, Propagation.BACKGROUND);
            }
            if (t.kind().equals("Namespace")) {
                for (var e : objects.entrySet()) {
                    ResourceType rt = resources.byStoreKey(e.getKey());
                    if (rt == null || !rt.namespaced()) continue;
                    for (String key : new ArrayList<>(e.getValue().subMap(name + "/", name + "/\uffff").keySet())) {
                        if (e.getValue().containsKey(key)) {
                            delete(rt, name, key.substring(name.length() + 1));
                        }
                    }
                }
            }
            return answer != null ? answer : gone.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    private static void checkPreconditions(ResourceType t, ObjectNode obj, Preconditions pre) {
        if (pre == null) return;
        String uid = Json.str(obj, "", "metadata", "uid");
        String rv = Json.str(obj, "", "metadata", "resourceVersion");
        String failed = null;
        if (pre.uid() != null && !pre.uid().equals(uid)) {
            failed = "Precondition failed: UID in precondition: " + pre.uid() + ", UID in object meta: " + uid;
        } else if (pre.resourceVersion() != null && !pre.resourceVersion().equals(rv)) {
            failed = "Precondition failed: ResourceVersion in precondition: " + pre.resourceVersion()
                    + ", ResourceVersion in object meta: " + rv;
        }
        if (failed != null) {
            throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + t.plural()
                    + (t.group().isEmpty() ? "" : "." + t.group()) + " \"" + Json.name(obj) + "\": " + failed);
        }
    }

    /** Sets deletionTimestamp and a finalizer, as the API server does before the garbage collector's turn. */
    private ObjectNode markForDeletion(ResourceType t, String k, ObjectNode old, String finalizer) {
        ObjectNode next = old.deepCopy();
        ObjectNode meta = Json.meta(next);
        if (!meta.hasNonNull("deletionTimestamp")) {
            meta.put("deletionTimestamp", clock.timestamp());
            meta.put("deletionGracePeriodSeconds", 0);
        }
        ArrayNode f = meta.get("finalizers") instanceof ArrayNode a ? a : meta.putArray("finalizers");
        boolean present = false;
        for (JsonNode x : f) present |= x.asText().equals(finalizer);
        if (!present) f.add(finalizer);
        meta.put("resourceVersion", Long.toString(++resourceVersion));
        put(t, k, next);
        emit(new Event(resourceVersion, "MODIFIED", t, next.deepCopy()));
        return next.deepCopy();
    }

    /** Every stored object that has an ownerReference to {@code uid}, with its type. */
    private List<Map.Entry<ResourceType, ObjectNode>> dependentsOf(String uid) {
        List<Map.Entry<ResourceType, ObjectNode>> out = new ArrayList<>();
        if (uid.isEmpty()) return out;
        for (Ref ref : dependents.getOrDefault(uid, Set.of())) {
            ObjectNode o = bucket(ref.type()).get(ref.key());
            if (o != null) out.add(Map.entry(ref.type(), o));
        }
        return out;
    }

    /** The orphan finalizer's work: dependents lose their ownerReferences to {@code uid}. */
    private void orphanDependents(String uid) {
        for (var d : dependentsOf(uid)) {
            removeOwnerReference(d.getKey(), d.getValue(), uid);
        }
    }

    private void removeOwnerReference(ResourceType rt, ObjectNode o, String uid) {
        ObjectNode next = o.deepCopy();
        ObjectNode meta = Json.meta(next);
        ArrayNode kept = Json.array();
        for (JsonNode ref : meta.path("ownerReferences")) {
            if (!uid.equals(ref.path("uid").asText())) kept.add(ref);
        }
        if (kept.isEmpty()) meta.remove("ownerReferences"); else meta.set("ownerReferences", kept);
        meta.put("resourceVersion", Long.toString(++resourceVersion));
        put(rt, key(Json.namespace(o), Json.name(o)), next);
        emit(new Event(resourceVersion, "MODIFIED", rt, next.deepCopy()));
    }

    /**
     * Garbage collection of the dependents of {@code uid}: one that still has another owner only loses the
     * reference, the others are deleted (foreground deletion deletes them in the foreground too).
     */
    private void collectDependents(String uid, Propagation propagation) {
        for (var d : dependentsOf(uid)) {
            ResourceType rt = d.getKey();
            ObjectNode o = bucket(rt).get(key(Json.namespace(d.getValue()), Json.name(d.getValue())));
            if (o == null || !refersTo(o, uid)) continue; // an earlier step deleted or released it
            boolean otherOwner = false;
            for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                String other = ref.path("uid").asText();
                otherOwner |= !other.equals(uid) && existsWithUid(other);
            }
            if (otherOwner) {
                removeOwnerReference(rt, o, uid);
            } else {
                delete(rt, Json.namespace(o), Json.name(o), propagation, null);
            }
        }
    }

    private static boolean refersTo(JsonNode o, String uid) {
        for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
            if (uid.equals(ref.path("uid").asText())) return true;
        }
        return false;
    }

    private boolean existsWithUid(String uid) {
        return byUid.containsKey(uid);
    }

    private void emit(Event e) {
        log.addLast(e);
        while (log.size() > EVENT_LOG_LIMIT) {
            compactedThrough = log.removeFirst().rv();
        }
        for (Subscription s : subscriptions) {
            if (s.accepts(e)) {
                s.sink.accept(e);
            }
        }
    }

    /**
     * Starts a watch. With {@code fromRv} null or 0 the current objects are sent first as ADDED; otherwise every
     * change after {@code fromRv} is replayed from the event log, or 410 Gone when the log no longer reaches back.
     * The sink is called with the store locked: it must only enqueue.
     */
    public Subscription watch(ResourceType t, String ns, Predicate<JsonNode> filter, Long fromRv, Consumer<Event> sink) {
        lock.lock();
        try {
            Subscription s = new Subscription(t, ns, filter, sink);
            if (fromRv == null || fromRv == 0) {
                if (t != null) {
                    for (ObjectNode o : list(t, ns, filter).items()) {
                        sink.accept(new Event(Long.parseLong(Json.str(o, "0", "metadata", "resourceVersion")), "ADDED", t, o));
                    }
                }
            } else {
                if (fromRv < compactedThrough) {
                    throw new ApiException(410, "Expired", "too old resource version: " + fromRv + " (" + compactedThrough + ")");
                }
                for (Event e : log) {
                    if (e.rv() > fromRv && s.accepts(e)) {
                        sink.accept(e);
                    }
                }
            }
            subscriptions.add(s);
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the event log up to now: later watches from an older resourceVersion get 410 Gone. */
    public void compact() {
        lock.lock();
        try {
            log.clear();
            compactedThrough = resourceVersion;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code r} with the store locked (a consistent multi-object read-modify-write for controllers). */
    public void atomically(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
        }
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps {@code spec.replicas} Pods per ReplicaSet, whoever owns the ReplicaSet (a Deployment or an Argo Rollout),
 * plays the kubelet for them (Pending, then Running and Ready after {@link PodTemplates#readyAfter}, or never
 * Ready for a {@link PodTemplates#neverReady} template) and reports the ReplicaSet's status.
 */
public final class ReplicaSetController implements Controller {
    public static final String NODE_NAME = "sim-node-1";
    public static final String HOST_IP = "172.18.0.2";
    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    /** The event source, as kube-controller-manager names this controller. */
    static final String COMPONENT = "replicaset-controller";

    private final Store store;
    private final EventRecorder events;

    public ReplicaSetController(Store store) {
        this(store, new EventRecorder(store));
    }

    ReplicaSetController(Store store, EventRecorder events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public ResourceType primary() {
        return Resources.REPLICA_SETS;
    }

    @Override
    public List<Key> keysFor(Store.Event event) {
        String type = event.resource().key();
        ObjectNode o = event.object();
        if (type.equals(Resources.REPLICA_SETS.key())) {
            return List.of(new Key(Json.namespace(o), Json.name(o)));
        }
        if (type.equals(Resources.PODS.key())) {
            JsonNode ref = controllerRef(o);
            if (ref != null && "ReplicaSet".equals(ref.path("kind").asText())) {
                return List.of(new Key(Json.namespace(o), ref.path("name").asText()));
            }
        }
        return List.of();
    }

    @Override
    public Duration reconcile(Key key) {
        ObjectNode rs = store.find(Resources.REPLICA_SETS, key.namespace(), key.name());
        if (rs == null) {
            return null;
        }
        Instant now = store.clock().now();
        List<ObjectNode> pods = new ArrayList<>();
        for (ObjectNode pod : ownedPods(rs)) {
            pods.add(advance(pod, now));
        }
        int diff = pods.size() - (int) Json.num(rs, 1, "spec", "replicas");
        if (diff < 0) {
            for (int i = 0; i < -diff; i++) {
                pods.add(createPod(rs));
            }
        } else if (diff > 0) {
            deleteSurplus(rs, pods, diff);
        }
        writeStatus(rs, pods, now);
        return nextWake(rs, pods, now);
    }

    /** The ownerReference marked {@code controller: true}, or null. */
    static JsonNode controllerRef(JsonNode obj) {
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref;
            }
        }
        return null;
    }

    /** Whether {@code obj}'s controller ownerReference points at the object with uid {@code ownerUid}. */
    static boolean controlledBy(JsonNode obj, String ownerUid) {
        JsonNode ref = controllerRef(obj);
        return ref != null && ownerUid.equals(ref.path("uid").asText());
    }

    private List<ObjectNode> ownedPods(ObjectNode rs) {
        String uid = Json.str(rs, "", "metadata", "uid");
        return store.owned(Resources.PODS, Json.namespace(rs), uid, p -> controlledBy(p, uid));
    }

    // ---- pods -------------------------------------------------------------------------------------------

    private ObjectNode createPod(ObjectNode rs) {
        JsonNode template = rs.path("spec").path("template");
        while (true) {
            ObjectNode pod = Json.object();
            pod.put("apiVersion", Resources.PODS.apiVersion());
            pod.put("kind", Resources.PODS.kind());
            ObjectNode meta = pod.putObject("metadata");
            meta.put("name", Json.name(rs) + "-" + randomSuffix());
            meta.put("generateName", Json.name(rs) + "-");
            meta.put("namespace", Json.namespace(rs));
            copyIfPresent(template.path("metadata"), meta, "labels");
            copyIfPresent(template.path("metadata"), meta, "annotations");
            meta.putArray("ownerReferences").add(ownerRef(rs));
            ObjectNode spec = template.path("spec").isObject() ? ((ObjectNode) template.get("spec")).deepCopy() : Json.object();
            spec.put("nodeName", NODE_NAME);
            pod.set("spec", spec);
            Instant created = store.clock().now();
            meta.put("creationTimestamp", SimClock.format(created));
            pod.set("status", PodStatuses.pending(pod, SimClock.format(created)));
            try {
                ObjectNode stored = store.create(Resources.PODS, Json.namespace(rs), pod);
                events.normal(COMPONENT, rs, "SuccessfulCreate", "Created pod: " + Json.name(stored));
                return stored;
            } catch (ApiException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
        }
    }

    private static void copyIfPresent(JsonNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v != null && v.isObject() && !v.isEmpty()) {
            to.set(field, v.deepCopy());
        }
    }

    private static ObjectNode ownerRef(ObjectNode rs) {
        ObjectNode ref = Json.object();
        ref.put("apiVersion", Resources.REPLICA_SETS.apiVersion());
        ref.put("kind", "ReplicaSet");
        ref.put("name", Json.name(rs));
        ref.put("uid", Json.str(rs, "", "metadata", "uid"));
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        return ref;
    }

    private static String randomSuffix() {
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            sb.append(NAME_ALPHABET.charAt(ThreadLocalRandom.current().nextInt(NAME_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Moves a Pending pod to Running once its start delay has passed; returns the pod as stored. */
    private ObjectNode advance(ObjectNode pod, Instant now) {
        if (!"Pending".equals(Json.str(pod, "", "status", "phase"))) {
            return pod;
        }
        Instant due = startsAt(pod);
        if (due.isAfter(now)) {
            return pod;
        }
        ObjectNode copy = pod.deepCopy();
        copy.set("status", PodStatuses.running(pod, SimClock.format(due), !PodTemplates.neverReady(pod)));
        return store.update(Resources.PODS, Json.namespace(pod), Json.name(pod), copy, "status");
    }

    private static Instant startsAt(JsonNode pod) {
        return created(pod).plus(PodTemplates.readyAfter(pod));
    }

    private static Instant created(JsonNode pod) {
        Instant t = SimClock.parse(Json.str(pod, "", "metadata", "creationTimestamp"));
        return t == null ? Instant.EPOCH : t;
    }

    /** Deletes {@code count} pods: not-ready ones first, then the most recently ready, newest first. */
    private void deleteSurplus(ObjectNode rs, List<ObjectNode> pods, int count) {
        List<ObjectNode> ranked = new ArrayList<>(pods);
        ranked.sort(Comparator.<ObjectNode>comparingInt(p -> readySince(p) == null ? 0 : 1)
                .thenComparing(ReplicaSetController::readySince, Comparator.nullsFirst(Comparator.reverseOrder()))
                .thenComparing(ReplicaSetController::created, Comparator.reverseOrder())
                .thenComparing(Json::name, Comparator.reverseOrder()));
        for (ObjectNode pod : ranked.subList(0, count)) {
            try {
                store.delete(Resources.PODS, Json.namespace(pod), Json.name(pod));
                events.normal(COMPONENT, rs, "SuccessfulDelete", "Deleted pod: " + Json.name(pod));
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
            pods.remove(pod);
        }
    }

    /** When the pod's Ready condition last became True, or null when it is not Ready. */
    static Instant readySince(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText())
                        ? SimClock.parse(c.path("lastTransitionTime").asText(null)) : null;
            }
        }
        return null;
    }

    // ---- ReplicaSet status ------------------------------------------------------------------------------

    private void writeStatus(ObjectNode rs, List<ObjectNode> pods, Instant now) {
        Duration minReady = Duration.ofSeconds(Json.num(rs, 0, "spec", "minReadySeconds"));
        JsonNode templateLabels = rs.path("spec").path("template").path("metadata").path("labels");
        int labeled = 0;
        int ready = 0;
        int available = 0;
        for (ObjectNode pod : pods) {
            if (hasLabels(pod, templateLabels)) labeled++;
            Instant since = readySince(pod);
            if (since != null) {
                ready++;
                if (isAvailable(since, minReady, now)) available++;
            }
        }
        ObjectNode status = rs.path("status").isObject() ? ((ObjectNode) rs.get("status")).deepCopy() : Json.object();
        status.put("replicas", pods.size());
        putOrRemove(status, "fullyLabeledReplicas", labeled);
        putOrRemove(status, "readyReplicas", ready);
        putOrRemove(status, "availableReplicas", available);
        putOrRemove(status, "observedGeneration", (int) Json.num(rs, 0, "metadata", "generation"));
        if (!status.equals(rs.get("status"))) {
            ObjectNode copy = rs.deepCopy();
            copy.set("status", status);
            store.update(Resources.REPLICA_SETS, Json.namespace(rs), Json.name(rs), copy, "status");
        }
    }

    private static boolean isAvailable(Instant readySince, Duration minReady, Instant now) {
        return minReady.isZero() || readySince.plus(minReady).isBefore(now);
    }

    private static boolean hasLabels(JsonNode pod, JsonNode wanted) {
        JsonNode labels = pod.path("metadata").path("labels");
        for (var e : wanted.properties()) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static void putOrRemove(ObjectNode status, String field, int value) {
        if (value == 0) {
            status.remove(field);
        } else {
            status.put(field, value);
        }
    }

    /** Simulated time until the next pod starts or becomes available, or null when nothing is pending. */
    private static Duration nextWake(ObjectNode rs, List<ObjectNode> pods, Instant now) {
        Duration minReady = Duration.ofSeconds(Json.num(rs, 0, "spec", "minReadySeconds"));
        Instant next = null;
        for (ObjectNode pod : pods) {
            Instant due = null;
            Instant since = readySince(pod);
            if ("Pending".equals(Json.str(pod, "", "status", "phase"))) {
                due = startsAt(pod);
            } else if (since != null && !isAvailable(since, minReady, now)) {
                due = since.plus(minReady).plusMillis(1);
            }
            if (due != null && (next == null || due.isBefore(next))) {
                next = due;
            }
        }
        return next == null ? null : max(Duration.between(now, next), Duration.ofMillis(1));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Pod statuses as the kubelet reports them, per container. */
    private static final class PodStatuses {
        private PodStatuses() {}

        static ObjectNode pending(JsonNode pod, String createdAt) {
            ObjectNode s = Json.object();
            s.put("phase", "Pending");
            ArrayNode conds = s.putArray("conditions");
            String notReady = "containers with unready status: " + containerNames(pod);
            conds.add(condition("Initialized", true, createdAt, null, null));
            conds.add(condition("Ready", false, createdAt, "ContainersNotReady", notReady));
            conds.add(condition("ContainersReady", false, createdAt, "ContainersNotReady", notReady));
            conds.add(condition("PodScheduled", true, createdAt, null, null));
            hostFields(s);
            s.put("startTime", createdAt);
            s.put("qosClass", qosClass(pod));
            ArrayNode cs = s.putArray("containerStatuses");
            for (JsonNode c : pod.path("spec").path("containers")) {
                ObjectNode st = containerStatus(c, "", false, false);
                st.putObject("state").putObject("waiting").put("reason", "ContainerCreating");
                cs.add(st);
            }
            return s;
        }

        static ObjectNode running(JsonNode pod, String startedAt, boolean ready) {
            String createdAt = Json.str(pod, startedAt, "metadata", "creationTimestamp");
            ObjectNode s = Json.object();
            s.put("phase", "Running");
            ArrayNode conds = s.putArray("conditions");
            String notReady = "containers with unready status: " + containerNames(pod);
            conds.add(condition("Initialized", true, createdAt, null, null));
            conds.add(ready ? condition("Ready", true, startedAt, null, null)
                    : condition("Ready", false, createdAt, "ContainersNotReady", notReady));
            conds.add(ready ? condition("ContainersReady", true, startedAt, null, null)
                    : condition("ContainersReady", false, createdAt, "ContainersNotReady", notReady));
            conds.add(condition("PodScheduled", true, createdAt, null, null));
            hostFields(s);
            String ip = podIp(pod);
            s.put("podIP", ip);
            s.putArray("podIPs").addObject().put("ip", ip);
            s.put("startTime", createdAt);
            s.put("qosClass", qosClass(pod));
            ArrayNode cs = s.putArray("containerStatuses");
            String uid = Json.str(pod, "", "metadata", "uid");
            for (JsonNode c : pod.path("spec").path("containers")) {
                String image = normalizedImage(c.path("image").asText(""));
                // a pinned image runs the digest it names; a tag resolves to a digest of its own (stable per tag here)
                String digest = image.contains("@") ? image.substring(image.indexOf('@') + 1) : "sha256:" + sha256(image);
                ObjectNode st = containerStatus(c, repository(image) + "@" + digest, ready, true);
                st.put("containerID", "containerd://" + sha256(uid + "/" + c.path("name").asText()));
                st.putObject("state").putObject("running").put("startedAt", startedAt);
                cs.add(st);
            }
            return s;
        }

        private static ObjectNode condition(String type, boolean status, String at, String reason, String message) {
            ObjectNode c = Json.object();
            c.put("type", type);
            c.put("status", status ? "True" : "False");
            c.putNull("lastProbeTime");
            c.put("lastTransitionTime", at);
            if (reason != null) {
                c.put("reason", reason);
                c.put("message", message);
            }
            return c;
        }

        private static ObjectNode containerStatus(JsonNode container, String imageId, boolean ready, boolean started) {
            ObjectNode st = Json.object();
            st.put("name", container.path("name").asText());
            st.put("image", normalizedImage(container.path("image").asText("")));
            st.put("imageID", imageId);
            st.putObject("lastState");
            st.put("ready", ready);
            st.put("restartCount", 0);
            st.put("started", started);
            return st;
        }

        private static void hostFields(ObjectNode s) {
            s.put("hostIP", HOST_IP);
            s.putArray("hostIPs").addObject().put("ip", HOST_IP);
        }

        private static String containerNames(JsonNode pod) {
            List<String> names = new ArrayList<>();
            pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
            return "[" + String.join(" ", names) + "]";
        }

        private static String podIp(JsonNode pod) {
            byte[] h = sha256Bytes(Json.str(pod, Json.name(pod), "metadata", "uid"));
            return "10.244." + (h[0] & 0xff) + "." + (1 + (h[1] & 0xff) % 254);
        }

        /** BestEffort without requests or limits; Guaranteed when every container limits cpu and memory at its requests. */
        private static String qosClass(JsonNode pod) {
            boolean any = false;
            boolean guaranteed = true;
            for (JsonNode c : pod.path("spec").path("containers")) {
                JsonNode limits = c.path("resources").path("limits");
                JsonNode requests = c.path("resources").path("requests");
                any |= !limits.isEmpty() || !requests.isEmpty();
                for (String r : List.of("cpu", "memory")) {
                    JsonNode limit = limits.get(r);
                    JsonNode request = requests.get(r);
                    guaranteed &= limit != null && (request == null || request.asText().equals(limit.asText()));
                }
            }
            return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
        }

        /** {@code nginx:1.25} → {@code docker.io/library/nginx:1.25}, as container runtimes report it. */
        static String normalizedImage(String image) {
            String ref = image;
            int slash = ref.indexOf('/');
            String first = slash < 0 ? "" : ref.substring(0, slash);
            if (slash < 0) {
                ref = "docker.io/library/" + ref;
            } else if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
                ref = "docker.io/" + ref;
            }
            boolean hasDigest = ref.contains("@");
            if (!hasDigest && PodTemplates.imageTag(ref).isEmpty()) {
                ref = ref + ":latest";
            }
            return ref;
        }

        private static String repository(String image) {
            String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
            int slash = noDigest.lastIndexOf('/');
            int colon = noDigest.lastIndexOf(':');
            return colon > slash ? noDigest.substring(0, colon) : noDigest;
        }

        private static String sha256(String s) {
            return HexFormat.of().formatHex(sha256Bytes(s));
        }

        private static byte[] sha256Bytes(String s) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

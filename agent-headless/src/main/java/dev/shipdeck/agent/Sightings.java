package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.model.WorkloadKind;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this agent process saw of each pod template revision, leading or not: that it was available (rolled out, all
 * its replicas available, or the stable ReplicaSet of a Rollout), or that it failed. The cluster keeps no such record
 * (a ReplicaSet scaled down says nothing about whether it ever was available), so this is the evidence by which a
 * revision that was superseded before its record was finished is called SUCCESS. A standby agent observes too, so
 * what it saw while another agent led still counts when it takes over. Only revisions the cluster still has are kept,
 * and only those there is something to remember about; used from the agent's writer thread only, but for
 * {@link #noteObject}, which the watch threads call.
 */
final class Sightings {
    private static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    private static final String DEPLOY_REVISION = "deployment.kubernetes.io/revision";

    /**
     * One revision as this agent saw it.
     *
     * @param available how it was seen available (e.g. {@code 2 of 2 replicas of web-5d8f available}), or empty
     * @param failure why it failed (the rollout status message), or empty
     */
    record Sighting(Instant firstSeen, Instant availableAt, String available, Instant failedAt, String failure) {
        boolean seenAvailable() { return availableAt != null; }

        boolean seenFailed() { return failedAt != null; }
    }

    private final Map<String, Sighting> byRevision = new HashMap<>();
    /**
     * Availability seen in a single watch event (on a watch thread), by revision key: a rollout that finished and was
     * superseded within one coalescing window, or while the agent was busy, never shows in a snapshot. Taken over by
     * the next {@link #observe}.
     */
    private final Map<String, Sighting> fromEvents = new ConcurrentHashMap<>();
    /** How long an event sighting waits for a snapshot that shows its revision before it is dropped. */
    private static final Duration EVENT_SIGHTING_TTL = Duration.ofMinutes(10);

    /**
     * Notes what one watched object shows, from the live view's watch thread: a Deployment's ReplicaSet with all the
     * replicas its Deployment wanted available ({@code deployment.kubernetes.io/desired-replicas}), or the ReplicaSet
     * a Rollout calls stable. Cheap; anything else is ignored.
     */
    void noteObject(String kind, JsonNode o, Instant now) {
        JsonNode meta = o.path("metadata");
        if (kind.equals("ReplicaSet")) {
            String owner = "";
            for (JsonNode ref : meta.path("ownerReferences")) {
                if (ref.path("controller").asBoolean(false) && ref.path("kind").asText("").equals("Deployment")) owner = ref.path("uid").asText("");
            }
            long desired = meta.path("annotations").path(DESIRED_REPLICAS).asLong(0);
            long available = o.path("status").path("availableReplicas").asLong(0);
            String hash = meta.path("labels").path("pod-template-hash").asText("");
            String revision = meta.path("annotations").path(DEPLOY_REVISION).asText("");
            if (owner.isEmpty() || hash.isEmpty() || revision.isEmpty() || desired <= 0 || available < desired) return;
            String message = "seen with " + available + " of " + desired + " replicas of " + meta.path("name").asText() + " available";
            fromEvents.putIfAbsent(owner + "/" + hash + "/" + revision, new Sighting(now, now, message, null, ""));
        } else if (kind.equals("Rollout")) {
            String stable = o.path("status").path("stableRS").asText("");
            if (stable.isEmpty()) return;
            fromEvents.putIfAbsent(meta.path("uid").asText("") + "/" + stable + "/*",
                    new Sighting(now, now, "seen as the stable ReplicaSet (" + stable + ") of the Rollout", null, ""));
        }
    }

    /** The availability a watch event showed of {@code v}, taken (removed) from the events' notes; null when none. */
    private Sighting fromEvent(Workload w, VersionInfo v) {
        Sighting s = fromEvents.remove(key(w, v));
        if (s == null && w.kind() == WorkloadKind.ROLLOUT) s = fromEvents.remove(w.uid() + "/" + v.templateHash() + "/*");
        return s;
    }

    /** Notes what {@code snap} shows: call it with every complete snapshot. */
    void observe(EnvironmentSnapshot snap, Instant now) {
        Set<String> present = new HashSet<>();
        for (Component c : snap.components()) {
            for (Workload w : c.workloads()) {
                VersionInfo current = ReleaseTracker.current(w);
                for (VersionInfo v : w.versions()) {
                    String key = key(w, v);
                    present.add(key);
                    boolean isCurrent = v == current;
                    String available = availability(w, v, isCurrent);
                    String failure = isCurrent && w.verdict().status() == ReleaseStatus.FAILED ? w.verdict().message() : "";
                    Sighting event = fromEvent(w, v);
                    Sighting s = byRevision.get(key);
                    if (s == null) {
                        // the revision being rolled out is remembered from its first sight ("seen running")
                        if (!isCurrent && available.isEmpty() && event == null) continue;
                        s = new Sighting(event != null ? event.firstSeen() : now, null, "", null, "");
                    }
                    if (!available.isEmpty() && !s.seenAvailable()) {
                        // the cluster's own time of the rollout's end when it says it (the Progressing condition)
                        Instant at = isCurrent && w.lastChange() != null && !w.lastChange().isAfter(now) ? w.lastChange() : now;
                        if (event != null && event.availableAt().isBefore(at)) at = event.availableAt();
                        s = new Sighting(s.firstSeen(), at, available, s.failedAt(), s.failure());
                    } else if (event != null && !s.seenAvailable()) {
                        s = new Sighting(s.firstSeen(), event.availableAt(), event.available(), s.failedAt(), s.failure());
                    }
                    if (!failure.isEmpty() && !s.seenFailed()) {
                        s = new Sighting(s.firstSeen(), s.availableAt(), s.available(), now, failure);
                    }
                    byRevision.put(key, s);
                }
            }
        }
        byRevision.keySet().retainAll(present);
        Instant stale = now.minus(EVENT_SIGHTING_TTL);
        fromEvents.values().removeIf(e -> e.availableAt().isBefore(stale));
    }

    /** What this agent saw of a revision, or null when it never saw it (or saw nothing worth remembering). */
    Sighting of(Workload w, VersionInfo v) {
        return byRevision.get(key(w, v));
    }

    int size() {
        return byRevision.size();
    }

    /** Why {@code v} counts as available now, or empty: its rollout finished, or its ReplicaSet is fully available. */
    static String availability(Workload w, VersionInfo v, boolean current) {
        if (current) {
            if (w.verdict().status() != ReleaseStatus.SUCCESS) return "";
            return w.verdict().message().isEmpty() ? "seen rolled out (" + w.verdict().phase() + ")" : "seen rolled out: " + w.verdict().message();
        }
        if (w.kind() == WorkloadKind.ROLLOUT && v.stable()) {
            return "seen as the stable ReplicaSet " + v.replicaSetName() + " of the Rollout";
        }
        if (w.desiredReplicas() > 0 && v.availableReplicas() >= w.desiredReplicas()) {
            return "seen with " + v.availableReplicas() + " of " + w.desiredReplicas() + " replicas of " + v.replicaSetName() + " available";
        }
        return "";
    }

    private static String key(Workload w, VersionInfo v) {
        return w.uid() + "/" + v.templateHash() + "/" + v.revision();
    }
}

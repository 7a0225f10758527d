package dev.shipdeck.agent;

import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.RolloutProgress;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.records.RecordNames;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecord.Spec;
import dev.shipdeck.core.records.ReleaseRecord.Status;
import dev.shipdeck.core.records.ReleaseRecord.WorkloadRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which Release records to write so that the records follow what the cluster shows, by the rules of
 * KUBERNETES.md. Given a snapshot and the records as they are, it returns the writes; the agent performs them. Its
 * only memory is {@link Sightings}: what this agent saw of each revision, the evidence a record needs to say that a
 * revision that is no longer rolled out was ever available.
 * Record names are deterministic ({@code <workload>-<template hash>-<revision>}) and a record is found again by its
 * workload uid, template hash and revision, so running it again after a restart completes what was in flight and never
 * writes a second record for the same release.
 * <ul>
 *   <li>A workload seen for the first time: one record per ReplicaSet it still has (source {@code derived}, the current
 *       one {@code agent}).</li>
 *   <li>A new pod template revision: a record (RUNNING, or whatever its status already is), with the previous version
 *       and the rollback flag; one planned by a queued restore is completed instead of adding another.</li>
 *   <li>The record of the current revision follows its status (and a canary's step) until it ends; one whose workload
 *       is gone ends CANCELLED.</li>
 *   <li>A revision that is no longer the current one (superseded before its record ended, or started and replaced
 *       while no agent ran) is SUCCESS only with evidence that it was available: this agent saw it rolled out, saw all
 *       its replicas available, or saw it as a Rollout's stable ReplicaSet. FAILED when it was seen failing
 *       (progress deadline). Otherwise CANCELLED (superseded), the message saying what was and was not seen.</li>
 *   <li>Every record gets a start time, also one whose writer stopped before writing its status.</li>
 *   <li>Finished records are never changed.</li>
 * </ul>
 */
final class ReleaseTracker {
    enum Kind {
        /** create the record (then write its status) */
        CREATE,
        /** write the status of an existing record */
        STATUS,
        /** complete a planned record: write its spec (the workload it is about), then its status */
        ADOPT
    }

    /** One write. */
    record Change(Kind kind, ReleaseRecord record, String reason) {}

    private final String identity;
    private final Sightings sightings = new Sightings();

    ReleaseTracker(String identity) {
        this.identity = identity;
    }

    /** Notes what a complete snapshot shows (also while another agent leads): the evidence {@link #plan} decides by. */
    void observe(EnvironmentSnapshot snap, Instant now) {
        sightings.observe(snap, now);
    }

    /** Notes what one watched object shows (called on a watch thread): see {@link Sightings#noteObject}. */
    void noteObject(String kind, com.fasterxml.jackson.databind.JsonNode object, Instant now) {
        sightings.noteObject(kind, object, now);
    }

    /** How many revisions this tracker remembers something of. */
    int remembered() {
        return sightings.size();
    }

    /** The writes that bring the records in line with {@code snap} (which it observes first). */
    List<Change> plan(EnvironmentSnapshot snap, Collection<ReleaseRecord> records, Instant now) {
        observe(snap, now);
        Map<String, List<ReleaseRecord>> byWorkload = new HashMap<>();
        List<ReleaseRecord> planned = new ArrayList<>();
        Map<String, String> uidByName = new HashMap<>();
        for (ReleaseRecord r : records) {
            uidByName.put(r.namespace() + "/" + r.name(), r.spec().workload() == null ? "" : r.spec().workload().uid());
            if (!snap.environment().manages(r.namespace())) continue;
            WorkloadRef w = r.spec().workload();
            if (w != null) {
                byWorkload.computeIfAbsent(key(r.namespace(), w.kind(), w.name(), w.uid()), k -> new ArrayList<>()).add(r);
            } else if (!r.spec().plannedBy().isEmpty() && !r.terminal()) {
                planned.add(r);
            }
        }
        Map<String, Release> derived = new HashMap<>();
        for (Release d : snap.releases()) {
            if (d.workloadKind() != null) derived.put(key(d.namespace(), d.workloadKind(), d.workloadName(), d.templateHash(), d.revision()), d);
        }
        List<Change> out = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (Component c : snap.components()) {
            for (Workload w : c.workloads()) {
                String key = key(w.namespace(), w.kind(), w.name(), w.uid());
                present.add(key);
                track(snap.environment().name(), c, w, byWorkload.getOrDefault(key, List.of()), planned, derived, uidByName, now, out);
            }
        }
        byWorkload.forEach((key, rs) -> {
            if (present.contains(key)) return;
            for (ReleaseRecord r : rs) {
                if (!r.terminal()) {
                    out.add(new Change(Kind.STATUS, r.withStatus(ended(r, r.status().startedAt() != null ? r.status().startedAt()
                            : r.createdAt() != null ? r.createdAt() : now, ReleaseStatus.CANCELLED,
                            "the workload was deleted (or is no longer a component)", now)), "workload gone"));
                }
            }
        });
        return out;
    }

    private void track(String environment, Component c, Workload w, List<ReleaseRecord> existing, List<ReleaseRecord> planned,
                       Map<String, Release> derived, Map<String, String> uidByName, Instant now, List<Change> out) {
        List<VersionInfo> asc = ascending(w);
        VersionInfo current = current(w);
        if (current == null) return;
        long maxRevision = existing.stream().mapToLong(r -> r.spec().workload().revision()).max().orElse(-1);
        boolean firstSight = existing.isEmpty();
        List<ReleaseRecord> known = new ArrayList<>(existing);
        for (VersionInfo v : asc) {
            if (!firstSight && v.revision() <= maxRevision) continue;
            Release d = derived.get(key(w.namespace(), w.kind(), w.name(), v.templateHash(), v.revision()));
            boolean isCurrent = v == current;
            WorkloadRef ref = new WorkloadRef(w.kind(), w.name(), w.uid(), v.templateHash(), v.revision());
            String previous = previousVersion(known, asc, v);
            boolean rollback = (d != null && d.rollback()) || known.stream().anyMatch(r -> r.spec().workload() != null
                    && r.spec().workload().templateHash().equals(v.templateHash()) && r.spec().workload().revision() < v.revision());
            Status status = isCurrent ? live(w, d, null, now)
                    : superseded(w, v, asc, current, derived, null, d != null && d.startedAt() != null ? d.startedAt() : v.createdAt(), now);
            ReleaseRecord adopted = isCurrent && !firstSight ? plannedFor(planned, c, w, v) : null;
            ReleaseRecord record;
            if (adopted != null) {
                planned.remove(adopted);
                Spec spec = new Spec(adopted.spec().component(), adopted.spec().environment(), ref, v.version(), previous,
                        w.kind().releaseType(), adopted.spec().source(), rollback, trigger(d), adopted.spec().plannedBy());
                record = adopted.withSpec(spec).withStatus(status);
                out.add(new Change(Kind.ADOPT, record, "planned release rolled out"));
            } else {
                String source = isCurrent ? ReleaseRecord.SOURCE_AGENT : ReleaseRecord.SOURCE_DERIVED;
                Spec spec = new Spec(c.name(), environment, ref, v.version(), previous, w.kind().releaseType(), source, rollback,
                        trigger(d), "");
                String name = RecordNames.release(w.name(), v.templateHash(), v.revision());
                String holder = uidByName.get(w.namespace() + "/" + name);
                if (holder != null && !holder.equals(w.uid())) {
                    // an earlier workload of the same name (deleted and created again) has this name
                    name = RecordNames.of(w.name(), v.templateHash(), Long.toString(v.revision()), w.uid().substring(0, Math.min(5, w.uid().length())));
                }
                record = new ReleaseRecord(name, w.namespace(), "", spec, status);
                out.add(new Change(Kind.CREATE, record, firstSight ? "first sight of the workload" : "new pod template revision"));
            }
            known.add(record);
        }
        for (ReleaseRecord r : existing) {
            if (r.terminal()) continue;
            WorkloadRef ref = r.spec().workload();
            if (ref.templateHash().equals(current.templateHash()) && ref.revision() == current.revision()) {
                Release d = derived.get(key(w.namespace(), w.kind(), w.name(), current.templateHash(), current.revision()));
                Status next = live(w, d, r.status(), now);
                if (changed(r.status(), next)) out.add(new Change(Kind.STATUS, r.withStatus(next), "status changed"));
                continue;
            }
            VersionInfo mine = asc.stream().filter(v -> v.templateHash().equals(ref.templateHash()) && v.revision() == ref.revision())
                    .findFirst().orElse(null);
            boolean replaced = asc.stream().anyMatch(v -> v.revision() > ref.revision());
            if (!replaced) continue;
            Release dm = derived.get(key(w.namespace(), w.kind(), w.name(), ref.templateHash(), ref.revision()));
            Instant started = r.status().startedAt() != null ? r.status().startedAt()
                    : dm != null && dm.startedAt() != null ? dm.startedAt()
                    : mine != null && mine.createdAt() != null ? mine.createdAt()
                    : r.createdAt() != null ? r.createdAt() : now;
            Status next = mine != null ? superseded(w, mine, asc, current, derived, r.status(), started, now)
                    : supersededGone(w, ref, asc, derived, r.status(), started, now);
            out.add(new Change(Kind.STATUS, r.withStatus(next), "superseded"));
        }
    }

    /** The revisions of a workload, oldest first. */
    private static List<VersionInfo> ascending(Workload w) {
        List<VersionInfo> asc = new ArrayList<>(w.versions());
        asc.sort(Comparator.comparingLong(VersionInfo::revision));
        return asc;
    }

    /** The first revision after {@code v} (else the current one), and when it started. */
    private static VersionInfo newer(List<VersionInfo> asc, long revision, VersionInfo current) {
        return asc.stream().filter(x -> x.revision() > revision).findFirst().orElse(current);
    }

    private static Instant startOf(Workload w, VersionInfo v, Map<String, Release> derived, Instant now) {
        Release d = derived.get(key(w.namespace(), w.kind(), w.name(), v.templateHash(), v.revision()));
        return d != null && d.startedAt() != null ? d.startedAt() : v.createdAt() != null ? v.createdAt() : now;
    }

    /**
     * How revision {@code v}, no longer the one rolled out, ended, by the evidence: SUCCESS when it was seen available,
     * FAILED when it was seen failing, else CANCELLED (superseded) with what was and was not seen.
     *
     * @param before its record's status so far (null for a record written now)
     */
    private Status superseded(Workload w, VersionInfo v, List<VersionInfo> asc, VersionInfo current, Map<String, Release> derived,
                              Status before, Instant started, Instant now) {
        VersionInfo next = newer(asc, v.revision(), current);
        Instant at = startOf(w, next, derived, now);
        Sightings.Sighting seen = sightings.of(w, v);
        String step = before == null ? "" : before.rolloutStep();
        if (seen != null && seen.seenAvailable()) {
            Instant end = seen.availableAt().isBefore(at) ? seen.availableAt() : at;
            return new Status(ReleaseStatus.SUCCESS, "superseded by " + next.version() + " after it was available (" + seen.available() + ")",
                    "", started, later(end, started), step, identity);
        }
        if (seen != null && seen.seenFailed()) {
            return new Status(ReleaseStatus.FAILED, seen.failure(), seen.failure(), started, later(seen.failedAt(), started), step, identity);
        }
        String message;
        if (seen != null) {
            message = "superseded by " + next.version() + " while running";
        } else if (before != null && before.phase() == ReleaseStatus.RUNNING) {
            message = "superseded by " + next.version() + " after it was last seen running; not seen available since (no agent was watching)";
        } else {
            message = "superseded by " + next.version() + " before an agent saw it available (" + v.replicaSetName() + " has "
                    + v.availableReplicas() + " of " + w.desiredReplicas() + " replicas available now)";
        }
        return new Status(ReleaseStatus.CANCELLED, message, "", started, later(at, started), step, identity);
    }

    /**
     * A record whose revision the workload no longer has (its ReplicaSet was pruned, or reused by a later revision) but
     * a newer one exists: nothing can be seen of it any more.
     */
    private Status supersededGone(Workload w, WorkloadRef ref, List<VersionInfo> asc, Map<String, Release> derived, Status before,
                                  Instant started, Instant now) {
        VersionInfo next = newer(asc, ref.revision(), asc.get(asc.size() - 1));
        Instant at = startOf(w, next, derived, now);
        String seen = before.phase() == ReleaseStatus.RUNNING ? "after it was last seen running; not seen available since"
                : "before an agent saw it available";
        return new Status(ReleaseStatus.CANCELLED, "superseded by " + next.version() + " " + seen,
                "", started, later(at, started), before.rolloutStep(), identity);
    }

    /**
     * The revision being rolled out: a Rollout's current pod hash, else the newest revision when it has the workload's
     * template version; null when there is none (yet).
     */
    static VersionInfo current(Workload w) {
        List<VersionInfo> asc = ascending(w);
        if (asc.isEmpty()) return null;
        if (w.kind() == WorkloadKind.ROLLOUT && !w.templateHash().isEmpty()) {
            for (VersionInfo v : asc) {
                if (v.templateHash().equals(w.templateHash())) return v;
            }
        }
        // a new template whose ReplicaSet the controller has not made yet: no revision is being rolled out (the newest
        // one is not, whatever the workload's status says while the controller catches up)
        VersionInfo newest = asc.get(asc.size() - 1);
        return newest.version().equals(w.version()) ? newest : null;
    }

    private static String previousVersion(List<ReleaseRecord> known, List<VersionInfo> asc, VersionInfo v) {
        ReleaseRecord below = null;
        for (ReleaseRecord r : known) {
            long rev = r.spec().workload().revision();
            if (rev < v.revision() && (below == null || rev > below.spec().workload().revision())) below = r;
        }
        if (below != null) return below.spec().version();
        VersionInfo prior = null;
        for (VersionInfo x : asc) {
            if (x.revision() < v.revision()) prior = x;
        }
        return prior == null ? "" : prior.version();
    }

    private static ReleaseRecord plannedFor(List<ReleaseRecord> planned, Component c, Workload w, VersionInfo v) {
        for (ReleaseRecord p : planned) {
            if (p.spec().component().equals(c.name()) && p.namespace().equals(w.namespace()) && p.spec().version().equals(v.version())) {
                return p;
            }
        }
        return null;
    }

    private static Trigger trigger(Release d) {
        return d == null ? Trigger.NONE : d.trigger();
    }

    /** The status of the revision being rolled out, as kubectl or the Argo plugin would report it now. */
    private Status live(Workload w, Release d, Status before, Instant now) {
        ReleaseStatus phase = d != null ? d.status() : w.verdict().status();
        String message = d != null ? d.message() : w.verdict().message();
        Instant started = before != null && before.startedAt() != null ? before.startedAt() : d != null ? d.startedAt() : now;
        Instant ended = null;
        if (phase.terminal()) ended = later(d != null && d.endedAt() != null ? d.endedAt() : now, started);
        return new Status(phase, message, phase == ReleaseStatus.FAILED ? message : "", started, ended, step(w), identity);
    }

    private Status ended(ReleaseRecord r, Instant started, ReleaseStatus phase, String message, Instant at) {
        return new Status(phase, message, "", started, later(at, started), r.status().rolloutStep(), identity);
    }

    private static boolean changed(Status a, Status b) {
        return a.phase() != b.phase() || !a.failureReason().equals(b.failureReason()) || !a.rolloutStep().equals(b.rolloutStep())
                || !Objects.equals(a.endedAt() == null, b.endedAt() == null);
    }

    /** A canary's position, e.g. {@code 2/4 pause}; {@code 4/4 done} when it went through every step. */
    static String step(Workload w) {
        RolloutProgress p = w.rollout();
        if (p == null || p.steps().isEmpty()) return "";
        int n = p.steps().size();
        int i = Math.max(0, Math.min(p.currentStepIndex(), n));
        return i >= n ? n + "/" + n + " done" : (i + 1) + "/" + n + " " + p.steps().get(i);
    }

    private static Instant later(Instant t, Instant notBefore) {
        return notBefore != null && t != null && t.isBefore(notBefore) ? notBefore : t;
    }

    private static String key(String ns, WorkloadKind kind, String name, String uid) {
        return ns + "/" + kind + "/" + name + "/" + uid;
    }

    private static String key(String ns, WorkloadKind kind, String name, String hash, long revision) {
        return ns + "/" + kind + "/" + name + "/" + hash + "/" + revision;
    }
}

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
 * KUBERNETES.md. Pure: given a snapshot and the records as they are, it returns the writes; the agent performs them.
 * Record names are deterministic ({@code <workload>-<template hash>-<revision>}) and a record is found again by its
 * workload uid, template hash and revision, so running it again after a restart completes what was in flight and never
 * writes a second record for the same release.
 * <ul>
 *   <li>A workload seen for the first time: one record per ReplicaSet it still has (source {@code derived}, the current
 *       one {@code agent}).</li>
 *   <li>A new pod template revision: a record (RUNNING, or whatever its status already is), with the previous version
 *       and the rollback flag; one planned by a queued restore is completed instead of adding another.</li>
 *   <li>The record of the current revision follows its status (and a canary's step) until it ends; a record still
 *       running when a newer revision appears ends CANCELLED (superseded); one whose workload is gone ends CANCELLED.</li>
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

    ReleaseTracker(String identity) {
        this.identity = identity;
    }

    List<Change> plan(EnvironmentSnapshot snap, Collection<ReleaseRecord> records, Instant now) {
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
                    out.add(new Change(Kind.STATUS, r.withStatus(ended(r, ReleaseStatus.CANCELLED,
                            "the workload was deleted (or is no longer a component)", now)), "workload gone"));
                }
            }
        });
        return out;
    }

    private void track(String environment, Component c, Workload w, List<ReleaseRecord> existing, List<ReleaseRecord> planned,
                       Map<String, Release> derived, Map<String, String> uidByName, Instant now, List<Change> out) {
        List<VersionInfo> asc = new ArrayList<>(w.versions());
        asc.sort(Comparator.comparingLong(VersionInfo::revision));
        VersionInfo current = current(w, asc);
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
            Status status = isCurrent ? live(w, d, null, now) : observed(d, v, now);
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
            VersionInfo newer = asc.stream().filter(v -> v.revision() > ref.revision()).findFirst().orElse(null);
            if (newer != null) {
                Release dn = derived.get(key(w.namespace(), w.kind(), w.name(), newer.templateHash(), newer.revision()));
                Instant at = dn != null && dn.startedAt() != null ? dn.startedAt() : newer.createdAt() != null ? newer.createdAt() : now;
                out.add(new Change(Kind.STATUS, r.withStatus(ended(r, ReleaseStatus.CANCELLED,
                        "superseded by " + newer.version() + " while running", at)), "superseded"));
            }
        }
    }

    /** The revision being rolled out: a Rollout's current pod hash, else the newest revision. */
    private static VersionInfo current(Workload w, List<VersionInfo> asc) {
        if (asc.isEmpty()) return null;
        if (w.kind() == WorkloadKind.ROLLOUT && !w.templateHash().isEmpty()) {
            for (VersionInfo v : asc) {
                if (v.templateHash().equals(w.templateHash())) return v;
            }
        }
        return asc.get(asc.size() - 1);
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

    /** An older revision first seen now: what its ReplicaSet history says. */
    private Status observed(Release d, VersionInfo v, Instant now) {
        if (d == null) {
            return new Status(ReleaseStatus.SUCCESS, "superseded by a newer version", "", v.createdAt(), v.createdAt(), "", identity);
        }
        Instant ended = d.endedAt() != null ? d.endedAt() : now;
        return new Status(d.status(), d.message(), d.status() == ReleaseStatus.FAILED ? d.message() : "", d.startedAt(),
                later(ended, d.startedAt()), "", identity);
    }

    private Status ended(ReleaseRecord r, ReleaseStatus phase, String message, Instant at) {
        Status s = r.status();
        return new Status(phase, message, "", s.startedAt(), later(at, s.startedAt()), s.rolloutStep(), identity);
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

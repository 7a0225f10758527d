package dev.shipdeck.core.status;

import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.workload.ImageRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The version history of a workload as a person reads it: every version its ReplicaSets still hold (restorable), plus
 * the versions its Release records know of whose ReplicaSet no longer exists (pruned beyond
 * {@code revisionHistoryLimit}, or only ever recorded) — shown, and marked {@link VersionInfo#OUTSIDE_HISTORY}. A
 * version whose image is pinned by a digest other than the one a newer revision pins for the same tag is flagged
 * ({@code image digest changed since: …}). Pure; newest revision first.
 */
public final class VersionHistory {
    private VersionHistory() {}

    public static List<VersionInfo> of(Workload w, List<Release> releases) {
        List<VersionInfo> kept = new ArrayList<>();
        Set<String> hashes = new HashSet<>();
        Set<String> versions = new HashSet<>();
        for (VersionInfo v : w.versions()) {
            kept.add(v.withNotes(null, digestNote(v, w.versions())));
            hashes.add(v.templateHash());
            versions.add(v.version());
        }
        kept.sort(Comparator.comparingLong(VersionInfo::revision).reversed());
        List<Release> mine = new ArrayList<>();
        for (Release r : releases) {
            if (r.workloadKind() == w.kind() && w.name().equals(r.workloadName()) && w.namespace().equals(r.namespace())
                    && r.templateHash() != null && !r.templateHash().isEmpty()) {
                mine.add(r);
            }
        }
        // a template released more than once (rolled back to) is one version: its newest release; a version a kept
        // ReplicaSet still runs is not listed again (a record of an earlier workload of that name may have another hash)
        mine.sort(Comparator.comparing(Release::startedAt, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Comparator.comparingLong(Release::revision).reversed()));
        List<VersionInfo> gone = new ArrayList<>();
        for (Release r : mine) {
            if (!hashes.add(r.templateHash()) || !versions.add(r.version())) continue;
            gone.add(new VersionInfo(r.version(), r.templateHash(), r.revision(), "", 0, 0, 0, r.startedAt(), List.of(),
                    r.trigger() == null ? Trigger.NONE : r.trigger(), false, false, VersionInfo.OUTSIDE_HISTORY, null));
        }
        // the kept versions as kubectl rollout history numbers them, newest first; then those no longer kept, newest first
        List<VersionInfo> out = new ArrayList<>(kept);
        out.addAll(gone);
        return out;
    }

    /** The first image of {@code v} pinned to a digest that a newer revision pins differently for the same tag, said in words. */
    static String digestNote(VersionInfo v, List<VersionInfo> all) {
        for (String image : v.images()) {
            ImageRef mine = ImageRef.parse(image);
            if (!mine.pinned() || mine.tag().isEmpty()) continue;
            for (VersionInfo newer : all) {
                if (newer.revision() <= v.revision()) continue;
                for (String other : newer.images()) {
                    ImageRef o = ImageRef.parse(other);
                    if (o.pinned() && o.named().equals(mine.named()) && !o.digest().equals(mine.digest())) {
                        return "image digest changed since: " + mine.named() + " is " + ImageRef.shortDigest(o.digest()) + " in revision "
                                + newer.revision() + ", this version pins " + ImageRef.shortDigest(mine.digest());
                    }
                }
            }
        }
        return null;
    }
}

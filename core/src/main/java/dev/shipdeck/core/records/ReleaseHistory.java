package dev.shipdeck.core.records;

import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An environment as Shipdeck shows it where the cluster keeps Release records: what the CLI prints and the desktop
 * shows. The releases are the records (written by the agent, or sent from CI as deploy markers), plus every release
 * of the ReplicaSet history that no record covers yet (same workload and pod template); a component that has deploy
 * markers but no Deployment or Rollout yet is listed too, as having no workload yet. Pure: the records are read
 * elsewhere (a list for the CLI, an informer for the desktop).
 */
public final class ReleaseHistory {
    private static final Comparator<Release> NEWEST_FIRST =
            Comparator.comparing(Release::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed();

    private ReleaseHistory() {}

    /**
     * @param records the environment's Release records as releases ({@link ReleaseRecord#toRelease}), or null when the
     *                cluster has none to offer (CRD not installed, or not readable): then the snapshot is returned as is
     */
    public static EnvironmentSnapshot withRecords(EnvironmentSnapshot s, List<Release> records) {
        if (records == null) return s;
        Set<String> covered = new HashSet<>();
        for (Release r : records) {
            if (r.workloadKind() != null && !r.templateHash().isEmpty()) covered.add(key(r));
        }
        List<Release> releases = new ArrayList<>(records);
        for (Release d : s.releases()) {
            if (d.workloadKind() == null || !covered.contains(key(d))) releases.add(d);
        }
        releases.sort(NEWEST_FIRST);

        Set<String> known = new HashSet<>();
        s.components().forEach(c -> known.add(c.name()));
        Map<String, Release> newestMarker = new LinkedHashMap<>();
        for (Release r : records) {
            if (!ReleaseRecord.SOURCE_MARKER.equals(r.source()) || known.contains(r.component())) continue;
            newestMarker.merge(r.component(), r, (a, b) -> newer(b, a) ? b : a);
        }
        if (newestMarker.isEmpty()) return s.withHistory(s.components(), releases);
        List<Component> components = new ArrayList<>(s.components());
        newestMarker.forEach((name, m) -> components.add(Component.withoutWorkload(name, s.environment().name(),
                new Component.Planned(m.namespace(), m.version(), m.status()))));
        components.sort(Comparator.comparing(Component::name));
        return s.withHistory(components, releases);
    }

    /** Whether {@code a} started after {@code b} (a release not started yet counts as the oldest). */
    private static boolean newer(Release a, Release b) {
        Instant x = a.startedAt();
        Instant y = b.startedAt();
        return x != null && (y == null || x.isAfter(y));
    }

    private static String key(Release r) {
        return r.namespace() + "/" + r.workloadKind() + "/" + r.workloadName() + "/" + r.templateHash();
    }
}

package dev.shipdeck.core.matrix;

import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Label;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the {@link Matrix} of a snapshot. Pure: the snapshot and the promotion order in, the matrix out.
 * <p>
 * A cell is BEHIND (AHEAD) when it runs another version than the environment before it in its lane and that
 * environment's history has this version among its older releases (this environment's history has that one): the
 * distance in that history is how many releases apart they are. When neither history has the other's version, the
 * versions are compared as dotted numbers and the distance is unknown (-1). DRIFT is the same version with other
 * images; MISSING a component without a workload in an environment that could be read; IN_PROGRESS a release that is
 * RUNNING or PENDING.
 */
public final class MatrixBuilder {
    private MatrixBuilder() {}

    public static Matrix build(Snapshot snapshot, PromotionOrder promotion) {
        Map<String, EnvironmentSnapshot> byEnv = new HashMap<>();
        snapshot.environments().forEach(e -> byEnv.put(e.environment().name(), e));
        List<String> envNames = new ArrayList<>();
        for (String e : promotion.order()) {
            if (byEnv.containsKey(e)) envNames.add(e);
        }
        for (EnvironmentSnapshot e : snapshot.environments()) {
            if (!envNames.contains(e.environment().name())) envNames.add(e.environment().name());
        }
        List<Matrix.Column> columns = new ArrayList<>();
        for (String e : envNames) {
            EnvironmentSnapshot s = byEnv.get(e);
            boolean readable = s.connection().connected() || snapshot.lastSeen(e) != null || !s.components().isEmpty();
            columns.add(new Matrix.Column(e, promotion.previousOf(e), PromotionOrder.production(s.environment()), readable));
        }
        // component -> environment -> component
        Map<String, Map<String, Component>> comps = new TreeMap<>();
        Map<String, Map<String, List<String>>> histories = new HashMap<>();
        for (EnvironmentSnapshot s : snapshot.environments()) {
            String env = s.environment().name();
            for (Component c : s.components()) {
                comps.computeIfAbsent(c.name(), k -> new HashMap<>()).put(env, c);
            }
            histories.put(env, histories(s));
        }
        List<Matrix.Row> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Component>> e : comps.entrySet()) {
            String name = e.getKey();
            Map<String, Component> in = e.getValue();
            Set<Label> labels = new TreeSet<>();
            in.values().forEach(c -> labels.addAll(c.labels().items()));
            List<Matrix.Cell> cells = new ArrayList<>();
            for (Matrix.Column col : columns) {
                cells.add(cell(name, col, in, histories));
            }
            rows.add(new Matrix.Row(name, Labels.NONE.plus(labels), cells));
        }
        return new Matrix(columns, rows, promotion);
    }

    private static Matrix.Cell cell(String name, Matrix.Column col, Map<String, Component> in, Map<String, Map<String, List<String>>> histories) {
        Component c = in.get(col.environment());
        Set<Matrix.Highlight> hl = EnumSet.noneOf(Matrix.Highlight.class);
        String prevEnv = col.previous();
        Component prev = prevEnv == null ? null : in.get(prevEnv);
        String prevVersion = prev == null || !prev.hasWorkload() ? "" : prev.version();
        if (c == null || !c.hasWorkload()) {
            if (col.readable()) hl.add(Matrix.Highlight.MISSING);
            ReleaseStatus st = c == null ? null : c.status();
            return new Matrix.Cell(name, col.environment(), false, "", st, c == null ? "" : c.verdict().phase(), null, 0, 0, List.of(), hl,
                    prevEnv, prevVersion, -1);
        }
        if (c.status() == ReleaseStatus.RUNNING || c.status() == ReleaseStatus.PENDING) hl.add(Matrix.Highlight.IN_PROGRESS);
        List<String> images = images(c);
        int apart = -1;
        if (!prevVersion.isEmpty()) {
            if (!prevVersion.equals(c.version())) {
                List<String> mine = history(histories, col.environment(), name, c.version());
                List<String> theirs = history(histories, prevEnv, name, prevVersion);
                int inTheirs = theirs.indexOf(c.version());
                int inMine = mine.indexOf(prevVersion);
                if (inTheirs > 0) {
                    hl.add(Matrix.Highlight.BEHIND);
                    apart = inTheirs;
                } else if (inMine > 0) {
                    hl.add(Matrix.Highlight.AHEAD);
                    apart = inMine;
                } else {
                    hl.add(compareVersions(c.version(), prevVersion) < 0 ? Matrix.Highlight.BEHIND : Matrix.Highlight.AHEAD);
                }
            } else if (!images.equals(images(prev))) {
                hl.add(Matrix.Highlight.DRIFT);
            }
        }
        return new Matrix.Cell(name, col.environment(), true, c.version(), c.status(), c.verdict().phase(), c.kind(), c.readyReplicas(),
                c.desiredReplicas(), images, hl, prevEnv, prevVersion, apart);
    }

    /** The images of the version each workload runs (the ReplicaSet of its template), in workload and container order. */
    static List<String> images(Component c) {
        List<String> out = new ArrayList<>();
        for (Workload w : c.workloads()) {
            VersionInfo v = w.versions().stream().filter(x -> x.templateHash().equals(w.templateHash())).findFirst()
                    .orElse(w.versions().isEmpty() ? null : w.versions().get(0));
            if (v != null) out.addAll(v.images());
        }
        return out;
    }

    /** Per component, its versions newest first as its releases in the environment show them (each once). */
    private static Map<String, List<String>> histories(EnvironmentSnapshot s) {
        Map<String, List<Release>> by = new HashMap<>();
        for (Release r : s.releases()) by.computeIfAbsent(r.component(), k -> new ArrayList<>()).add(r);
        Map<String, List<String>> out = new HashMap<>();
        by.forEach((comp, rs) -> {
            rs.sort(Comparator.comparing(Release::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
            LinkedHashSet<String> vs = new LinkedHashSet<>();
            rs.forEach(r -> {
                if (!r.version().isEmpty()) vs.add(r.version());
            });
            out.put(comp, new ArrayList<>(vs));
        });
        return out;
    }

    /** The history of a component in an environment with the version it runs first. */
    private static List<String> history(Map<String, Map<String, List<String>>> histories, String env, String comp, String current) {
        List<String> h = new ArrayList<>(histories.getOrDefault(env, Map.of()).getOrDefault(comp, List.of()));
        h.remove(current);
        h.add(0, current);
        return h;
    }

    /** Dotted versions compared part by part, numerically where both parts are numbers ({@code 4.10.0 > 4.9.1}). */
    static int compareVersions(String a, String b) {
        String[] x = a.replaceFirst("^v", "").split("[.\\-+]");
        String[] y = b.replaceFirst("^v", "").split("[.\\-+]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c;
            if (p.matches("\\d{1,18}") && q.matches("\\d{1,18}")) c = Long.compare(Long.parseLong(p), Long.parseLong(q));
            else c = p.compareTo(q);
            if (c != 0) return c;
        }
        return 0;
    }
}

package dev.shipdeck.core.matrix;

import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.WorkloadKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which version of every component runs in every environment: one row per component name, one column per
 * environment in promotion order ({@link PromotionOrder}), each cell compared with the cell of the environment before
 * it in its lane. Built by {@link MatrixBuilder} from a snapshot; immutable.
 */
public record Matrix(List<Column> columns, List<Row> rows, PromotionOrder promotion) {
    public Matrix {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** What a cell is marked with. */
    public enum Highlight {
        /** An older version than the environment before it in its lane. */
        BEHIND,
        /** A newer version than the environment before it in its lane. */
        AHEAD,
        /** The same version as the environment before it, with other images (or digests). */
        DRIFT,
        /** The component has no workload in this environment (which could be read). */
        MISSING,
        /** A release is running (or pending) here. */
        IN_PROGRESS;

        /** The text marker of the CLI's table: {@code BEHIND}, {@code DRIFT}, ... */
        public String marker() { return name().replace('_', '-'); }
    }

    /**
     * One environment of the matrix.
     *
     * @param previous the environment before it in its lane, or null
     * @param production whether commands into it need the typed confirmation of production ({@link PromotionOrder#production})
     * @param readable false while its state is not known (not connected yet, unreachable): its cells are not marked missing
     */
    public record Column(String environment, String previous, boolean production, boolean readable) {}

    /**
     * One component in one environment.
     *
     * @param present whether the component has a workload there
     * @param version what runs (several workloads' versions joined with ','); empty when absent
     * @param kind the kind of its (first) workload, null when absent (a Rollout's releases are PROGRESSIVE)
     * @param images the images of the version that runs, in container order
     * @param highlights how it compares with {@code previousEnvironment}'s cell, and whether it is missing or in progress
     * @param previousEnvironment the environment it is compared with, or null
     * @param previousVersion the version there, or "" (none, or absent)
     * @param releasesApart how many releases apart from {@code previousEnvironment} when BEHIND or AHEAD (counted in the
     *                      history of the one that is ahead), -1 when the history does not tell
     */
    public record Cell(String component, String environment, boolean present, String version, ReleaseStatus status, String phase,
                       WorkloadKind kind, int ready, int desired, List<String> images, Set<Highlight> highlights,
                       String previousEnvironment, String previousVersion, int releasesApart) {
        public Cell {
            images = List.copyOf(images);
            highlights = highlights.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(highlights));
        }

        public boolean has(Highlight h) { return highlights.contains(h); }

        /** The digests among the images ({@code sha256:…}), in image order; empty when none is pinned. */
        public List<String> digests() {
            List<String> out = new ArrayList<>();
            for (String i : images) {
                int at = i.indexOf('@');
                if (at >= 0) out.add(i.substring(at + 1));
            }
            return out;
        }

        /** The highlights as words: {@code BEHIND 2 (staging 4.2.0)}, {@code DRIFT (images differ from staging)}, ... */
        public List<String> markers() {
            List<String> out = new ArrayList<>();
            for (Highlight h : highlights) {
                out.add(switch (h) {
                    case BEHIND, AHEAD -> h.marker() + (releasesApart > 0 ? " " + releasesApart : "");
                    default -> h.marker();
                });
            }
            return out;
        }

        /** A sentence for a tooltip: what the highlights mean here. */
        public String explanation() {
            List<String> out = new ArrayList<>();
            String apart = releasesApart > 0 ? releasesApart + (releasesApart == 1 ? " release" : " releases") : "";
            if (has(Highlight.MISSING)) out.add(component + " does not run in " + environment);
            if (has(Highlight.BEHIND)) out.add((apart.isEmpty() ? "behind" : apart + " behind") + " " + previousEnvironment + " (" + previousVersion + ")");
            if (has(Highlight.AHEAD)) out.add((apart.isEmpty() ? "ahead of" : apart + " ahead of") + " " + previousEnvironment + " (" + previousVersion + ")");
            if (has(Highlight.DRIFT)) out.add("same version as " + previousEnvironment + " with other images");
            if (has(Highlight.IN_PROGRESS)) out.add("a release is " + status.name().toLowerCase(Locale.ROOT));
            return String.join("; ", out);
        }
    }

    /**
     * One component across the environments.
     *
     * @param labels its labels in every environment together (a row matches a label filter when any environment's do)
     * @param cells one per column, in column order
     */
    public record Row(String component, Labels labels, List<Cell> cells) {
        public Row {
            cells = List.copyOf(cells);
        }

        /** The cell of {@code environment}, or null when it is not a column. */
        public Cell cell(String environment) {
            for (Cell c : cells) {
                if (c.environment().equals(environment)) return c;
            }
            return null;
        }
    }

    /** The environment names of the columns, in order. */
    public List<String> environments() {
        return columns.stream().map(Column::environment).toList();
    }

    public Row row(String component) {
        return rows.stream().filter(r -> r.component().equals(component)).findFirst().orElse(null);
    }

    public Cell cell(String component, String environment) {
        Row r = row(component);
        return r == null ? null : r.cell(environment);
    }

    public Column column(String environment) {
        return columns.stream().filter(c -> c.environment().equals(environment)).findFirst().orElse(null);
    }

    /**
     * The rows whose labels match {@code labels} and whose component name contains {@code search} (ignoring case), with
     * only the columns of {@code environments} (all when empty). The highlights stay those of the whole matrix: a
     * column hidden from view still is the one before another in its lane.
     */
    public Matrix filter(LabelFilter labels, String search, Collection<String> environments) {
        String q = search == null ? "" : search.trim().toLowerCase(Locale.ROOT);
        Set<String> envs = environments == null ? Set.of() : Set.copyOf(environments);
        List<Column> cols = columns.stream().filter(c -> envs.isEmpty() || envs.contains(c.environment())).toList();
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (labels != null && !labels.matches(r.labels())) continue;
            if (!q.isEmpty() && !r.component().toLowerCase(Locale.ROOT).contains(q)) continue;
            Map<String, Cell> by = new LinkedHashMap<>();
            r.cells().forEach(c -> by.put(c.environment(), c));
            List<Cell> cells = cols.stream().map(c -> by.get(c.environment())).toList();
            if (!envs.isEmpty() && cells.stream().noneMatch(Cell::present)) continue;
            out.add(new Row(r.component(), r.labels(), cells));
        }
        return new Matrix(cols, out, promotion);
    }
}

package dev.shipdeck.app.matrix;

import dev.shipdeck.app.commands.CommandProposal;
import dev.shipdeck.app.commands.CommandRunner;
import dev.shipdeck.app.commands.CommandService;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Errors;
import dev.shipdeck.app.common.FilterSpec;
import dev.shipdeck.app.common.FilteredRowsViewModel;
import dev.shipdeck.app.common.Latest;
import dev.shipdeck.app.common.Offline;
import dev.shipdeck.app.common.Rows;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.core.commands.Availability;
import dev.shipdeck.core.matrix.Matrix;
import dev.shipdeck.core.matrix.MatrixBuilder;
import dev.shipdeck.core.matrix.PromotionOrder;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.model.Workload;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Matrix tab: one row per component, one column per environment in promotion order, each cell compared with the
 * environment before it in its lane (core's {@link MatrixBuilder}). Label chips and the search narrow the rows, the
 * environment selector the columns; the highlights stay those of the whole matrix. Offers, per cell, shipping a
 * version along its lane, with the permission check in the background.
 */
public final class MatrixViewModel extends FilteredRowsViewModel<Matrix.Row> {
    private final ObservableValue<PromotionOrder> promotion;
    private final Supplier<CommandService> commands;
    private final Tasks tasks;
    private final Desktop desktop;
    private final Latest permissions;
    private final Rows<Matrix.Column> columns = new Rows<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyObjectWrapper<CommandRunner.Progress> progress = new ReadOnlyObjectWrapper<>(this, "progress");
    private Matrix full = new Matrix(List.of(), List.of(), PromotionOrder.of(List.of(), List.of()));

    /**
     * @param promotion the session's promotion order (null: the environments' stages, else their order)
     * @param commands the open session's commands (null when none is open)
     */
    public MatrixViewModel(ReadOnlyObjectProperty<Snapshot> snapshot, ReadOnlyObjectProperty<FilterSpec> filters,
                           ObservableValue<PromotionOrder> promotion, Tasks tasks, Supplier<CommandService> commands, Desktop desktop) {
        super(snapshot, filters);
        this.promotion = promotion;
        this.commands = commands;
        this.tasks = tasks;
        this.desktop = desktop;
        this.permissions = slot(tasks);
        watch(promotion);
    }

    @Override
    protected void recompute(Snapshot s, FilterSpec f) {
        PromotionOrder order = promotion.getValue() != null ? promotion.getValue()
                : PromotionOrder.of(s.environments().stream().map(EnvironmentSnapshot::environment).toList(), List.of());
        full = MatrixBuilder.build(s, order);
        List<String> envs = f.environments() == null ? List.of()
                : full.environments().stream().filter(f.environments()::contains).toList();
        Matrix shown = full.filter(f.labels(), "", envs);
        List<Matrix.Row> out = new ArrayList<>();
        for (Matrix.Row r : shown.rows()) {
            List<String> fields = new ArrayList<>(List.of(r.component()));
            fields.addAll(r.labels().asStrings());
            r.cells().forEach(c -> fields.add(c.version()));
            if (f.text(fields.toArray(String[]::new))) out.add(r);
        }
        if (!shown.columns().equals(columns.view())) columns.setAll(shown.columns());
        summary.set(summary(out, shown.columns().size()));
        show(out, s.environments().isEmpty() ? "Waiting for the clusters…"
                : full.rows().isEmpty() ? "No components in the environments: workloads need the label shipdeck.dev/component-name."
                : "No component matches the filter. Remove a label chip or clear the search.");
    }

    /** {@code 12 components × 3 environments · 4 behind · 1 drift · 2 missing · 1 in progress}. */
    static String summary(List<Matrix.Row> rows, int columns) {
        Map<Matrix.Highlight, Integer> counts = new LinkedHashMap<>();
        for (Matrix.Row r : rows) {
            for (Matrix.Cell c : r.cells()) c.highlights().forEach(h -> counts.merge(h, 1, Integer::sum));
        }
        StringBuilder b = new StringBuilder(rows.size() + (rows.size() == 1 ? " component × " : " components × ") + columns
                + (columns == 1 ? " environment" : " environments"));
        for (Matrix.Highlight h : Matrix.Highlight.values()) {
            Integer n = counts.get(h);
            if (n != null) b.append(" · ").append(n).append(' ').append(h.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
        return b.toString();
    }

    /** The whole matrix (every column, every row), as last computed. */
    public Matrix matrix() { return full; }

    /**
     * What the cell of {@code component} in {@code environment} can ship: the version of the environment before it
     * into it, and its own version into each environment after it in a lane — where both run the component and the
     * target differs (another version, or the same with other images).
     */
    public List<ShipChoice> shipChoices(String component, String environment) {
        Matrix.Row row = full.row(component);
        if (row == null) return List.of();
        Matrix.Cell here = row.cell(environment);
        if (here == null || !here.present()) return List.of();
        List<ShipChoice> out = new ArrayList<>();
        String prev = full.promotion().previousOf(environment);
        Matrix.Cell before = prev == null ? null : row.cell(prev);
        if (before != null && before.present() && differs(here)) out.add(new ShipChoice(component, prev, environment, before.version()));
        for (String next : full.environments()) {
            if (!environment.equals(full.promotion().previousOf(next))) continue;
            Matrix.Cell after = row.cell(next);
            if (after != null && after.present() && differs(after)) out.add(new ShipChoice(component, environment, next, here.version()));
        }
        return out;
    }

    private static boolean differs(Matrix.Cell target) {
        return target.has(Matrix.Highlight.BEHIND) || target.has(Matrix.Highlight.AHEAD) || target.has(Matrix.Highlight.DRIFT);
    }

    /**
     * Whether each choice may be shipped now — the target's guards (the ship-version-enabled annotation, a paused
     * Deployment) and an RBAC SelfSubjectAccessReview on its workload — asked in the background; {@code answer} gets
     * them on the UI thread unless a newer question came first.
     */
    public void checkShips(List<ShipChoice> choices, Consumer<Map<ShipChoice, Availability>> answer) {
        Snapshot s = snapshot.get();
        CommandService service = commands.get();
        Map<ShipChoice, Availability> now = new LinkedHashMap<>();
        Map<ShipChoice, Component> ask = new LinkedHashMap<>();
        for (ShipChoice c : choices) {
            String off = Offline.reason(s, c.to());
            if (off == null) off = Offline.reason(s, c.from());
            Component target = component(s, c.to(), c.component());
            if (service == null) now.put(c, Availability.no("no session is open"));
            else if (off != null) now.put(c, Availability.no(off));
            else if (target == null || target.primary() == null) now.put(c, Availability.no(c.component() + " does not run in " + c.to()));
            else ask.put(c, target);
        }
        if (ask.isEmpty()) {
            permissions.cancel();
            answer.accept(now);
            return;
        }
        permissions.run(() -> {
            Map<ShipChoice, Availability> out = new LinkedHashMap<>(now);
            ask.forEach((c, target) -> {
                try {
                    out.put(c, service.availability(target, target.primary(), Action.SHIP));
                } catch (RuntimeException e) {
                    out.put(c, Availability.no("cannot check: " + Errors.oneLine(e)));
                }
            });
            return out;
        }, answer, e -> {
            Map<ShipChoice, Availability> out = new LinkedHashMap<>(now);
            ask.keySet().forEach(c -> out.put(c, Availability.no("cannot check: " + Errors.oneLine(e))));
            answer.accept(out);
        });
    }

    /** The confirmation of a choice (null when the target is gone from the snapshot). */
    public CommandProposal proposal(ShipChoice c) {
        Snapshot s = snapshot.get();
        Component target = component(s, c.to(), c.component());
        Workload w = target == null ? null : target.primary();
        EnvironmentSnapshot env = s.environment(c.to());
        if (w == null || env == null) return null;
        return CommandProposal.ship(target, w, env.environment(), c.from(), c.version());
    }

    /** Runs a confirmed ship in the background; {@link #progressProperty()} says how it goes. */
    public void ship(CommandProposal p, Map<String, String> args) {
        ship(p, p.request(args));
    }

    /** Runs the ship as confirmed (what its dry run read, and the reason typed). */
    public void ship(CommandProposal p, dev.shipdeck.core.commands.CommandRequest request) {
        CommandService service = commands.get();
        if (service == null) return;
        CommandRunner runner = new CommandRunner(tasks, service, desktop, result -> { });
        progress.bind(runner.progressProperty());
        runner.run(request, p.progressText(request.args()));
    }

    static Component component(Snapshot s, String environment, String name) {
        EnvironmentSnapshot e = s.environment(environment);
        if (e == null) return null;
        return e.components().stream().filter(c -> c.name().equals(name) && c.hasWorkload()).findFirst().orElse(null);
    }

    /** The columns shown, in promotion order; replaced only when they change. */
    public ObservableList<Matrix.Column> columns() { return columns.view(); }

    public ReadOnlyStringProperty summaryProperty() { return summary.getReadOnlyProperty(); }

    /** The last ship run from the tab, or null. */
    public ReadOnlyObjectProperty<CommandRunner.Progress> progressProperty() { return progress.getReadOnlyProperty(); }
}

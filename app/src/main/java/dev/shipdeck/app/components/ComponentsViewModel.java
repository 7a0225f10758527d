package dev.shipdeck.app.components;

import dev.shipdeck.app.common.FilterSpec;
import dev.shipdeck.app.common.FilteredRowsViewModel;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.ReadOnlyObjectProperty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One row per component per environment, narrowed by the filter. */
public final class ComponentsViewModel extends FilteredRowsViewModel<ComponentRow> {

    public ComponentsViewModel(ReadOnlyObjectProperty<Snapshot> snapshot, ReadOnlyObjectProperty<FilterSpec> filters) {
        super(snapshot, filters);
    }

    @Override
    protected void recompute(Snapshot s, FilterSpec f) {
        Map<String, Release> last = new HashMap<>();
        s.environments().forEach(e -> e.releases().forEach(r -> last.merge(r.environment() + "/" + r.component(), r,
                (a, b) -> a.startedAt() != null && (b.startedAt() == null || a.startedAt().isAfter(b.startedAt())) ? a : b)));
        List<ComponentRow> out = new ArrayList<>();
        int total = 0;
        for (Component c : (Iterable<Component>) s.components()::iterator) {
            total++;
            if (!matches(c, f)) continue;
            out.add(new ComponentRow(c, last.get(c.key())));
        }
        show(out, s.environments().isEmpty() ? "Waiting for the clusters…"
                : total == 0 ? "No components in the selected environments: workloads need the label shipdeck.dev/component-name."
                : "No component matches the filter. Remove a label chip or clear the search.");
    }

    static boolean matches(Component c, FilterSpec f) {
        return f.environment(c.environment()) && f.labels(c.labels())
                && f.text(c.name(), c.environment(), c.version(), c.status().name(), c.namespace(), String.join(" ", c.labels().asStrings()));
    }

}

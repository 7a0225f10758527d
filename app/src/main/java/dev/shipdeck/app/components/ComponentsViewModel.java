package dev.shipdeck.app.components;

import dev.shipdeck.app.common.FilterSpec;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One row per component per environment, narrowed by the filter. */
public final class ComponentsViewModel {
    private final ReadOnlyObjectProperty<Snapshot> snapshot;
    private final ReadOnlyObjectProperty<FilterSpec> filters;
    private final ObservableList<ComponentRow> rows = FXCollections.observableArrayList();
    private final ObservableList<ComponentRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "");
    private final InvalidationListener refresh = o -> refresh();

    public ComponentsViewModel(ReadOnlyObjectProperty<Snapshot> snapshot, ReadOnlyObjectProperty<FilterSpec> filters) {
        this.snapshot = snapshot;
        this.filters = filters;
    }

    public void activate() {
        snapshot.addListener(refresh);
        filters.addListener(refresh);
        refresh();
    }

    public void deactivate() {
        snapshot.removeListener(refresh);
        filters.removeListener(refresh);
    }

    private void refresh() {
        Snapshot s = snapshot.get();
        FilterSpec f = filters.get();
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
        rows.setAll(out);
        emptyText.set(s.environments().isEmpty() ? "Waiting for the clusters…"
                : total == 0 ? "No components in the selected environments: workloads need the label shipdeck.dev/component-name."
                : "No component matches the filter. Remove a label chip or clear the search.");
    }

    static boolean matches(Component c, FilterSpec f) {
        return f.environment(c.environment()) && f.labels(c.labels())
                && f.text(c.name(), c.environment(), c.version(), c.status().name(), c.namespace(), String.join(" ", c.labels().asStrings()));
    }

    public ObservableList<ComponentRow> rows() { return readOnlyRows; }

    public ReadOnlyStringProperty emptyTextProperty() { return emptyText.getReadOnlyProperty(); }
}

package dev.shipdeck.app.timeline;

import dev.shipdeck.app.common.FilterSpec;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every release across the selected environments, newest first, narrowed by the filter and a status choice. */
public final class TimelineViewModel {
    private final ReadOnlyObjectProperty<Snapshot> snapshot;
    private final ReadOnlyObjectProperty<FilterSpec> filters;
    private final ObservableList<TimelineRow> rows = FXCollections.observableArrayList();
    private final ObservableList<TimelineRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ObjectProperty<ReleaseStatus> status = new SimpleObjectProperty<>(this, "status");
    private final ReadOnlyIntegerWrapper total = new ReadOnlyIntegerWrapper(this, "total");
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "");
    private final InvalidationListener refresh = o -> refresh();

    public TimelineViewModel(ReadOnlyObjectProperty<Snapshot> snapshot, ReadOnlyObjectProperty<FilterSpec> filters) {
        this.snapshot = snapshot;
        this.filters = filters;
    }

    /** Starts following the snapshots and the filter. */
    public void activate() {
        snapshot.addListener(refresh);
        filters.addListener(refresh);
        status.addListener(refresh);
        refresh();
    }

    public void deactivate() {
        snapshot.removeListener(refresh);
        filters.removeListener(refresh);
        status.removeListener(refresh);
    }

    private void refresh() {
        Snapshot s = snapshot.get();
        FilterSpec f = filters.get();
        Map<String, Labels> labels = new HashMap<>();
        s.components().forEach(c -> labels.put(c.key(), c.labels()));
        List<TimelineRow> out = new ArrayList<>();
        List<Release> all = s.timeline();
        ReleaseStatus st = status.get();
        for (Release r : all) {
            if (!f.environment(r.environment())) continue;
            Labels l = labels.getOrDefault(r.environment() + "/" + r.component(), Labels.NONE);
            if (!f.labels(l)) continue;
            if (st != null && r.status() != st) continue;
            if (!f.text(r.component(), r.environment(), r.version(), r.status().name(), r.type().name(), r.trigger().shortText(),
                    String.join(" ", l.asStrings()))) continue;
            out.add(new TimelineRow(r, l));
        }
        rows.setAll(out);
        total.set(all.size());
        emptyText.set(emptyText(s, f, all.size()));
    }

    static String emptyText(Snapshot s, FilterSpec f, int total) {
        if (s.environments().isEmpty()) return "Waiting for the clusters…";
        if (total == 0) return "No releases yet in the selected environments.";
        return "No release matches the filter. Remove a label chip or clear the search.";
    }

    public ObservableList<TimelineRow> rows() { return readOnlyRows; }

    /** null shows every status. */
    public ObjectProperty<ReleaseStatus> statusProperty() { return status; }

    public ReadOnlyIntegerProperty totalProperty() { return total.getReadOnlyProperty(); }

    public ReadOnlyStringProperty emptyTextProperty() { return emptyText.getReadOnlyProperty(); }

    /** Finds the component of a row, for opening its page. */
    public Component component(TimelineRow row) {
        return snapshot.get().components().filter(c -> c.environment().equals(row.release().environment())
                && c.name().equals(row.release().component())).findFirst().orElse(null);
    }
}

package dev.shipdeck.app.timeline;

import dev.shipdeck.app.common.FilterSpec;
import dev.shipdeck.app.common.FilteredRowsViewModel;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every release across the selected environments, newest first, narrowed by the filter and a status choice. */
public final class TimelineViewModel extends FilteredRowsViewModel<TimelineRow> {
    private final ObjectProperty<ReleaseStatus> status = new SimpleObjectProperty<>(this, "status");
    private final ObjectProperty<LocalDate> day = new SimpleObjectProperty<>(this, "day");
    private final ZoneId zone;
    private final ReadOnlyIntegerWrapper total = new ReadOnlyIntegerWrapper(this, "total");

    public TimelineViewModel(ReadOnlyObjectProperty<Snapshot> snapshot, ReadOnlyObjectProperty<FilterSpec> filters) {
        this(snapshot, filters, ZoneId.systemDefault());
    }

    /** @param zone the zone whose days {@link #dayProperty()} means */
    public TimelineViewModel(ReadOnlyObjectProperty<Snapshot> snapshot, ReadOnlyObjectProperty<FilterSpec> filters, ZoneId zone) {
        super(snapshot, filters);
        this.zone = zone;
        watch(status);
        watch(day);
    }

    @Override
    protected void recompute(Snapshot s, FilterSpec f) {
        Map<String, Labels> labels = new HashMap<>();
        s.components().forEach(c -> labels.put(c.key(), c.labels()));
        List<TimelineRow> out = new ArrayList<>();
        List<Release> all = s.timeline();
        ReleaseStatus st = status.get();
        LocalDate d = day.get();
        for (Release r : all) {
            if (d != null && !onDay(r, d)) continue;
            if (!f.environment(r.environment())) continue;
            Labels l = labels.getOrDefault(r.environment() + "/" + r.component(), Labels.NONE);
            if (!f.labels(l)) continue;
            if (st != null && r.status() != st) continue;
            if (!f.text(r.component(), r.environment(), r.version(), r.status().name(), r.type().name(), r.trigger().shortText(),
                    String.join(" ", l.asStrings()))) continue;
            out.add(new TimelineRow(r, l));
        }
        total.set(all.size());
        show(out, emptyText(s, f, all.size()));
    }

    String emptyText(Snapshot s, FilterSpec f, int total) {
        if (s.environments().isEmpty()) return "Waiting for the clusters…";
        if (total == 0) return "No releases yet in the selected environments.";
        if (day.get() != null) return "No release started on " + day.get() + " matches the filter.";
        return "No release matches the filter. Remove a label chip or clear the search.";
    }

    /** Whether a release started on {@code d} (a marker that never started: ended), as the insights count it. */
    private boolean onDay(Release r, LocalDate d) {
        Instant at = r.startedAt() != null ? r.startedAt() : r.endedAt();
        return at != null && at.atZone(zone).toLocalDate().equals(d);
    }

    /** Only the releases that started on this day (the insights' bars); null: every day. */
    public ObjectProperty<LocalDate> dayProperty() { return day; }

    /** null shows every status. */
    public ObjectProperty<ReleaseStatus> statusProperty() { return status; }

    public ReadOnlyIntegerProperty totalProperty() { return total.getReadOnlyProperty(); }


    /** Finds the component of a row, for opening its page. */
    public Component component(TimelineRow row) {
        return snapshot.get().components().filter(c -> c.environment().equals(row.release().environment())
                && c.name().equals(row.release().component())).findFirst().orElse(null);
    }
}

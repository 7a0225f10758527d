package dev.shipdeck.app.common;

import dev.shipdeck.core.model.Snapshot;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/**
 * The plumbing of a tab's view model: rows recomputed from the current snapshot and filter (and any other input
 * the subclass {@link #watch watches}) while the tab is shown, and the text to show when there are none.
 *
 * @param <R> one row item per table row
 */
public abstract class FilteredRowsViewModel<R> {
    protected final ReadOnlyObjectProperty<Snapshot> snapshot;
    protected final ReadOnlyObjectProperty<FilterSpec> filters;
    private final ObservableList<R> rows = FXCollections.observableArrayList();
    private final ObservableList<R> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "");
    private final InvalidationListener refresh = o -> refresh();
    private final List<Observable> inputs = new ArrayList<>();

    protected FilteredRowsViewModel(ReadOnlyObjectProperty<Snapshot> snapshot, ReadOnlyObjectProperty<FilterSpec> filters) {
        this.snapshot = snapshot;
        this.filters = filters;
        inputs.add(snapshot);
        inputs.add(filters);
    }

    /** Another input that changes the rows (call from the subclass constructor). */
    protected final void watch(Observable input) {
        inputs.add(input);
    }

    /** Starts following the inputs (when the tab is shown). */
    public final void activate() {
        inputs.forEach(i -> i.addListener(refresh));
        refresh();
    }

    public final void deactivate() {
        inputs.forEach(i -> i.removeListener(refresh));
    }

    private void refresh() {
        recompute(snapshot.get(), filters.get());
    }

    /** Computes the rows and calls {@link #show}. */
    protected abstract void recompute(Snapshot s, FilterSpec f);

    protected final void show(List<R> items, String whenEmpty) {
        rows.setAll(items);
        emptyText.set(whenEmpty);
    }

    public final ObservableList<R> rows() { return readOnlyRows; }

    public final ReadOnlyStringProperty emptyTextProperty() { return emptyText.getReadOnlyProperty(); }
}

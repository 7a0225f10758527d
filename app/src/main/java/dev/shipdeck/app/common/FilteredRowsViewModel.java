package dev.shipdeck.app.common;

import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;

import java.util.List;

/**
 * A tab's view model: rows recomputed from the current snapshot and filter (and any other input the subclass
 * {@link #watch watches}) while the tab is selected, and the text to show when there are none.
 *
 * @param <R> one row item per table row
 */
public abstract class FilteredRowsViewModel<R> extends PageViewModel {
    protected final ReadOnlyObjectProperty<FilterSpec> filters;
    private final Rows<R> rows = new Rows<>();
    private final ReadOnlyStringWrapper emptyText = new ReadOnlyStringWrapper(this, "emptyText", "");

    protected FilteredRowsViewModel(ReadOnlyObjectProperty<Snapshot> snapshot, ReadOnlyObjectProperty<FilterSpec> filters) {
        super(snapshot);
        this.filters = filters;
        watch(filters);
    }

    @Override
    protected final void refresh() {
        recompute(snapshot.get(), filters.get());
    }

    /** Computes the rows and calls {@link #show}. */
    protected abstract void recompute(Snapshot s, FilterSpec f);

    protected final void show(List<R> items, String whenEmpty) {
        rows.setAll(items);
        emptyText.set(whenEmpty);
    }

    public final ObservableList<R> rows() { return rows.view(); }

    public final ReadOnlyStringProperty emptyTextProperty() { return emptyText.getReadOnlyProperty(); }
}

package dev.shipdeck.app.common;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Collection;

/** A list a view model fills and its views only read: the list and its read-only view, declared once. */
public final class Rows<T> {
    private final ObservableList<T> items = FXCollections.observableArrayList();
    private final ObservableList<T> view = FXCollections.unmodifiableObservableList(items);

    public void setAll(Collection<? extends T> all) { items.setAll(all); }

    public void clear() { items.clear(); }

    /** What the view binds to; it changes when the view model sets the rows. */
    public ObservableList<T> view() { return view; }
}

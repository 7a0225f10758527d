package dev.shipdeck.app.common;

import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.model.Label;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.util.Set;

/** The filter the header edits and every tab applies; one instance per window. */
public final class Filters {
    private final ReadOnlyObjectWrapper<FilterSpec> spec = new ReadOnlyObjectWrapper<>(this, "spec", FilterSpec.ALL);

    public ReadOnlyObjectProperty<FilterSpec> specProperty() { return spec.getReadOnlyProperty(); }

    public FilterSpec spec() { return spec.get(); }

    /** {@code null} selects every environment. */
    public void setEnvironments(Set<String> names) {
        if (!java.util.Objects.equals(spec.get().environments(), names == null ? null : Set.copyOf(names))) {
            spec.set(spec.get().withEnvironments(names));
        }
    }

    public void setLabels(LabelFilter f) {
        if (!spec.get().labels().equals(f)) spec.set(spec.get().withLabels(f));
    }

    public void addLabel(Label l) { setLabels(spec.get().labels().with(l)); }

    public void removeLabel(Label l) { setLabels(spec.get().labels().without(l)); }

    public void setSearch(String s) {
        String t = s == null ? "" : s.trim();
        if (!spec.get().search().equals(t)) spec.set(spec.get().withSearch(t));
    }
}

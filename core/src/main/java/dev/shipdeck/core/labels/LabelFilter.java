package dev.shipdeck.core.labels;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.Label;
import dev.shipdeck.core.model.Labels;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Filter chips: labels with the same key are OR-ed, different keys are AND-ed. An empty filter matches all. */
public record LabelFilter(List<Label> chips) {
    public static final LabelFilter NONE = new LabelFilter(List.of());

    public LabelFilter {
        chips = Label.checkCount(List.copyOf(new LinkedHashSet<>(chips)), "label filters", "remove some filters");
    }

    /** Parses {@code key:value} texts (each may also be a comma-separated list). */
    public static LabelFilter parse(Collection<String> texts) {
        List<Label> out = new ArrayList<>();
        for (String t : texts) {
            for (String part : t.split(",")) {
                if (!part.isBlank()) out.add(Label.parse(part));
            }
        }
        return new LabelFilter(out);
    }

    public boolean isEmpty() { return chips.isEmpty(); }

    public boolean matches(Labels labels) {
        if (chips.isEmpty()) return true;
        Map<String, Set<String>> byKey = new LinkedHashMap<>();
        for (Label c : chips) byKey.computeIfAbsent(c.key(), k -> new LinkedHashSet<>()).add(c.value());
        for (var e : byKey.entrySet()) {
            boolean any = labels.items().stream().anyMatch(l -> l.key().equals(e.getKey()) && e.getValue().contains(l.value()));
            if (!any) return false;
        }
        return true;
    }

    public LabelFilter with(Label l) {
        List<Label> next = new ArrayList<>(chips);
        next.add(l);
        return new LabelFilter(next);
    }

    public LabelFilter without(Label l) {
        List<Label> next = new ArrayList<>(chips);
        next.remove(l);
        return new LabelFilter(next);
    }

    public List<String> asStrings() { return chips.stream().map(Label::toString).toList(); }
}

package dev.shipdeck.core.model;

import dev.shipdeck.core.ShipdeckException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** At most 20 labels, sorted; parsed from the {@code shipdeck.dev/labels} annotation ({@code team:payments, role:web}). */
public record Labels(List<Label> items) {
    public static final Labels NONE = new Labels(List.of());

    public Labels {
        List<Label> sorted = List.copyOf(new TreeSet<>(items));
        items = Label.checkCount(sorted, "labels", "remove " + (sorted.size() - Label.MAX_PER_OBJECT) + " of them");
    }

    /** Strict parsing, for what a person types. */
    public static Labels parse(String annotation) {
        if (annotation == null || annotation.isBlank()) return NONE;
        List<Label> out = new ArrayList<>();
        for (String part : annotation.split(",")) {
            if (!part.isBlank()) out.add(Label.parse(part));
        }
        return new Labels(out);
    }

    /**
     * Lenient parsing, for annotations found in a cluster: malformed entries are skipped and the first 20 kept,
     * so one bad annotation never hides a component.
     */
    public static Labels parseLenient(String annotation) {
        if (annotation == null || annotation.isBlank()) return NONE;
        TreeSet<Label> out = new TreeSet<>();
        for (String part : annotation.split(",")) {
            try {
                if (!part.isBlank() && out.size() < Label.MAX_PER_OBJECT) out.add(Label.parse(part));
            } catch (ShipdeckException ignored) {
                // a malformed label in the cluster is skipped
            }
        }
        return new Labels(new ArrayList<>(out));
    }

    public Labels plus(Collection<Label> more) {
        TreeSet<Label> all = new TreeSet<>(items);
        for (Label l : more) {
            if (all.size() >= Label.MAX_PER_OBJECT) break;
            all.add(l);
        }
        return new Labels(new ArrayList<>(all));
    }

    /** The annotation text: {@code key:value, key:value}. */
    public String toAnnotation() {
        return String.join(", ", items.stream().map(Label::toString).toList());
    }

    public List<String> asStrings() {
        return items.stream().map(Label::toString).toList();
    }
}

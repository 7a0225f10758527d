package dev.shipdeck.app.common;

import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.model.Labels;

import java.util.Locale;
import java.util.Set;

/**
 * What the person filters by, as one immutable value: the selected environments ({@code null} = all), the label
 * chips and the search text. Every tab applies the same spec.
 */
public record FilterSpec(Set<String> environments, LabelFilter labels, String search) {
    public static final FilterSpec ALL = new FilterSpec(null, LabelFilter.NONE, "");

    public FilterSpec {
        environments = environments == null ? null : Set.copyOf(environments);
        labels = labels == null ? LabelFilter.NONE : labels;
        search = search == null ? "" : search.trim();
    }

    public boolean environment(String name) {
        return environments == null || environments.contains(name);
    }

    public boolean labels(Labels l) {
        return labels.matches(l);
    }

    /** Every word of the search text appears in one of the fields (case-insensitive). */
    public boolean text(String... fields) {
        if (search.isEmpty()) return true;
        StringBuilder all = new StringBuilder();
        for (String f : fields) {
            if (f != null) all.append(f.toLowerCase(Locale.ROOT)).append(' ');
        }
        for (String word : search.toLowerCase(Locale.ROOT).split("\\s+")) {
            if (!word.isEmpty() && all.indexOf(word) < 0) return false;
        }
        return true;
    }

    public FilterSpec withEnvironments(Set<String> envs) { return new FilterSpec(envs, labels, search); }

    public FilterSpec withLabels(LabelFilter l) { return new FilterSpec(environments, l, search); }

    public FilterSpec withSearch(String s) { return new FilterSpec(environments, labels, s); }
}

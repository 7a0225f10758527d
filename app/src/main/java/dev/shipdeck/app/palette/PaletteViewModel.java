package dev.shipdeck.app.palette;

import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.model.WorkloadKind;
import javafx.beans.property.StringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Ctrl+K: type a few letters, get components, environments and actions that match, best first. */
public final class PaletteViewModel {
    static final int LIMIT = 60;

    private final List<PaletteEntry> all;
    private final StringProperty query = new SimpleStringProperty(this, "query", "");
    private final ObservableList<PaletteEntry> results = FXCollections.observableArrayList();
    private final ObservableList<PaletteEntry> readOnlyResults = FXCollections.unmodifiableObservableList(results);

    public PaletteViewModel(Snapshot snapshot) {
        this.all = entries(snapshot);
        query.addListener((o, a, b) -> filter());
        filter();
    }

    static List<PaletteEntry> entries(Snapshot s) {
        List<PaletteEntry> out = new ArrayList<>();
        for (EnvironmentSnapshot e : s.environments()) {
            String env = e.environment().name();
            out.add(new PaletteEntry(PaletteEntry.Kind.ENVIRONMENT, env, "environment · " + e.components().size() + " components · "
                    + e.connection().describe(), env, null, null));
        }
        s.components().forEach(c -> out.add(new PaletteEntry(PaletteEntry.Kind.COMPONENT, c.name(),
                c.environment() + " · " + c.version() + " · " + c.status().name() + " · " + String.join(" ", c.labels().asStrings()),
                c.environment(), c.name(), null)));
        s.components().forEach(c -> {
            for (Action a : actions(c)) {
                out.add(new PaletteEntry(PaletteEntry.Kind.ACTION, verb(a) + " " + c.name(), c.environment() + " · " + c.version(),
                        c.environment(), c.name(), a));
            }
        });
        return out;
    }

    static List<Action> actions(Component c) {
        if (!c.hasWorkload()) return List.of();
        List<Action> out = new ArrayList<>(List.of(Action.RESTORE_VERSION, Action.SCALE, Action.RESTART));
        if (c.kind() == WorkloadKind.ROLLOUT) out.addAll(List.of(Action.PROMOTE, Action.PROMOTE_FULL, Action.RETRY, Action.CANCEL));
        return out;
    }

    /** The words a person reads for an action. */
    public static String verb(Action a) {
        return switch (a) {
            case RESTORE_VERSION -> "Restore previous version of";
            case SCALE -> "Scale";
            case RESTART -> "Restart";
            case RETRY -> "Retry";
            case PROMOTE -> "Promote";
            case PROMOTE_FULL -> "Promote fully";
            case CANCEL -> "Cancel rollout of";
            case EDIT_LABELS -> "Edit labels of";
            case SHIP -> "Ship to";
        };
    }

    private void filter() {
        String q = query.get() == null ? "" : query.get().trim().toLowerCase(Locale.ROOT);
        String[] words = q.isEmpty() ? new String[0] : q.split("\\s+");
        List<PaletteEntry> hits = new ArrayList<>();
        for (PaletteEntry e : all) {
            if (words.length == 0 && e.kind() == PaletteEntry.Kind.ACTION) continue;
            String text = e.searchText();
            boolean ok = true;
            for (String w : words) {
                if (!text.contains(w)) {
                    ok = false;
                    break;
                }
            }
            if (ok) hits.add(e);
        }
        hits.sort(Comparator.comparingInt((PaletteEntry e) -> rank(e, q)).thenComparing(PaletteEntry::title));
        results.setAll(hits.size() > LIMIT ? hits.subList(0, LIMIT) : hits);
    }

    private static int rank(PaletteEntry e, String q) {
        String t = e.title().toLowerCase(Locale.ROOT);
        int kind = e.kind().ordinal();
        if (t.equals(q)) return kind;
        if (t.startsWith(q)) return 10 + kind;
        if (t.contains(q)) return 20 + kind;
        return 30 + kind;
    }

    public StringProperty queryProperty() { return query; }

    public ObservableList<PaletteEntry> results() { return readOnlyResults; }
}

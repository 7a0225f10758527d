package dev.shipdeck.core.commands;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The commands run from this process. */
public final class InMemoryCommandLog implements CommandLog {
    private final List<CommandRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void record(CommandRecord r) {
        records.add(r);
    }

    @Override
    public List<CommandRecord> history(String environment, String component) {
        List<CommandRecord> out = new ArrayList<>();
        for (CommandRecord r : records) {
            if ((environment == null || environment.equals(r.environment())) && (component == null || component.equals(r.component()))) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing(CommandRecord::at).reversed());
        return out;
    }
}

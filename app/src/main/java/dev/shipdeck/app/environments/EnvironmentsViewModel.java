package dev.shipdeck.app.environments;

import dev.shipdeck.app.common.FilterSpec;
import dev.shipdeck.app.common.FilteredRowsViewModel;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.ReadOnlyObjectProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * One row per selected environment. With label chips, an environment stays when its own labels match or when at
 * least one of its components does; the counts then say how many components match.
 */
public final class EnvironmentsViewModel extends FilteredRowsViewModel<EnvironmentRow> {

    public EnvironmentsViewModel(ReadOnlyObjectProperty<Snapshot> snapshot, ReadOnlyObjectProperty<FilterSpec> filters) {
        super(snapshot, filters);
    }

    @Override
    protected void recompute(Snapshot s, FilterSpec f) {
        List<EnvironmentRow> out = new ArrayList<>();
        for (EnvironmentSnapshot e : s.environments()) {
            String name = e.environment().name();
            if (!f.environment(name)) continue;
            if (!f.text(name, e.environment().context(), e.environment().displayName(), e.connection().describe(),
                    String.join(" ", e.environment().labels().asStrings()))) continue;
            int matching = 0;
            int failed = 0;
            int running = 0;
            boolean ownLabels = !f.labels().isEmpty() && f.labels(e.environment().labels());
            for (Component c : e.components()) {
                if (ownLabels || f.labels(c.labels())) {
                    matching++;
                    if (c.status() == ReleaseStatus.FAILED) failed++;
                    if (c.status() == ReleaseStatus.RUNNING) running++;
                }
            }
            if (!f.labels().isEmpty() && !ownLabels && matching == 0) continue;
            out.add(new EnvironmentRow(e, e.components().size(), matching, failed, running));
        }
        show(out, s.environments().isEmpty() ? "Waiting for the clusters…"
                : "No environment matches the filter. Remove a label chip or clear the search.");
    }

}

package dev.shipdeck.app.common;

import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The page base: refreshes while active only, activates once, and leaving a page drops what it still loads. */
class PageViewModelTest {
    final ManualTasks tasks = new ManualTasks();
    final SimpleObjectProperty<Snapshot> snapshot = new SimpleObjectProperty<>(Snapshot.EMPTY);
    final List<String> seen = new ArrayList<>();

    final class History extends PageViewModel {
        final Latest history = slot(tasks);

        History() { super(PageViewModelTest.this.snapshot); }

        @Override
        protected void refresh() {
            snapshot.get();
            seen.add("refresh");
        }

        @Override
        protected void onActivate() {
            history.run(() -> "3 commands", seen::add, e -> seen.add("failed"));
        }
    }

    @Test
    void followsTheSnapshotOnlyWhileActiveAndActivatesOnce() {
        History vm = new History();
        snapshot.set(null);
        assertThat(seen).isEmpty();
        vm.activate();
        vm.activate();
        assertThat(seen).containsExactly("refresh");
        assertThat(tasks.started()).isEqualTo(1);
        snapshot.set(Snapshot.EMPTY);
        assertThat(seen).containsExactly("refresh", "refresh");
        vm.deactivate();
        snapshot.set(null);
        assertThat(seen).containsExactly("refresh", "refresh");
        assertThat(vm.isActive()).isFalse();
    }

    @Test
    void leavingThePageDropsWhatItStillLoads() {
        History vm = new History();
        vm.activate();
        vm.deactivate();
        tasks.finishAll();
        assertThat(seen).containsExactly("refresh");
        vm.activate();
        tasks.finishAll();
        assertThat(seen).containsExactly("refresh", "refresh", "3 commands");
    }
}

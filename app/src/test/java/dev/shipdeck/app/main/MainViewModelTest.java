package dev.shipdeck.app.main;

import dev.shipdeck.app.common.DesktopSettings;
import dev.shipdeck.app.common.SameThreadTasks;
import dev.shipdeck.app.common.SettingsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MainViewModelTest {
    @TempDir
    Path dir;

    MainViewModel vm(SettingsStore store) {
        return new MainViewModel(new SameThreadTasks(), new SessionLoader(), store, store.load(), Clock.systemUTC());
    }

    @Test
    void chipsAreValidatedAndRememberedAcrossRestarts() throws Exception {
        SettingsStore store = new SettingsStore(dir.resolve("desktop.json"));
        MainViewModel first = vm(store);

        assertThat(first.addChip("teampayments")).isFalse();
        assertThat(first.chipErrorProperty().get()).isEqualTo("label \"teampayments\" has no value (write it as key:value, e.g. teampayments:payments)");
        assertThat(first.chips()).isEmpty();

        assertThat(first.addChip("team:payments")).isTrue();
        assertThat(first.addChip(" tier:prod ")).isTrue();
        assertThat(first.chipErrorProperty().get()).isEmpty();
        first.removeChip("tier:prod");
        first.darkProperty().set(true);

        String saved = Files.readString(store.file());
        assertThat(saved).contains("team:payments").doesNotContain("tier:prod").doesNotContain("token");

        MainViewModel second = vm(store);
        assertThat(second.chips()).containsExactly("team:payments");
        assertThat(second.filterProperty().get().labels().asStrings()).containsExactly("team:payments");
        assertThat(second.darkProperty().get()).isTrue();
    }

    @Test
    void theEnvironmentSelectionIsRestoredWhereItStillApplies() {
        assertThat(MainViewModel.restoredSelection(List.of("prod-eu", "staging", "dev"), null)).isNull();
        assertThat(MainViewModel.restoredSelection(List.of("prod-eu", "staging", "dev"), List.of("staging", "gone"))).containsExactly("staging");
        assertThat(MainViewModel.restoredSelection(List.of("prod-eu"), List.of("gone"))).isNull();
    }

    @Test
    void withoutAKubeconfigTheWelcomeOffersTheDemo() {
        SettingsStore store = new SettingsStore(dir.resolve("desktop.json"));
        MainViewModel vm = vm(store);
        vm.open(SessionSource.kubeconfig(dir.resolve("missing").toString()));
        assertThat(vm.phaseProperty().get()).isEqualTo(MainViewModel.Phase.WELCOME);
        assertThat(vm.messageProperty().get()).contains("does not exist");
    }

    @Test
    void whenTwoOpensOverlapTheNewestWinsWhateverFinishesLast() {
        SettingsStore store = new SettingsStore(dir.resolve("desktop.json"));
        dev.shipdeck.app.common.ManualTasks tasks = new dev.shipdeck.app.common.ManualTasks();
        MainViewModel vm = new MainViewModel(tasks, new SessionLoader(), store, store.load(), Clock.systemUTC());
        vm.open(SessionSource.kubeconfig("/first"), () -> { throw new IllegalStateException("first kubeconfig is broken"); });
        vm.open(SessionSource.kubeconfig("/second"), () -> { throw new IllegalStateException("second kubeconfig is broken"); });
        assertThat(vm.messageProperty().get()).isEqualTo("Reading /second…");
        tasks.finishNewestFirst(); // the second answers first, the first one late
        assertThat(vm.phaseProperty().get()).isEqualTo(MainViewModel.Phase.WELCOME);
        assertThat(vm.messageProperty().get()).contains("second kubeconfig is broken").doesNotContain("first");
    }

    @Test
    void settingsWithNothingSavedAreTheDefaults() {
        assertThat(new SettingsStore(dir.resolve("none.json")).load()).isEqualTo(DesktopSettings.DEFAULTS);
    }
}

package dev.shipdeck.app.main;

import dev.shipdeck.app.common.DesktopSettings;
import dev.shipdeck.app.common.SameThreadTasks;
import dev.shipdeck.app.common.SettingsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.shipdeck.sim.ClusterSim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    void theWelcomeNamesTheKubeconfigWhereKubectlLooksForIt() {
        Path home = dir.resolve("home-elsewhere");
        SettingsStore store = SettingsStore.inDefaultDirectory(Map.of("HOME", home.toString()));
        MainViewModel vm = new MainViewModel(new SameThreadTasks(), new SessionLoader(Map.of("HOME", home.toString())), store,
                store.load(), Clock.systemUTC());

        vm.open(SessionSource.kubeconfig(null));

        assertThat(vm.phaseProperty().get()).isEqualTo(MainViewModel.Phase.WELCOME);
        assertThat(vm.messageProperty().get()).startsWith("No kubeconfig found (no kubeconfig at " + home.resolve(".kube/config") + ")");
        assertThat(store.file()).isEqualTo(home.resolve(".config/shipdeck/desktop.json"));
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

    /** The live connection of {@code environment} in the status bar, copied off the publisher thread's list. */
    private static MainViewModel.Connection connection(MainViewModel vm, String environment) {
        return List.copyOf(vm.connections()).stream().filter(c -> c.environment().equals(environment)).findFirst().orElse(null);
    }

    @Test
    void theStatusBarSaysWhichEnvironmentIsPartlyReadAndWhy() {
        try (ClusterSim sim = ClusterSim.builder().clusters("prod-eu").scenario("empty").start()) {
            sim.cluster("prod-eu").installRolloutsCrd();
            sim.cluster("prod-eu").apply("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: catalog, namespace: shop, labels: {shipdeck.dev/component-name: catalog}}
                    spec:
                      selector: {matchLabels: {app: catalog}}
                      template:
                        metadata: {labels: {app: catalog}}
                        spec: {containers: [{name: app, image: "example/catalog:3.4.1"}]}
                    ---
                    apiVersion: argoproj.io/v1alpha1
                    kind: Rollout
                    metadata: {name: cart, namespace: shop, labels: {shipdeck.dev/component-name: cart}}
                    spec:
                      selector: {matchLabels: {app: cart}}
                      strategy: {canary: {steps: []}}
                      template:
                        metadata: {labels: {app: cart}}
                        spec: {containers: [{name: app, image: "example/cart:8.2.0"}]}
                    """);
            sim.cluster("prod-eu").faults().fail(call -> call.path().contains("/rollouts"), 503, Integer.MAX_VALUE);
            Path kubeconfig = sim.writeKubeconfig(dir.resolve("kubeconfig"));
            MainViewModel vm = vm(new SettingsStore(dir.resolve("desktop.json")));
            vm.components().activate(); // no window here: activate the tab this test reads, as selecting it would
            try {
                vm.open(SessionSource.kubeconfig(kubeconfig.toString()));

                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                        assertThat(connection(vm, "prod-eu").text()).isEqualTo("prod-eu partial: Rollouts 503"));
                MainViewModel.Connection partial = connection(vm, "prod-eu");
                assertThat(partial.partial()).isTrue();
                assertThat(partial.details()).isEqualTo("prod-eu: connected\nRollouts could not be read (503 Service Unavailable): "
                        + "components and releases from Rollouts are missing; retry, or check the API server");
                assertThat(List.copyOf(vm.components().rows())).extracting(r -> r.component().name()).containsExactly("catalog");

                sim.cluster("prod-eu").faults().clear();
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                        assertThat(connection(vm, "prod-eu").text()).isEqualTo("prod-eu connected"));
            } finally {
                vm.shutdown();
            }
        }
    }
}

package dev.shipdeck.app.matrix;

import dev.shipdeck.app.SharedDemo;
import dev.shipdeck.app.commands.CommandDialogViewModel;
import dev.shipdeck.app.commands.CommandProposal;
import dev.shipdeck.app.commands.CommandRunner;
import dev.shipdeck.app.commands.FakeCommandService;
import dev.shipdeck.app.common.Filters;
import dev.shipdeck.app.common.RecordingDesktop;
import dev.shipdeck.app.common.SameThreadTasks;
import dev.shipdeck.core.commands.Availability;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.matrix.Matrix;
import dev.shipdeck.core.matrix.PromotionOrder;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Matrix tab's view model on one read of the demo, with a same-thread executor and no toolkit. */
class MatrixViewModelTest {
    static Snapshot snapshot;

    final SimpleObjectProperty<Snapshot> live = new SimpleObjectProperty<>(snapshot);
    final SimpleObjectProperty<PromotionOrder> promotion = new SimpleObjectProperty<>();
    final Filters filters = new Filters();
    final SameThreadTasks tasks = new SameThreadTasks();
    final FakeCommandService commands = new FakeCommandService();
    final RecordingDesktop desktop = new RecordingDesktop();
    final MatrixViewModel vm = new MatrixViewModel(live, filters.specProperty(), promotion, tasks, () -> commands, desktop);

    @BeforeAll
    static void read() {
        snapshot = SharedDemo.get().read();
    }

    private List<String> components() {
        return vm.rows().stream().map(Matrix.Row::component).toList();
    }

    private List<String> columns() {
        return vm.columns().stream().map(Matrix.Column::environment).toList();
    }

    @Test
    void everyComponentInEveryEnvironmentInPromotionOrderWithASummary() {
        vm.activate();
        assertThat(columns()).containsExactly("dev", "staging", "prod-eu");
        assertThat(vm.rows()).hasSize(12);
        assertThat(vm.rows()).allSatisfy(r -> assertThat(r.cells()).hasSize(3).allMatch(Matrix.Cell::present));
        // staging and prod-eu each run the release before the environment before them, for every component
        int behind = (int) vm.rows().stream().flatMap(r -> r.cells().stream()).filter(c -> c.has(Matrix.Highlight.BEHIND)).count();
        assertThat(behind).isEqualTo(24);
        assertThat(vm.summaryProperty().get()).startsWith("12 components × 3 environments · 24 behind");

        // an environments.yaml order wins over the stage words
        promotion.set(PromotionOrder.of(snapshot.environments().stream().map(e -> e.environment()).toList(),
                List.of(List.of("prod-eu", "staging", "dev"))));
        assertThat(columns()).containsExactly("prod-eu", "staging", "dev");
        assertThat(vm.matrix().cell("payments-api", "dev").has(Matrix.Highlight.AHEAD)).isTrue();
    }

    @Test
    void chipsAndSearchNarrowTheRowsTheEnvironmentSelectorTheColumns() {
        vm.activate();
        filters.addLabel(dev.shipdeck.core.model.Label.parse("team:search"));
        assertThat(components()).containsExactly("indexer", "query-suggest", "search-api");
        filters.setLabels(LabelFilter.NONE);
        filters.setSearch("payments-api");
        assertThat(components()).containsExactly("payments-api");
        filters.setSearch("");

        filters.setEnvironments(Set.of("prod-eu"));
        assertThat(columns()).containsExactly("prod-eu");
        // prod-eu is still compared with staging, its column hidden or not
        assertThat(vm.rows().get(0).cells()).singleElement().satisfies(c -> {
            assertThat(c.previousEnvironment()).isEqualTo("staging");
            assertThat(c.has(Matrix.Highlight.BEHIND)).isTrue();
        });
        filters.setSearch("no such thing");
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.emptyTextProperty().get()).startsWith("No component matches the filter");
    }

    @Test
    void aCellOffersShippingAlongItsLane() {
        vm.activate();
        String dev = vm.matrix().cell("payments-api", "dev").version();
        String staging = vm.matrix().cell("payments-api", "staging").version();
        assertThat(vm.shipChoices("payments-api", "staging")).containsExactly(
                new ShipChoice("payments-api", "dev", "staging", dev), new ShipChoice("payments-api", "staging", "prod-eu", staging));
        assertThat(vm.shipChoices("payments-api", "dev")).containsExactly(new ShipChoice("payments-api", "dev", "staging", dev));
        assertThat(vm.shipChoices("payments-api", "prod-eu")).containsExactly(new ShipChoice("payments-api", "staging", "prod-eu", staging));
        assertThat(vm.shipChoices("payments-api", "prod-eu").get(0).text()).isEqualTo("Ship " + staging + " from staging to prod-eu");

        // the permission check answers for each choice; a refusal keeps its reason
        commands.answers.put(Action.SHIP, Availability.no("RBAC: viewer may not patch deployments in namespace payments (prod-eu)"));
        Map<ShipChoice, Availability> answers = new HashMap<>();
        vm.checkShips(vm.shipChoices("payments-api", "prod-eu"), answers::putAll);
        assertThat(answers.values()).singleElement()
                .isEqualTo(Availability.no("RBAC: viewer may not patch deployments in namespace payments (prod-eu)"));
    }

    @Test
    void shippingIntoProductionAsksForTheWordAndKeepsTheReason() {
        vm.activate();
        ShipChoice toProd = vm.shipChoices("payments-api", "prod-eu").get(0);
        CommandProposal p = vm.proposal(toProd);
        assertThat(p.action()).isEqualTo(Action.SHIP);
        assertThat(p.environment()).isEqualTo("prod-eu");
        assertThat(p.args()).isEqualTo(Map.of("from", "staging"));
        assertThat(p.confirmWord()).isEqualTo("SHIP");
        assertThat(vm.proposal(vm.shipChoices("payments-api", "dev").get(0)).confirmWord()).as("staging is no production").isNull();

        CommandDialogViewModel dialog = new CommandDialogViewModel(tasks, commands, p);
        assertThat(dialog.title()).isEqualTo("Ship payments-api from staging to prod-eu?");
        dialog.loadPlan();
        assertThat(dialog.canConfirm()).as("not before SHIP is typed").isFalse();
        dialog.typedProperty().set("SHIP");
        assertThat(dialog.canConfirm()).isTrue();
        dialog.reasonProperty().set("  release train 42 ");

        vm.ship(p, dialog.request());
        CommandRequest ran = commands.ran.get(0);
        assertThat(ran.action()).isEqualTo(Action.SHIP);
        assertThat(ran.environment()).isEqualTo("prod-eu");
        assertThat(ran.args()).containsEntry("from", "staging");
        assertThat(ran.reason()).as("kept in the audit record and the Event, as every command's").isEqualTo("release train 42");
        assertThat(vm.progressProperty().get().state()).isEqualTo(CommandRunner.Progress.State.SUCCEEDED);
    }
}

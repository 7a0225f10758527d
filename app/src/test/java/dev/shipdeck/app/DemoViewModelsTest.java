package dev.shipdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipdeck.app.commands.CommandProposal;
import dev.shipdeck.app.commands.FakeCommandService;
import dev.shipdeck.app.common.ClusterGateway;
import dev.shipdeck.app.common.Filters;
import dev.shipdeck.app.common.RecordingDesktop;
import dev.shipdeck.app.common.SameThreadTasks;
import dev.shipdeck.app.components.ComponentPageViewModel;
import dev.shipdeck.app.components.ComponentRow;
import dev.shipdeck.app.components.ComponentsViewModel;
import dev.shipdeck.app.components.VersionRow;
import dev.shipdeck.app.environments.EnvironmentRow;
import dev.shipdeck.app.environments.EnvironmentsViewModel;
import dev.shipdeck.app.palette.PaletteEntry;
import dev.shipdeck.app.palette.PaletteViewModel;
import dev.shipdeck.app.release.ReleasePageViewModel;
import dev.shipdeck.app.release.StepRow;
import dev.shipdeck.app.timeline.TimelineRow;
import dev.shipdeck.app.timeline.TimelineViewModel;
import dev.shipdeck.core.commands.Availability;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Label;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.model.Workload;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The view models on one read of the demo scenario, with a same-thread executor and no toolkit. */
class DemoViewModelsTest {
    static DemoCluster demo;
    static Snapshot snapshot;

    final SimpleObjectProperty<Snapshot> live = new SimpleObjectProperty<>();
    final Filters filters = new Filters();
    final SameThreadTasks tasks = new SameThreadTasks();
    final FakeCommandService commands = new FakeCommandService();
    final RecordingDesktop desktop = new RecordingDesktop();

    @BeforeAll
    static void start() {
        demo = DemoCluster.start();
        snapshot = demo.read();
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @BeforeEach
    void setUp() {
        live.set(snapshot);
    }

    @Test
    void theTimelineListsEveryReleaseNewestFirstWithItsStatus() {
        TimelineViewModel vm = new TimelineViewModel(live, filters.specProperty());
        vm.activate();

        List<Release> releases = vm.rows().stream().map(TimelineRow::release).toList();
        assertThat(releases).hasSize((int) snapshot.environments().stream().mapToLong(e -> e.releases().size()).sum());
        assertThat(releases).isSortedAccordingTo(Comparator.comparing(Release::startedAt).reversed());
        assertThat(releases).anySatisfy(r -> {
            assertThat(r.component()).isEqualTo("search-api");
            assertThat(r.environment()).isEqualTo("prod-eu");
            assertThat(r.status()).isEqualTo(ReleaseStatus.FAILED);
        });
        assertThat(releases).anySatisfy(r -> {
            assertThat(r.component()).isEqualTo("checkout");
            assertThat(r.environment()).isEqualTo("prod-eu");
            assertThat(r.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(r.type()).isEqualTo(ReleaseType.PROGRESSIVE);
        });

        vm.statusProperty().set(ReleaseStatus.FAILED);
        assertThat(vm.rows()).extracting(r -> r.release().component() + "/" + r.release().environment()).containsExactly("search-api/prod-eu");
    }

    @Test
    void aLabelChipNarrowsAllThreeTabs() {
        TimelineViewModel timeline = new TimelineViewModel(live, filters.specProperty());
        ComponentsViewModel components = new ComponentsViewModel(live, filters.specProperty());
        EnvironmentsViewModel environments = new EnvironmentsViewModel(live, filters.specProperty());
        timeline.activate();
        components.activate();
        environments.activate();
        assertThat(components.rows()).hasSize(36);
        assertThat(environments.rows()).hasSize(3);

        filters.addLabel(Label.parse("tier:prod"));

        assertThat(timeline.rows()).isNotEmpty().allMatch(r -> r.release().environment().equals("prod-eu"));
        assertThat(components.rows()).hasSize(12).allMatch(r -> r.component().environment().equals("prod-eu"));
        assertThat(environments.rows()).extracting(EnvironmentRow::name).containsExactly("prod-eu");

        // same key: OR; different keys: AND
        filters.removeLabel(Label.parse("tier:prod"));
        filters.addLabel(Label.parse("team:payments"));
        filters.addLabel(Label.parse("team:search"));
        filters.addLabel(Label.parse("role:worker"));
        assertThat(components.rows()).extracting(r -> r.component().name()).containsOnly("ledger-worker", "fraud-scorer", "indexer").hasSize(9);
    }

    @Test
    void environmentsAndSearchNarrowToo() {
        ComponentsViewModel components = new ComponentsViewModel(live, filters.specProperty());
        components.activate();
        filters.setEnvironments(Set.of("staging"));
        assertThat(components.rows()).hasSize(12).allMatch(r -> r.component().environment().equals("staging"));
        filters.setSearch("cart");
        assertThat(components.rows()).extracting(ComponentRow::key).containsExactly("staging/cart");
        filters.setSearch("nothing-like-this");
        assertThat(components.rows()).isEmpty();
        assertThat(components.emptyTextProperty().get()).contains("No component matches");
    }

    @Test
    void theComponentPageShowsVersionsReleasesAndProposesTheRestore() {
        ComponentPageViewModel vm = new ComponentPageViewModel("prod-eu", "payments-api", live, tasks, commands, desktop);
        vm.activate();

        Component c = vm.componentProperty().get();
        Workload w = c.primary();
        assertThat(vm.versions()).extracting(VersionRow::current).contains(true);
        assertThat(vm.releases()).isNotEmpty().allMatch(r -> r.component().equals("payments-api") && r.environment().equals("prod-eu"));
        assertThat(vm.actions().get(Action.RESTORE_VERSION).allowed()).isTrue();

        CommandProposal p = vm.proposal(Action.RESTORE_VERSION, null);
        assertThat(p.args()).containsEntry("toRevision", Long.toString(w.versions().get(1).revision()));
        assertThat(p.change()).isEqualTo("version " + w.version() + " → " + w.versions().get(1).version() + " (revision " + w.versions().get(1).revision() + ")");

        vm.run(p, p.args());
        assertThat(commands.ran).extracting(r -> r.action() + " " + r.component() + " " + r.environment() + " " + r.workload())
                .containsExactly("RESTORE_VERSION payments-api prod-eu payments-api");
        assertThat(vm.runner().progressProperty().get().text()).startsWith("Done: ");
        assertThat(vm.history()).hasSize(1);
    }

    @Test
    void aDeniedActionCarriesItsReason() {
        commands.answers.put(Action.RESTORE_VERSION, Availability.no("RBAC: viewer may not patch deployments in namespace payments (prod-eu)"));
        ComponentPageViewModel vm = new ComponentPageViewModel("prod-eu", "payments-api", live, tasks, commands, desktop);
        vm.activate();
        assertThat(vm.actions().get(Action.RESTORE_VERSION)).isEqualTo(Availability.no("RBAC: viewer may not patch deployments in namespace payments (prod-eu)"));
        int calls = commands.availabilityCalls;
        live.set(new Snapshot(snapshot.environments(), 2));
        assertThat(commands.availabilityCalls).as("unchanged workload: not asked again").isEqualTo(calls);
    }

    @Test
    void aFailedCommandRaisesANotification() {
        commands.runOutcome = dev.shipdeck.core.commands.Outcome.FAILED;
        ComponentPageViewModel vm = new ComponentPageViewModel("staging", "catalog", live, tasks, commands, desktop);
        vm.activate();
        CommandProposal p = vm.proposal(Action.RESTART, null);
        vm.run(p, p.args());
        assertThat(vm.runner().progressProperty().get().text()).startsWith("Failed: ");
        assertThat(desktop.events).singleElement().asString().startsWith("failure Restart catalog in staging");
    }

    @Test
    void labelsAreValidatedThenRunAsTheEditLabelsCommand() {
        ComponentPageViewModel vm = new ComponentPageViewModel("dev", "indexer", live, tasks, commands, desktop);
        vm.activate();
        assertThat(vm.labelsProposal("team:search, bad")).isNull();
        assertThat(vm.labelsErrorProperty().get()).contains("label \"bad\" has no value");
        assertThat(vm.labelsText()).as("the editor starts with the workload's labels").isEqualTo("role:worker, team:search, tier:nonprod");

        CommandProposal p = vm.labelsProposal("team:search, role:worker, owner:anna");
        assertThat(vm.labelsErrorProperty().get()).isEmpty();
        assertThat(p.action()).isEqualTo(Action.EDIT_LABELS);
        assertThat(p.change()).isEqualTo("labels role:worker, team:search, tier:nonprod → owner:anna, role:worker, team:search");
        assertThat(p.args()).containsExactly(java.util.Map.entry("labels", "owner:anna, role:worker, team:search"));
        vm.run(p, p.args());

        assertThat(commands.ran).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo(Action.EDIT_LABELS);
            assertThat(r.namespace()).isEqualTo("search");
            assertThat(r.workload()).isEqualTo("indexer");
        });
        assertThat(vm.history()).extracting(dev.shipdeck.core.commands.CommandRecord::action).contains(Action.EDIT_LABELS);
    }

    @Test
    void theReleasePageOfAPausedCanaryShowsItsStepsAndTheDiff() throws Exception {
        Component checkout = snapshot.environment("prod-eu").components().stream().filter(c -> c.name().equals("checkout")).findFirst().orElseThrow();
        Release current = snapshot.environment("prod-eu").releases().stream()
                .filter(r -> r.component().equals("checkout") && r.templateHash().equals(checkout.primary().templateHash())).findFirst().orElseThrow();
        NoCluster cluster = new NoCluster();
        ReleasePageViewModel vm = new ReleasePageViewModel(current.id(), live, tasks, commands, cluster, desktop);
        vm.activate();

        assertThat(vm.currentProperty().get()).isTrue();
        assertThat(vm.rolloutProperty().get().pausedAtStep()).isTrue();
        assertThat(vm.steps()).extracting(StepRow::state).contains(StepRow.State.DONE, StepRow.State.CURRENT, StepRow.State.NEXT);
        assertThat(vm.steps().get(checkout.primary().rollout().currentStepIndex()).state()).isEqualTo(StepRow.State.CURRENT);
        assertThat(vm.diff()).anySatisfy(d -> {
            assertThat(d.field()).isEqualTo("image");
            assertThat(d.changed()).isTrue();
        });
        assertThat(cluster.templatesRead).hasSize(2);
        assertThat(vm.actions().get(Action.PROMOTE).allowed()).isTrue();

        CommandProposal p = vm.proposal(Action.PROMOTE);
        assertThat(p.change()).startsWith("canary step ");
    }

    @Test
    void thePaletteFindsComponentsEnvironmentsAndActions() {
        PaletteViewModel vm = new PaletteViewModel(snapshot);
        assertThat(vm.results()).extracting(PaletteEntry::kind).doesNotContain(PaletteEntry.Kind.ACTION);
        vm.queryProperty().set("checkout prod");
        assertThat(vm.results().get(0)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(PaletteEntry.Kind.COMPONENT);
            assertThat(e.environment()).isEqualTo("prod-eu");
        });
        vm.queryProperty().set("promote checkout staging");
        assertThat(vm.results()).extracting(PaletteEntry::action).contains(Action.PROMOTE);
        vm.queryProperty().set("staging");
        assertThat(vm.results().get(0).kind()).isEqualTo(PaletteEntry.Kind.ENVIRONMENT);
    }

    /** Reads templates from the demo snapshot's images. */
    static final class NoCluster implements ClusterGateway {
        final List<String> templatesRead = new ArrayList<>();

        @Override
        public JsonNode replicaSetTemplate(String environment, String namespace, String replicaSetName) {
            templatesRead.add(replicaSetName);
            try {
                return new ObjectMapper().readTree("{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"reg/" + replicaSetName + "\"}]}}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public List<Pod> pods(String environment, String namespace, String label, String value) {
            return List.of(new Pod(value + "-abcde", "Running", true, 0, null));
        }
    }
}

package dev.shipdeck.app.commands;

import dev.shipdeck.app.common.ManualTasks;
import dev.shipdeck.app.common.SameThreadTasks;
import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.model.Action;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommandDialogViewModelTest {
    final FakeCommandService service = new FakeCommandService();

    static CommandProposal restore() {
        return new CommandProposal(Action.RESTORE_VERSION, "prod-eu", "payments-api", "payments", "payments-api", "Deployment",
                "version 3.0.0 → 2.9.0 (revision 3)", Map.of("toRevision", "3"), 3);
    }

    @Test
    void aDestructiveActionWaitsForItsWord() {
        CommandDialogViewModel vm = new CommandDialogViewModel(new SameThreadTasks(), service, restore());
        vm.loadPlan();
        assertThat(vm.title()).isEqualTo("Restore payments-api in prod-eu?");
        assertThat(vm.confirmWord()).isEqualTo("RESTORE");
        assertThat(vm.planStateProperty().get()).isEqualTo(CommandDialogViewModel.PlanState.READY);
        assertThat(vm.planTextProperty().get()).startsWith("PATCH /apis/apps/v1/namespaces/ns/deployments/payments-api");
        assertThat(vm.canConfirm()).isFalse();
        vm.typedProperty().set("restore");
        assertThat(vm.canConfirm()).isFalse();
        vm.typedProperty().set("RESTORE");
        assertThat(vm.canConfirm()).isTrue();
        assertThat(vm.request().args()).containsEntry("toRevision", "3");
    }

    @Test
    void aRefusedPlanCannotBeConfirmed() {
        service.planOutcome = Outcome.REFUSED;
        CommandDialogViewModel vm = new CommandDialogViewModel(new SameThreadTasks(), service, restore());
        vm.loadPlan();
        vm.typedProperty().set("RESTORE");
        assertThat(vm.canConfirm()).isFalse();
        assertThat(vm.planSummaryProperty().get()).isEqualTo("Cannot run: RBAC: viewer may not patch deployments");
    }

    @Test
    void scalingPlansAgainForTheChosenReplicaCount() {
        CommandProposal scale = new CommandProposal(Action.SCALE, "staging", "cart", "storefront", "cart", "Rollout", "replicas 4 → ",
                Map.of("replicas", "4"), 4);
        CommandDialogViewModel vm = new CommandDialogViewModel(new SameThreadTasks(), service, scale);
        vm.loadPlan();
        vm.replicasProperty().set(6);
        assertThat(service.planned).extracting(r -> r.arg("replicas")).containsExactly("4", "6");
        assertThat(vm.planTextProperty().get()).contains("\"replicas\" : 6");
        vm.typedProperty().set("SCALE");
        assertThat(vm.request().args()).isEqualTo(Map.of("replicas", "6"));
    }

    @Test
    void promoteNeedsNoWord() {
        CommandProposal p = new CommandProposal(Action.PROMOTE, "prod-eu", "checkout", "payments", "checkout", "Rollout",
                "canary step 2 → 3 of 5", Map.of(), 5);
        CommandDialogViewModel vm = new CommandDialogViewModel(new SameThreadTasks(), service, p);
        vm.loadPlan();
        assertThat(vm.confirmWord()).isNull();
        assertThat(vm.canConfirm()).isTrue();
    }

    @Test
    void confirmWaitsForTheDryRunAndThePermissionCheck() {
        ManualTasks tasks = new ManualTasks();
        CommandProposal p = new CommandProposal(Action.PROMOTE, "prod-eu", "checkout", "payments", "checkout", "Rollout",
                "canary step 2 → 3 of 5", Map.of(), 5);
        CommandDialogViewModel vm = new CommandDialogViewModel(tasks, service, p);
        vm.loadPlan();
        assertThat(vm.canConfirm()).as("while the plan is loading").isFalse();
        tasks.finishAll();
        assertThat(vm.canConfirm()).isTrue();
    }

    @Test
    void aFailedDryRunCannotBeConfirmed() {
        service.planFailure = new IllegalStateException("cannot reach prod-eu");
        CommandDialogViewModel vm = new CommandDialogViewModel(new SameThreadTasks(), service, restore());
        vm.loadPlan();
        vm.typedProperty().set("RESTORE");
        assertThat(vm.planStateProperty().get()).isEqualTo(CommandDialogViewModel.PlanState.ERROR);
        assertThat(vm.canConfirm()).isFalse();
        assertThat(vm.planSummaryProperty().get()).contains("cannot reach prod-eu");
    }

    @Test
    void spinnerTicksPlanOnceTheCountSettles() {
        ManualTasks tasks = new ManualTasks();
        CommandProposal scale = new CommandProposal(Action.SCALE, "staging", "cart", "storefront", "cart", "Rollout", "replicas 4 → ",
                Map.of("replicas", "4"), 4);
        CommandDialogViewModel vm = new CommandDialogViewModel(tasks, service, scale);
        vm.loadPlan();
        tasks.finishAll();
        vm.typedProperty().set("SCALE");
        assertThat(vm.canConfirm()).isTrue();
        for (int n = 5; n <= 9; n++) vm.replicasProperty().set(n);
        assertThat(vm.canConfirm()).as("the plan shown is for 4, not 9").isFalse();
        assertThat(tasks.started()).as("no plan per tick").isEqualTo(1);
        tasks.elapse();
        tasks.finishAll();
        assertThat(service.planned).extracting(r -> r.arg("replicas")).containsExactly("4", "9");
        assertThat(vm.canConfirm()).isTrue();
        assertThat(vm.request().args()).isEqualTo(Map.of("replicas", "9"));
    }
}

package dev.shipdeck.app.commands;

import dev.shipdeck.app.common.Theme;
import dev.shipdeck.app.common.Views;
import dev.shipdeck.core.model.Action;
import javafx.beans.property.ObjectProperty;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.function.Consumer;

/**
 * The confirmation dialog: names the component, environment, workload and change; shows the exact patch on
 * request; asks for the action's word when it is destructive. Non-blocking: {@code onConfirm} runs when the
 * person confirms.
 */
public final class CommandDialogView {
    private final CommandDialogViewModel vm;
    private final Parent content;
    private final Dialog<ButtonType> dialog = new Dialog<>();
    private final ButtonType confirmType;
    private ObjectProperty<Integer> replicasObject;
    private ObjectProperty<Integer> hpaMinObject;
    private ObjectProperty<Integer> hpaMaxObject;

    @FXML private Label componentValue;
    @FXML private Label environmentValue;
    @FXML private Label workloadValue;
    @FXML private Label changeValue;
    @FXML private Spinner<Integer> replicasSpinner;
    @FXML private TextField reasonField;
    @FXML private VBox autoscalerBox;
    @FXML private Label autoscalerLabel;
    @FXML private CheckBox changeRangeCheck;
    @FXML private Spinner<Integer> hpaMinSpinner;
    @FXML private Spinner<Integer> hpaMaxSpinner;
    @FXML private CheckBox scaleAnywayCheck;
    @FXML private Label planSummary;
    @FXML private Label warnings;
    @FXML private TitledPane patchPane;
    @FXML private TextArea planText;
    @FXML private VBox confirmBox;
    @FXML private Label confirmPrompt;
    @FXML private TextField confirmField;

    public CommandDialogView(CommandDialogViewModel vm) {
        this.vm = vm;
        this.content = Views.load(this, "command-dialog.fxml");
        this.confirmType = new ButtonType(CommandProposal.verbNoun(vm.proposal().action()), ButtonBar.ButtonData.OK_DONE);
    }

    @FXML
    private void initialize() {
        CommandProposal p = vm.proposal();
        componentValue.setText(p.component());
        environmentValue.setText(p.environment());
        workloadValue.setText(p.kind() + " " + p.namespace() + "/" + p.workload());
        changeValue.setText(p.change());
        if (p.action() == Action.SCALE) {
            replicasSpinner.setVisible(true);
            replicasSpinner.setManaged(true);
            replicasSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 500, p.currentReplicas()));
            replicasObject = vm.replicasProperty().asObject();
            replicasSpinner.getValueFactory().valueProperty().bindBidirectional(replicasObject);
            // an autoscaler manages the workload: the two ways on, offered beside the refusal that names it
            hpaMinSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 1000, Math.max(1, vm.hpaMinProperty().get())));
            hpaMaxSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 1000, Math.max(1, vm.hpaMaxProperty().get())));
            hpaMinObject = vm.hpaMinProperty().asObject();
            hpaMaxObject = vm.hpaMaxProperty().asObject();
            hpaMinSpinner.getValueFactory().valueProperty().bindBidirectional(hpaMinObject);
            hpaMaxSpinner.getValueFactory().valueProperty().bindBidirectional(hpaMaxObject);
            changeRangeCheck.selectedProperty().bindBidirectional(vm.changeRangeProperty());
            scaleAnywayCheck.selectedProperty().bindBidirectional(vm.scaleAnywayProperty());
            hpaMinSpinner.disableProperty().bind(vm.changeRangeProperty().not());
            hpaMaxSpinner.disableProperty().bind(vm.changeRangeProperty().not());
            replicasSpinner.disableProperty().bind(vm.changeRangeProperty());
            vm.autoscalerProperty().addListener((o, a, hpa) -> {
                autoscalerBox.setVisible(hpa != null);
                autoscalerBox.setManaged(hpa != null);
                autoscalerLabel.setText(hpa == null ? "" : "Autoscaled by " + hpa.describe() + ".");
                resize();
            });
        }
        reasonField.textProperty().bindBidirectional(vm.reasonProperty());
        planSummary.textProperty().bind(vm.planSummaryProperty());
        planSummary.getStyleClass().add("plan-loading");
        vm.planStateProperty().addListener((o, a, s) -> {
            planSummary.getStyleClass().removeAll("plan-loading", "plan-ready", "plan-refused");
            planSummary.getStyleClass().add(switch (s) {
                case LOADING -> "plan-loading";
                case READY -> "plan-ready";
                case REFUSED, ERROR -> "plan-refused";
            });
        });
        warnings.textProperty().bind(vm.warningsProperty());
        vm.warningsProperty().addListener((o, a, b) -> {
            warnings.setVisible(!b.isEmpty());
            warnings.setManaged(!b.isEmpty());
        });
        planText.textProperty().bind(vm.planTextProperty());
        String word = vm.confirmWord();
        if (word != null) {
            confirmBox.setVisible(true);
            confirmBox.setManaged(true);
            confirmPrompt.setText((p.action() == Action.SHIP ? p.environment() + " is a production environment: this changes what runs there"
                    : "This changes what runs in " + p.environment()) + ". Type " + word + " to confirm.");
            confirmField.setPromptText(word);
            confirmField.textProperty().bindBidirectional(vm.typedProperty());
        }
    }

    /** Shows the dialog; {@code onConfirm} gets the view model when the person confirms. */
    public void show(Window owner, boolean dark, Consumer<CommandDialogViewModel> onConfirm) {
        dialog.setTitle(vm.title());
        dialog.setHeaderText(vm.title());
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, confirmType);
        dialog.getDialogPane().setId("command-dialog");
        Button confirm = (Button) dialog.getDialogPane().lookupButton(confirmType);
        confirm.setId("confirm-button");
        confirm.getStyleClass().add(vm.confirmWord() != null ? "danger" : "accent");
        confirm.disableProperty().bind(vm.canConfirmBinding().not());
        Button cancel = (Button) dialog.getDialogPane().lookupButton(ButtonType.CANCEL);
        cancel.setId("cancel-button");
        if (owner != null) dialog.initOwner(owner);
        Theme.style(dialog.getDialogPane(), dark);
        dialog.setResizable(true);
        dialog.setOnHidden(e -> {
            vm.cancel(); // a dry run still being computed has nobody to show it to
            if (dialog.getResult() == confirmType) onConfirm.accept(vm);
        });
        // grow the window when the plan arrives or the patch is shown
        patchPane.expandedProperty().addListener((o, a, b) -> resize());
        vm.planTextProperty().addListener((o, a, b) -> resize());
        vm.warningsProperty().addListener((o, a, b) -> resize());
        dialog.getDialogPane().setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        vm.loadPlan();
        dialog.show();
        // the window behind the pane takes the theme's background, not white, while it grows with the plan
        dialog.getDialogPane().getScene().setFill(javafx.scene.paint.Color.web(dark ? "#0d1117" : "#ffffff"));
        if (vm.confirmWord() != null) confirmField.requestFocus();
    }

    private void resize() {
        javafx.application.Platform.runLater(() -> {
            if (dialog.getDialogPane().getScene() != null && dialog.getDialogPane().getScene().getWindow() != null) {
                dialog.getDialogPane().getScene().getWindow().sizeToScene();
            }
        });
    }

    public Dialog<ButtonType> dialog() { return dialog; }

    public TitledPane patchPane() { return patchPane; }
}

package dev.shipdeck.app.commands;

import dev.shipdeck.core.commands.Availability;
import dev.shipdeck.core.model.Action;
import javafx.collections.MapChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;


/**
 * Action buttons that follow an {@link ActionsViewModel}: disabled with the reason in the tooltip when the action
 * is not allowed. A disabled button gets no mouse events, so the tooltip also sits on a wrapper around it.
 */
public final class ActionButtons {
    private ActionButtons() {}

    /** A button for {@code a}, wrapped. */
    public static StackPane create(Action a, ActionsViewModel actions, Runnable onClick) {
        Button b = new Button(label(a), new FontIcon(icon(a)));
        b.setId("action-" + a.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        b.getStyleClass().add(a.confirmWord() != null ? "action-destructive" : "action-safe");
        b.setOnAction(e -> onClick.run());
        StackPane wrap = new StackPane(b);
        wrap.getStyleClass().add("action-wrap");
        Runnable draw = () -> draw(b, wrap, a, actions.get(a));
        actions.availability().addListener((MapChangeListener<Action, Availability>) c -> {
            if (c.getKey() == a) draw.run();
        });
        draw.run();
        return wrap;
    }

    /**
     * A button for {@code a} whose words ({@code Ship 0.9.5 from staging}) and availability come from the view
     * model (an action whose reason may come from outside the workload's checks), wrapped like the others.
     */
    public static StackPane create(Action a, javafx.beans.value.ObservableValue<Availability> availability,
                                   javafx.beans.value.ObservableValue<String> text, Runnable onClick) {
        Button b = new Button(label(a), new FontIcon(icon(a)));
        b.setId("action-" + a.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        b.getStyleClass().add("action-safe");
        b.textProperty().bind(text);
        b.setOnAction(e -> onClick.run());
        StackPane wrap = new StackPane(b);
        wrap.getStyleClass().add("action-wrap");
        Runnable draw = () -> draw(b, wrap, a, availability.getValue() == null ? ActionsViewModel.CHECKING : availability.getValue());
        availability.addListener((o, x, y) -> draw.run());
        draw.run();
        return wrap;
    }

    private static void draw(Button b, StackPane wrap, Action a, Availability av) {
        b.setDisable(!av.allowed());
        String text = av.allowed() ? describe(a) : av.reason();
        Tooltip t = new Tooltip(text);
        t.setShowDelay(Duration.millis(250));
        t.setWrapText(true);
        t.setMaxWidth(480);
        b.setTooltip(t);
        Tooltip.uninstall(wrap, (Tooltip) wrap.getProperties().get("tooltip"));
        if (!av.allowed()) {
            Tooltip w = new Tooltip(text);
            w.setShowDelay(Duration.millis(250));
            w.setWrapText(true);
            w.setMaxWidth(480);
            Tooltip.install(wrap, w);
            wrap.getProperties().put("tooltip", w);
        }
    }

    /** The button text. */
    public static String label(Action a) {
        return a.label();
    }

    public static String describe(Action a) {
        return a.summary();
    }

    public static Feather icon(Action a) {
        return switch (a) {
            case RESTORE_VERSION -> Feather.ROTATE_CCW;
            case SCALE -> Feather.SLIDERS;
            case RESTART -> Feather.REFRESH_CW;
            case RETRY -> Feather.REPEAT;
            case PROMOTE -> Feather.CHEVRONS_RIGHT;
            case PROMOTE_FULL -> Feather.FAST_FORWARD;
            case CANCEL -> Feather.X_OCTAGON;
            case EDIT_LABELS -> Feather.EDIT_2;
            case SHIP -> Feather.SEND;
        };
    }

    /** The in-place progress line under the actions. */
    public static Label progressLabel(CommandRunner runner) {
        return progressLabel(runner.progressProperty());
    }

    /** The progress line of the commands run from a view ({@code progress} null: none yet). */
    public static Label progressLabel(javafx.beans.value.ObservableValue<CommandRunner.Progress> progress) {
        Label l = new Label();
        l.setId("command-progress");
        l.setWrapText(true);
        l.getStyleClass().add("command-progress");
        l.setVisible(false);
        l.setManaged(false);
        progress.addListener((o, old, p) -> {
            l.setVisible(p != null);
            l.setManaged(p != null);
            if (p == null) return;
            l.setText(p.text());
            l.getStyleClass().removeAll("progress-running", "progress-succeeded", "progress-failed");
            l.getStyleClass().add("progress-" + p.state().name().toLowerCase(java.util.Locale.ROOT));
            l.setGraphic(new FontIcon(switch (p.state()) {
                case RUNNING -> Feather.LOADER;
                case SUCCEEDED -> Feather.CHECK_CIRCLE;
                case FAILED -> Feather.ALERT_CIRCLE;
            }));
        });
        return l;
    }
}

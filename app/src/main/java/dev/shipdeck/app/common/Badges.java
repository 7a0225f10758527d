package dev.shipdeck.app.common;

import dev.shipdeck.core.model.ReleaseStatus;
import javafx.animation.Animation;
import javafx.animation.Interpolator;
import javafx.animation.KeyFrame;
import javafx.animation.KeyValue;
import javafx.animation.Timeline;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.scene.control.Label;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.Locale;

/**
 * Status badges: a label with an icon and the status word (never colour alone), styled per status
 * ({@code badge-running}, …). RUNNING badges spin their icon; all of them share one animation.
 */
public final class Badges {
    private final DoubleProperty spin = new SimpleDoubleProperty(0);
    private final Timeline animation = new Timeline(
            new KeyFrame(Duration.ZERO, new KeyValue(spin, 0)),
            new KeyFrame(Duration.seconds(1.6), new KeyValue(spin, 360, Interpolator.LINEAR)));

    public Badges() {
        animation.setCycleCount(Animation.INDEFINITE);
    }

    public void start() { animation.play(); }

    public void stop() { animation.stop(); }

    /** A fresh, empty badge. */
    public Label create() {
        Label l = new Label();
        l.getStyleClass().add("badge");
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    public Label create(ReleaseStatus s) {
        Label l = create();
        show(l, s);
        return l;
    }

    /** Shows {@code s} on {@code badge}; {@code null} clears it (for empty table cells). */
    public void show(Label badge, ReleaseStatus s) {
        badge.getStyleClass().removeIf(c -> c.startsWith("badge-"));
        if (badge.getGraphic() instanceof FontIcon old) old.rotateProperty().unbind();
        if (s == null) {
            badge.setText(null);
            badge.setGraphic(null);
            badge.setVisible(false);
            return;
        }
        badge.setVisible(true);
        badge.setText(s.name());
        badge.getStyleClass().add("badge-" + s.name().toLowerCase(Locale.ROOT));
        FontIcon icon = new FontIcon(icon(s));
        icon.getStyleClass().add("badge-icon");
        if (s == ReleaseStatus.RUNNING) icon.rotateProperty().bind(spin);
        badge.setGraphic(icon);
        badge.setAccessibleText("status " + s.name());
    }

    public static Feather icon(ReleaseStatus s) {
        return switch (s) {
            case RUNNING -> Feather.LOADER;
            case PENDING -> Feather.CLOCK;
            case SUCCESS -> Feather.CHECK_CIRCLE;
            case FAILED -> Feather.X_CIRCLE;
            case CANCELLED -> Feather.SLASH;
            case EXPIRED -> Feather.ALERT_TRIANGLE;
            case LOGGED -> Feather.FILE_TEXT;
        };
    }

    /** The small tag beside a badge that marks a progressive (canary) rollout. */
    public static Label progressiveTag() {
        Label l = new Label("PROGRESSIVE");
        l.getStyleClass().add("tag-progressive");
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }
}

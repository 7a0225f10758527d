package dev.shipdeck.app.common;

import dev.shipdeck.core.model.ReleaseStatus;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;

/**
 * A status badge with the PROGRESSIVE tag beside it, as every table cell and page title shows a status: one
 * implementation for the timeline, the components tab, the releases tables and the component and release pages.
 */
public final class StatusBadge extends HBox {
    private final Badges badges;
    private final Label badge;
    private final Label tag = Badges.progressiveTag();

    /** For table cells. */
    public StatusBadge(Badges badges) {
        this(badges, 6);
    }

    /** With the spacing of where it sits (page titles space their badges wider). */
    public StatusBadge(Badges badges, double spacing) {
        super(spacing);
        this.badges = badges;
        this.badge = badges.create();
        setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        getChildren().addAll(badge, tag);
        show(null, false, null);
    }

    /**
     * Shows {@code status}, with the tag when {@code progressive} (a canary rollout) and {@code tooltip} on the badge
     * (none when null); a null status clears both (empty table cells, a component gone from the cluster).
     */
    public void show(ReleaseStatus status, boolean progressive, String tooltip) {
        badges.show(badge, status);
        boolean tagged = status != null && progressive;
        tag.setVisible(tagged);
        tag.setManaged(tagged);
        badge.setTooltip(status == null || tooltip == null ? null : new Tooltip(tooltip));
    }

    /** The badge itself (ids and clicks go on it). */
    public Label badge() { return badge; }
}

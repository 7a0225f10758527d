package dev.shipdeck.app.common;

import dev.shipdeck.core.model.Trigger;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * What triggered a release, as links that open in the browser: short in a table cell (pipeline number, commit),
 * spelled out on the release page (Pipeline, Job, Commit). A link without an address is shown disabled.
 */
public final class TriggerLinks {
    private TriggerLinks() {}

    /** Redraws {@code box} for a table cell; {@code t} null clears it (an empty row), an empty trigger reads "—". */
    public static void cell(HBox box, Trigger t, Desktop desktop) {
        box.getChildren().clear();
        if (t == null) return;
        if (t.isEmpty()) {
            box.getChildren().add(muted("—"));
            return;
        }
        if (!t.pipelineUrl().isEmpty()) box.getChildren().add(cellLink(t.shortText().split(" ")[0], t.pipelineUrl(), desktop));
        if (!t.commitSha().isEmpty()) box.getChildren().add(cellLink(sha(t), commitUrl(t), desktop));
    }

    /** Redraws {@code box} for the release page, or says which annotations would fill it. */
    public static void page(HBox box, Trigger t, Desktop desktop) {
        box.getChildren().clear();
        if (t.isEmpty()) {
            box.getChildren().add(muted("no trigger recorded (shipdeck.dev/pipeline-url, job-url, commit-sha annotations)"));
            return;
        }
        if (!t.pipelineUrl().isEmpty()) box.getChildren().add(pageLink("Pipeline " + t.shortText().split(" ")[0], t.pipelineUrl(), "trigger-pipeline", desktop));
        if (!t.jobUrl().isEmpty()) box.getChildren().add(pageLink("Job", t.jobUrl(), "trigger-job", desktop));
        if (!t.commitSha().isEmpty()) box.getChildren().add(pageLink("Commit " + sha(t), commitUrl(t), "trigger-commit", desktop));
    }

    private static String sha(Trigger t) {
        return t.commitSha().length() > 7 ? t.commitSha().substring(0, 7) : t.commitSha();
    }

    private static String commitUrl(Trigger t) {
        return t.commitUrl().isEmpty() ? null : t.commitUrl();
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("muted");
        return l;
    }

    private static Hyperlink cellLink(String text, String url, Desktop desktop) {
        Hyperlink h = link(new Hyperlink(text), url, desktop);
        h.getStyleClass().add("cell-link");
        h.setFocusTraversable(false);
        return h;
    }

    private static Hyperlink pageLink(String text, String url, String id, Desktop desktop) {
        Hyperlink h = link(new Hyperlink(text, new FontIcon(Feather.EXTERNAL_LINK)), url, desktop);
        h.setId(id);
        h.setContentDisplay(ContentDisplay.RIGHT);
        return h;
    }

    private static Hyperlink link(Hyperlink h, String url, Desktop desktop) {
        if (url == null) {
            h.setDisable(true);
        } else {
            h.setTooltip(new Tooltip(url));
            h.setOnAction(e -> desktop.openLink(url));
        }
        return h;
    }
}

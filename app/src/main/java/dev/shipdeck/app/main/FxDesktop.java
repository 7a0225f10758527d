package dev.shipdeck.app.main;

import dev.shipdeck.app.common.Desktop;
import javafx.application.HostServices;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

import java.util.function.Supplier;

/** Links open in the person's browser (HostServices); notifications are ControlsFX popups, also kept in a list. */
public final class FxDesktop implements Desktop {
    private final HostServices hostServices;
    private final Supplier<Window> owner;
    private final ObservableList<String> shown = FXCollections.observableArrayList();

    public FxDesktop(HostServices hostServices, Supplier<Window> owner) {
        this.hostServices = hostServices;
        this.owner = owner;
    }

    @Override
    public void openLink(String url) {
        if (hostServices != null) {
            hostServices.showDocument(url);
        } else {
            org.slf4j.LoggerFactory.getLogger(FxDesktop.class).info("open {}", url);
        }
        shown.add("link: " + url);
    }

    @Override
    public void notifyFailure(String title, String text) {
        shown.add("failure: " + title + ": " + text);
        notifications(title, text).hideAfter(Duration.seconds(12)).showError();
    }

    @Override
    public void notifyInfo(String title, String text) {
        shown.add("info: " + title + ": " + text);
        notifications(title, text).hideAfter(Duration.seconds(5)).showInformation();
    }

    private Notifications notifications(String title, String text) {
        Notifications n = Notifications.create().title(title).text(text).position(Pos.BOTTOM_RIGHT);
        Window w = owner.get();
        if (w != null && w.isShowing()) n.owner(w);
        return n;
    }

    /** Everything shown so far (links opened, notifications raised), newest last. */
    public ObservableList<String> shown() { return FXCollections.unmodifiableObservableList(shown); }
}

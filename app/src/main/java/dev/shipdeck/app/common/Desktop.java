package dev.shipdeck.app.common;

/** What the window offers its views: opening links in the browser and raising notifications. */
public interface Desktop {
    void openLink(String url);

    /** A popup for a failure the person should see even when looking elsewhere. */
    void notifyFailure(String title, String text);

    /** A short confirmation popup. */
    void notifyInfo(String title, String text);
}

package dev.shipdeck.app.common;

/** What the window offers its views: opening links in the browser and raising notifications. */
public interface Desktop {
    /** A desktop that opens nothing and raises nothing (view-model tests, a window without one). */
    Desktop NONE = new Desktop() {
        @Override
        public void openLink(String url) { }

        @Override
        public void notifyFailure(String title, String text) { }

        @Override
        public void notifyInfo(String title, String text) { }
    };

    void openLink(String url);

    /** A popup for a failure the person should see even when looking elsewhere. */
    void notifyFailure(String title, String text);

    /** A short confirmation popup. */
    void notifyInfo(String title, String text);
}

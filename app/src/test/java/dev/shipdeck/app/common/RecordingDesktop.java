package dev.shipdeck.app.common;

import java.util.ArrayList;
import java.util.List;

/** Remembers links and notifications instead of showing them. */
public final class RecordingDesktop implements Desktop {
    public final List<String> events = new ArrayList<>();

    @Override
    public void openLink(String url) { events.add("link " + url); }

    @Override
    public void notifyFailure(String title, String text) { events.add("failure " + title + ": " + text); }

    @Override
    public void notifyInfo(String title, String text) { events.add("info " + title + ": " + text); }
}

package dev.shipdeck.app.main;

/** Builds pages for the open session. */
public interface PageFactory {
    Page component(Session session, String environment, String component);

    Page release(Session session, String releaseId);

    Page environment(Session session, String environment);

    /** The session's dialog service, for the commands a tab runs (the Matrix's ship). */
    dev.shipdeck.app.commands.DialogService dialogs(Session session);
}

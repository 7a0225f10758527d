package dev.shipdeck.app.commands;

import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Errors;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.CommandResult;
import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.model.Action;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.util.function.Consumer;

/**
 * Runs a confirmed command in the background and reports progress and outcome in place; failures also raise a
 * notification. {@code afterRun} refreshes what depends on it (the Commands tab, the buttons).
 */
public final class CommandRunner {
    /** What the page shows under its actions. */
    public record Progress(Action action, State state, String text) {
        public enum State { RUNNING, SUCCEEDED, FAILED }
    }

    private final Tasks tasks;
    private final CommandService service;
    private final Desktop desktop;
    private final Consumer<CommandResult> afterRun;
    private final ReadOnlyObjectWrapper<Progress> progress = new ReadOnlyObjectWrapper<>(this, "progress");

    public CommandRunner(Tasks tasks, CommandService service, Desktop desktop, Consumer<CommandResult> afterRun) {
        this.tasks = tasks;
        this.service = service;
        this.desktop = desktop;
        this.afterRun = afterRun;
    }

    /** {@code what} says it in words, e.g. "Restoring payments-api in prod-eu to 2.9.0". */
    public void run(CommandRequest r, String what) {
        progress.set(new Progress(r.action(), Progress.State.RUNNING, what + "…"));
        tasks.run(() -> service.run(r), result -> {
            boolean ok = result.outcome() == Outcome.SUCCEEDED || result.outcome() == Outcome.SKIPPED;
            String text = describe(result);
            progress.set(new Progress(r.action(), ok ? Progress.State.SUCCEEDED : Progress.State.FAILED, text));
            if (!ok) desktop.notifyFailure(title(r, result.outcome()), result.message());
            afterRun.accept(result);
        }, e -> {
            String msg = Errors.oneLine(e);
            progress.set(new Progress(r.action(), Progress.State.FAILED, "Failed: " + msg));
            desktop.notifyFailure(title(r, Outcome.FAILED), msg);
            afterRun.accept(null);
        });
    }

    static String describe(CommandResult r) {
        String head = switch (r.outcome()) {
            case SUCCEEDED -> "Done: ";
            case SKIPPED -> "Nothing to do: ";
            case REFUSED -> "Refused: ";
            case CONFLICT -> "Conflict: ";
            case FAILED -> "Failed: ";
            case PLANNED -> "Planned: ";
        };
        StringBuilder sb = new StringBuilder(head).append(r.message());
        for (String w : r.warnings()) sb.append("\nWarning: ").append(w);
        return sb.toString();
    }

    private static String title(CommandRequest r, Outcome o) {
        return CommandProposal.verbNoun(r.action()) + " " + r.component() + " in " + r.environment() + ": "
                + o.name().toLowerCase(java.util.Locale.ROOT);
    }

    public ReadOnlyObjectProperty<Progress> progressProperty() { return progress.getReadOnlyProperty(); }

    public boolean running() {
        return progress.get() != null && progress.get().state() == Progress.State.RUNNING;
    }
}

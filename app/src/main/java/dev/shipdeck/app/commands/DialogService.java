package dev.shipdeck.app.commands;

import dev.shipdeck.app.common.Tasks;
import javafx.stage.Window;

import dev.shipdeck.core.commands.CommandRequest;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Opens the confirmation dialog of a command for every page of a session: owns the window the dialogs belong to,
 * the theme they take and the command service their dry runs go through, so that pages only say what to confirm
 * and what to do once it is confirmed.
 */
public final class DialogService {
    private final Supplier<Window> owner;
    private final BooleanSupplier dark;
    private final Tasks tasks;
    private final CommandService commands;
    private CommandDialogView last;

    public DialogService(Supplier<Window> owner, BooleanSupplier dark, Tasks tasks, CommandService commands) {
        this.owner = owner;
        this.dark = dark;
        this.tasks = tasks;
        this.commands = commands;
    }

    /**
     * Shows the confirmation of {@code p} (nothing when null: the page has nothing to propose yet); {@code onConfirm}
     * gets the request as confirmed (the replica count or autoscaler range chosen in the dialog, the reason typed).
     */
    public CommandDialogView confirm(CommandProposal p, Consumer<CommandRequest> onConfirm) {
        if (p == null) return null;
        CommandDialogView d = new CommandDialogView(new CommandDialogViewModel(tasks, commands, p));
        last = d;
        d.show(owner.get(), dark.getAsBoolean(), confirmed -> onConfirm.accept(confirmed.request()));
        return d;
    }

    /** The dialog shown last, for the screenshot tour. */
    public CommandDialogView last() { return last; }

    public CommandService commands() { return commands; }
}

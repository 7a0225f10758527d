package dev.shipdeck.app.commands;

import dev.shipdeck.core.commands.Availability;
import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.CommandResult;
import dev.shipdeck.core.commands.Commands;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Workload;

import java.util.List;

/** Core's commands as the desktop uses them. Every method blocks on the network: call through Tasks. */
public interface CommandService {
    Availability availability(Component c, Workload w, Action a);

    CommandResult plan(CommandRequest r);

    CommandResult run(CommandRequest r);

    List<CommandRecord> history(String environment, String component);

    /**
     * The request as it will be run: a ship with what it ships (the source environment's version and images, read
     * now) in its args, so the dry run shown and the confirmed run ship the same; other requests as they are.
     */
    default CommandRequest prepare(CommandRequest r) { return r; }

    /** Backed by core's {@link Commands}. */
    static CommandService of(Commands commands) {
        return new CommandService() {
            @Override
            public Availability availability(Component c, Workload w, Action a) { return commands.availability(c, w, a); }

            @Override
            public CommandResult plan(CommandRequest r) { return commands.plan(r); }

            @Override
            public CommandResult run(CommandRequest r) { return commands.run(r); }

            @Override
            public List<CommandRecord> history(String environment, String component) { return commands.history(environment, component); }

            @Override
            public CommandRequest prepare(CommandRequest r) { return commands.prepare(r); }
        };
    }
}

package dev.shipdeck.core.commands;

import java.util.List;

/** Where executed commands are recorded (in memory, or as ReleaseCommand resources in the cluster). */
public interface CommandLog {
    void record(CommandRecord r);

    /** Newest first; null arguments match all. */
    List<CommandRecord> history(String environment, String component);
}

package dev.shipdeck.core.commands;

import dev.shipdeck.core.model.Action;

import java.time.Instant;
import java.util.Map;

/** The audit entry of one executed command: who ran what, when, with which outcome. */
public record CommandRecord(String id, Action action, String environment, String component, String namespace,
                            String workload, Map<String, String> args, String who, Instant at, Outcome outcome, String message) {
    public CommandRecord {
        args = Map.copyOf(args);
    }
}

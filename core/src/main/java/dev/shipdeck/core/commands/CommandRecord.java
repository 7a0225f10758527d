package dev.shipdeck.core.commands;

import dev.shipdeck.core.model.Action;

import java.time.Instant;
import java.util.Map;

/**
 * The audit entry of one executed command: who ran what, when, why (the person's reason, empty when none was given),
 * with which outcome.
 */
public record CommandRecord(String id, Action action, String environment, String component, String namespace,
                            String workload, Map<String, String> args, String who, Instant at, Outcome outcome, String message,
                            String reason) {
    public CommandRecord {
        args = Map.copyOf(args);
        reason = reason == null ? "" : reason;
    }

    public CommandRecord(String id, Action action, String environment, String component, String namespace, String workload,
                         Map<String, String> args, String who, Instant at, Outcome outcome, String message) {
        this(id, action, environment, component, namespace, workload, args, who, at, outcome, message, "");
    }
}

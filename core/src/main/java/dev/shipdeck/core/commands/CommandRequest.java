package dev.shipdeck.core.commands;

import dev.shipdeck.core.model.Action;

import java.util.Map;

/**
 * What a person asks for. {@code namespace}/{@code workload} may be null when the component has one workload.
 * Args: {@code toVersion} or {@code toRevision} (restore), {@code replicas} (scale).
 */
public record CommandRequest(Action action, String environment, String component, String namespace, String workload,
                             Map<String, String> args) {
    public CommandRequest {
        args = args == null ? Map.of() : Map.copyOf(args);
    }

    public static CommandRequest of(Action action, String environment, String component, Map<String, String> args) {
        return new CommandRequest(action, environment, component, null, null, args);
    }

    public String arg(String key) {
        return args.getOrDefault(key, "");
    }
}

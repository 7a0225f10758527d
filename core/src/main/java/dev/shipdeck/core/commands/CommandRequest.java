package dev.shipdeck.core.commands;

import dev.shipdeck.core.model.Action;

import java.util.Map;

/**
 * What a person asks for. {@code namespace}/{@code workload} may be null when the component has one workload.
 * Args: {@code toVersion} or {@code toRevision} (restore); {@code replicas} and {@code force}, or {@code hpaMin} and
 * {@code hpaMax} (scale: the range of the HorizontalPodAutoscaler that manages the workload instead).
 *
 * @param reason why the person runs it, in their words (empty when none was given): stored in the ReleaseCommand
 *               record and written into the Event on the workload
 * @param requestedBy who queued it, for a command the agent runs on someone's behalf (empty otherwise)
 */
public record CommandRequest(Action action, String environment, String component, String namespace, String workload,
                             Map<String, String> args, String reason, String requestedBy) {
    /** The longest reason kept (an Event's message holds at most 1024 bytes, with who and what). */
    public static final int MAX_REASON = 512;

    public CommandRequest {
        args = args == null ? Map.of() : Map.copyOf(args);
        reason = reason == null ? "" : reason.strip().replaceAll("\\s*\\R\\s*", " ");
        requestedBy = requestedBy == null ? "" : requestedBy;
    }

    public CommandRequest(Action action, String environment, String component, String namespace, String workload, Map<String, String> args) {
        this(action, environment, component, namespace, workload, args, "", "");
    }

    public static CommandRequest of(Action action, String environment, String component, Map<String, String> args) {
        return new CommandRequest(action, environment, component, null, null, args);
    }

    /** The same request with the person's reason. */
    public CommandRequest withReason(String why) {
        return new CommandRequest(action, environment, component, namespace, workload, args, why, requestedBy);
    }

    public String arg(String key) {
        return args.getOrDefault(key, "");
    }
}

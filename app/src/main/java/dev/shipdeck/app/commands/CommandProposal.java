package dev.shipdeck.app.commands;

import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.Confirmation;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;

import java.util.Map;

/**
 * A command a person is about to confirm: which component, environment and workload, and the change in words
 * ({@code version 3.0.0 → 2.9.0 (revision 3)}, {@code 3 → 5 replicas}).
 *
 * @param confirmWord the word to type to confirm ({@link Confirmation#word}), or null when a plain confirmation suffices
 */
public record CommandProposal(Action action, String environment, String component, String namespace, String workload,
                              String kind, String change, Map<String, String> args, int currentReplicas, String confirmWord) {
    public CommandProposal {
        args = Map.copyOf(args);
    }

    /** With the action's own word to type (destructive actions), as every action but a ship into a non-production environment. */
    public CommandProposal(Action action, String environment, String component, String namespace, String workload,
                           String kind, String change, Map<String, String> args, int currentReplicas) {
        this(action, environment, component, namespace, workload, kind, change, args, currentReplicas, action.confirmWord());
    }

    /**
     * Ship {@code version} of the component from environment {@code from} into {@code target}'s workload {@code w}
     * (its images and version label, nothing else); the word {@code SHIP} is typed when {@code target} is production.
     */
    public static CommandProposal ship(Component target, Workload w, Environment targetEnvironment, String from, String version) {
        String change = "version " + w.version() + " → " + version + " (the images and version label " + from + " runs)";
        return new CommandProposal(Action.SHIP, target.environment(), target.name(), w.namespace(), w.name(), w.kind().kind(), change,
                Map.of("from", from), w.desiredReplicas(), Confirmation.word(Action.SHIP, targetEnvironment));
    }

    public CommandRequest request() {
        return new CommandRequest(action, environment, component, namespace, workload, args);
    }

    public CommandRequest request(Map<String, String> otherArgs) {
        return new CommandRequest(action, environment, component, namespace, workload, otherArgs);
    }

    /** Restore {@code target} (or, when null, the version before the current one). */
    public static CommandProposal restore(Component c, Workload w, VersionInfo target) {
        VersionInfo to = target != null ? target : previous(w);
        String change = to == null ? "the previous version" : "version " + w.version() + " → " + to.version() + " (revision " + to.revision() + ")";
        Map<String, String> args = to == null ? Map.of() : Map.of("toRevision", Long.toString(to.revision()));
        return new CommandProposal(Action.RESTORE_VERSION, c.environment(), c.name(), w.namespace(), w.name(), w.kind().kind(), change, args,
                w.desiredReplicas());
    }

    /** Set the workload's labels to {@code labels} (its {@code shipdeck.dev/labels} annotation). */
    public static CommandProposal labels(Component c, Workload w, Labels labels) {
        String now = ownLabels(w);
        String change = "labels " + (now.isEmpty() ? "(none)" : now) + " → " + (labels.items().isEmpty() ? "(none)" : labels.toAnnotation());
        return new CommandProposal(Action.EDIT_LABELS, c.environment(), c.name(), w.namespace(), w.name(), w.kind().kind(), change,
                Map.of("labels", labels.toAnnotation()), w.desiredReplicas());
    }

    /** The labels a workload's own annotation gives it (a component's labels also have its namespace's). */
    public static String ownLabels(Workload w) {
        for (String key : new String[] {"shipdeck.dev/labels", "circleci.com/labels"}) {
            String v = w.annotations().getOrDefault(key, "");
            if (!v.isBlank()) return Labels.parseLenient(v).toAnnotation();
        }
        return "";
    }

    public static CommandProposal scale(Component c, Workload w) {
        return new CommandProposal(Action.SCALE, c.environment(), c.name(), w.namespace(), w.name(), w.kind().kind(),
                "replicas " + w.desiredReplicas() + " → ", Map.of("replicas", Integer.toString(w.desiredReplicas())), w.desiredReplicas());
    }

    /** Restart, promote, promote full, retry, cancel: no arguments. */
    public static CommandProposal simple(Action a, Component c, Workload w) {
        String change = switch (a) {
            case RESTART -> "new pods for version " + w.version() + " (" + w.desiredReplicas() + " replicas), one at a time";
            case PROMOTE -> w.rollout() == null ? "next step" : "canary step " + (w.rollout().currentStepIndex() + 1) + " → "
                    + Math.min(w.rollout().currentStepIndex() + 2, w.rollout().steps().size()) + " of " + w.rollout().steps().size();
            case PROMOTE_FULL -> "skip the remaining canary steps: version " + w.version() + " takes all traffic";
            case RETRY -> "restart the aborted rollout of version " + w.version();
            case CANCEL -> "abort the rollout of version " + w.version() + ": traffic goes back to the stable version";
            default -> a.name();
        };
        return new CommandProposal(a, c.environment(), c.name(), w.namespace(), w.name(), w.kind().kind(), change, Map.of(), w.desiredReplicas());
    }

    /** The version before the current one (second newest revision), as {@code kubectl rollout undo} picks it. */
    public static VersionInfo previous(Workload w) {
        return w.versions().size() < 2 ? null : w.versions().get(1);
    }

    /** A short title: "Restore", "Scale", … */
    public static String verbNoun(Action a) {
        return a.verb();
    }

    /** "Restoring payments-api in prod-eu to 2.9.0" and the like, for the progress line. */
    public String progressText(Map<String, String> finalArgs) {
        return switch (action) {
            case RESTORE_VERSION -> "Restoring " + component + " in " + environment + ": " + change;
            case SCALE -> finalArgs.containsKey("hpaMin") || finalArgs.containsKey("hpaMax")
                    ? "Changing the autoscaler range of " + component + " in " + environment + " to "
                    + finalArgs.getOrDefault("hpaMin", "…") + "–" + finalArgs.getOrDefault("hpaMax", "…")
                    : "Scaling " + component + " in " + environment + " to " + finalArgs.getOrDefault("replicas", "?") + " replicas";
            case RESTART -> "Restarting " + component + " in " + environment;
            case PROMOTE -> "Promoting " + component + " in " + environment;
            case PROMOTE_FULL -> "Promoting " + component + " in " + environment + " fully";
            case RETRY -> "Retrying the rollout of " + component + " in " + environment;
            case CANCEL -> "Cancelling the rollout of " + component + " in " + environment;
            case EDIT_LABELS -> "Saving the labels of " + component + " in " + environment + ": " + change;
            case SHIP -> "Shipping " + finalArgs.getOrDefault("version", "") + " of " + component + " from "
                    + finalArgs.getOrDefault("from", "?") + " to " + environment;
        };
    }
}

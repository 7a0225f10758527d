package dev.shipdeck.cli;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.commands.CommandRequest;
import dev.shipdeck.core.commands.CommandResult;
import dev.shipdeck.core.commands.Commands;
import dev.shipdeck.core.commands.Confirmation;
import dev.shipdeck.core.commands.NotFoundException;
import dev.shipdeck.core.commands.Outcome;
import dev.shipdeck.core.commands.PlannedRequest;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.records.ClusterCommandLog;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The base of the commands that change a component (restore, scale, restart, promote, retry, cancel, label): the
 * same requests as kubectl and the Argo Rollouts plugin, after the same guards and a permission check. Asks for
 * confirmation on a terminal; without one it needs {@code --yes}. Exit codes: 0 done (or nothing to do),
 * 4 refused by a guard or RBAC, 1 the API failed, 6 someone else changed the workload in between.
 */
abstract class ActionCommand extends ClusterCommand {
    @Override
    final boolean listsRows() {
        return false;
    }

    @Parameters(index = "0", paramLabel = "COMPONENT", description = "The component (value of shipdeck.dev/component-name).")
    String component;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", converter = NamespaceConverter.class, description = "The workload's namespace, when the component has several workloads.")
    String namespace;

    @Option(names = "--workload", paramLabel = "NAME", description = "The Deployment or Rollout, when the component has several workloads.")
    String workload;

    @Option(names = "--dry-run", description = "Print the exact requests that would be sent, and send nothing.")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (needed when there is no terminal).")
    boolean yes;

    @Option(names = "--queue", description = "Queue the command for the in-cluster Shipdeck agent instead of sending it yourself.")
    boolean queue;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why you run it: kept in the ReleaseCommand record and written, with who "
            + "and what, into a Kubernetes Event on the workload (kubectl get events shows it).")
    String reason;

    /** The action this command runs. */
    abstract Action action();

    /** The name of the environment the command changes. */
    abstract String targetEnvironment();

    /** The environments the command reads besides the target (a ship's source). */
    List<String> otherEnvironments() {
        return List.of();
    }

    /** Its arguments (toVersion, toRevision, replicas, labels/add/remove). */
    Map<String, String> args() {
        return Map.of();
    }

    @Override
    final int run(Session session) {
        Environment env = session.select(List.of(targetEnvironment())).get(0);
        List<Environment> envs = new java.util.ArrayList<>(List.of(env));
        for (String other : otherEnvironments()) envs.add(session.select(List.of(other)).get(0));
        CommandRequest request = new CommandRequest(action(), env.name(), component, namespace, workload, args(), reason(), "");
        if (queue && dryRun) throw new CliException(ExitCodes.USAGE, "--queue and --dry-run cannot be combined", "drop one of them");
        // direct commands are recorded as ReleaseCommands when the Shipdeck CRDs are installed (else kept in memory)
        Commands commands = new Commands(session.clients(), envs,
                new ClusterCommandLog(session.clients(), List.of(env), Clock.systemUTC()), Clock.systemUTC());
        try {
            // a ship reads what it ships now, so the plan, the confirmed run and a queued command ship the same
            request = commands.prepare(request);
            if (queue) {
                confirm(request, env, "queue " + verb() + " of " + component + " in " + env.name());
                QueuedCommands.submit(session, env, request, out());
                return ExitCodes.OK;
            }
            CommandResult plan = commands.plan(request);
            if (plan.outcome() != Outcome.PLANNED || dryRun) {
                return report(session, env, request, plan);
            }
            confirm(request, env, plan.message() + (action() == Action.SHIP ? "" : " in " + env.name()));
            // what was planned (and confirmed), or a conflict when someone else changed the workload meanwhile
            return report(session, env, request, commands.run(request, plan));
        } catch (NotFoundException e) {
            throw CliException.of(ExitCodes.NOT_FOUND, e);
        } catch (ShipdeckException e) {
            // unreachable, timed out, 401, 403 on the reads before the write: the same words and exit codes as reads
            throw ClusterProblems.of(env, e, ExitCodes.FAILED);
        }
    }

    /** The reason given, checked: one line of at most {@link CommandRequest#MAX_REASON} characters. */
    private String reason() {
        if (reason == null) return "";
        String r = reason.strip();
        if (r.isEmpty()) throw new CliException(ExitCodes.USAGE, "--reason is empty", "say in a few words why, e.g. --reason \"roll back the 2.3 outage\"");
        if (r.length() > CommandRequest.MAX_REASON) {
            throw new CliException(ExitCodes.USAGE, "--reason is " + r.length() + " characters long; at most " + CommandRequest.MAX_REASON
                    + " are kept", "say it shorter");
        }
        return r;
    }

    /** What to do after a command that did not go through. */
    private String hint(Session session, Environment env, CommandRequest r, CommandResult result) {
        return switch (result.outcome()) {
            case REFUSED -> result.message().startsWith("RBAC:") ? Permissions.queueHint(session, env, namespace(r, result))
                    : "nothing was changed; 'shipdeck components --environment " + env.name() + "' shows its state";
            case CONFLICT -> "run the command again to act on what is running now";
            default -> "'shipdeck commands --environment " + env.name() + "' shows what was recorded";
        };
    }

    /** The workload's namespace: from the audit record, else the path of a planned request, else --namespace. */
    private static String namespace(CommandRequest r, CommandResult result) {
        if (result.record() != null) return result.record().namespace();
        for (PlannedRequest p : result.requests()) {
            String[] parts = p.path().split("/");
            for (int i = 0; i + 1 < parts.length; i++) {
                if (parts[i].equals("namespaces")) return parts[i + 1];
            }
        }
        return r.namespace();
    }

    private String verb() {
        return action() == Action.RESTORE_VERSION ? "restore" : action().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Asks on the terminal; destructive actions need their word typed. Without a terminal, --yes is required. */
    private void confirm(CommandRequest r, Environment env, String what) {
        if (yes) return;
        Console console = System.console();
        if (console == null) {
            throw new CliException(ExitCodes.USAGE, "refusing to " + verb() + " without confirmation: there is no terminal to ask on",
                    "pass --yes to confirm, or --dry-run to see the requests");
        }
        String word = Confirmation.word(action(), env);
        String prompt = word == null ? "About to " + what + ". Continue? [y/N] " : "About to " + what + ". Type " + word + " to confirm: ";
        String answer = console.readLine("%s", prompt);
        boolean ok = answer != null && (word == null ? answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes")
                : answer.trim().equals(word));
        if (!ok) {
            throw new CliException(ExitCodes.REFUSED, "not confirmed; nothing was changed", word == null ? "answer y to go ahead" : "type " + word + " exactly");
        }
    }

    private int report(Session session, Environment env, CommandRequest r, CommandResult result) {
        if (cluster.output == OutputFormat.TABLE) {
            out().println(verb() + " " + component + " (" + r.environment() + "): " + result.outcome() + " — " + result.message());
            for (String w : result.warnings()) err().println("warning: " + w);
            if (dryRun || result.outcome() == Outcome.PLANNED) {
                for (PlannedRequest p : result.requests()) {
                    out().println();
                    out().println(p.httpText(PlannedRequest.Layout.TERMINAL));
                }
            }
        } else {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("action", action().name());
            row.put("environment", r.environment());
            row.put("component", component);
            row.put("outcome", result.outcome().name());
            row.put("message", result.message());
            row.put("reason", r.reason());
            row.put("warnings", result.warnings());
            row.put("requests", result.requests().stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("method", p.method());
                m.put("path", p.path());
                m.put("contentType", p.contentType());
                m.put("body", p.body());
                return m;
            }).toList());
            if (result.record() != null) {
                row.put("namespace", result.record().namespace());
                row.put("workload", result.record().workload());
                row.put("who", result.record().who());
                row.put("at", result.record().at().toString());
            }
            Structured.print(out(), cluster.output, List.of(row));
        }
        out().flush();
        err().flush();
        if (result.outcome() != Outcome.SUCCEEDED && result.outcome() != Outcome.SKIPPED && result.outcome() != Outcome.PLANNED) {
            Diagnostics.print(err(), result.message(), hint(session, env, r, result));
        }
        return switch (result.outcome()) {
            case SUCCEEDED, SKIPPED, PLANNED -> ExitCodes.OK;
            case REFUSED -> ExitCodes.REFUSED;
            case CONFLICT -> ExitCodes.CONFLICT;
            case FAILED -> ExitCodes.FAILED;
        };
    }
}

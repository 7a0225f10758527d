package dev.shipdeck.cli;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.kube.ClusterException;
import dev.shipdeck.core.kube.KubeconfigException;
import dev.shipdeck.core.kube.Redact;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.List;

/**
 * Turns every failure into one line on stderr, {@code error: <what is wrong> (<what to do>)}, and an exit code
 * from {@link ExitCodes}. Never prints a stack trace.
 */
final class Diagnostics implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** Bad flags, arguments and values, as picocli found them: exit {@link ExitCodes#USAGE}. */
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        String message = ex.getMessage();
        String hint = "Run '" + name + " --help' for usage.";
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> unknown = unmatched.getUnmatched();
            if (!cmd.getSubcommands().isEmpty() && !unknown.isEmpty() && !unknown.get(0).startsWith("-")) {
                message = "unknown command \"" + unknown.get(0) + "\" for \"" + name + "\"";
            }
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                hint = "did you mean " + suggestions.get(0) + "? " + hint;
            }
        }
        print(cmd.getErr(), message, hint);
        return ExitCodes.USAGE;
    }

    /** Whatever a command threw: a {@link CliException} carries its exit code, anything else is {@link ExitCodes#FAILED}. */
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof CliException ce) {
            print(err, ce.getMessage(), ce.hint());
            return ce.exitCode();
        }
        if (ex instanceof ClusterException ce) {
            print(err, ce.getMessage(), ce.hint().isBlank() ? "check the connection to the cluster and the context in the kubeconfig" : ce.hint());
            return ClusterProblems.exitCode(ce.state());
        }
        if (ex instanceof ShipdeckException se) {
            print(err, se.getMessage(), se.hint());
            return se instanceof KubeconfigException ? ExitCodes.USAGE : ExitCodes.FAILED;
        }
        String what = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
        print(err, "unexpected failure (" + Redact.text(what) + ")", "please report it with the command you ran");
        return ExitCodes.FAILED;
    }

    static void print(PrintWriter err, String message, String hint) {
        String line = "error: " + oneLine(message) + (hint == null || hint.isBlank() ? "" : " (" + oneLine(hint) + ")");
        err.println(line);
        err.flush();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}

package dev.shipdeck.cli;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.kube.ClusterException;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;

/**
 * What the CLI says about trouble with a cluster, the same for reads and writes: the exit code of a connection
 * state, the advice that goes with it, and the {@code error:} of a failed request.
 */
final class ClusterProblems {
    private ClusterProblems() {}

    /** UNREACHABLE 5, MISCONFIGURED (the kubeconfig) 2, FORBIDDEN 4, anything else 1. */
    static int exitCode(ConnectionState s) {
        return switch (s.phase()) {
            case UNREACHABLE -> ExitCodes.UNREACHABLE;
            case MISCONFIGURED -> ExitCodes.USAGE;
            case FORBIDDEN -> ExitCodes.REFUSED;
            default -> ExitCodes.FAILED;
        };
    }

    /** What to do about a context in state {@code c}: its own advice when it has one, else the advice of its phase. */
    static String hint(String context, ConnectionState c) {
        if (!c.hint().isBlank()) return c.hint();
        return switch (c.phase()) {
            case UNREACHABLE -> "check that the cluster is up and its server in context \"" + context + "\" can be reached (VPN, proxy, firewall)"
                    + (c.reason().startsWith("timed out") ? ", or allow more time with --request-timeout" : "");
            case FORBIDDEN -> "ask for permission to list deployments and replicasets, or use another context";
            case MISCONFIGURED -> "fix context \"" + context + "\" in the kubeconfig (kubectl config view --minify --context " + context + ")";
            case RETRYING -> "the API server is overloaded or failing: retry in a moment";
            default -> c.reason().startsWith("401")
                    ? "log in again to refresh the credentials of context \"" + context + "\""
                    : "check the cluster and context \"" + context + "\" in the kubeconfig";
        };
    }

    /** The {@code error:} line and exit code for a state of environment {@code env}. */
    static CliException error(Environment env, ConnectionState s) {
        return new CliException(exitCode(s), "environment " + env.name() + ": " + s.describe(), hint(env.context(), s));
    }

    /**
     * A failure while acting on {@code env}: trouble with the cluster says what reads say (same words, same exit
     * code); anything else keeps its message and hint and exits {@code otherwise}.
     */
    static CliException of(Environment env, ShipdeckException e, int otherwise) {
        if (e instanceof CliException ce) return ce;
        if (e instanceof ClusterException ce) return error(env, ce.state());
        return CliException.of(otherwise, e);
    }
}

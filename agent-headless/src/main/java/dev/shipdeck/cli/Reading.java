package dev.shipdeck.cli;

import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.EnvironmentSnapshot;

import java.io.PrintWriter;
import java.util.List;

/**
 * What one read of several environments gave: the snapshots of those that answered, and one line per environment
 * that did not — a {@code warning:} while others answered, an {@code error:} when none did.
 */
record Reading(List<EnvironmentSnapshot> snapshots) {
    Reading {
        snapshots = List.copyOf(snapshots);
    }

    /** The snapshots of the environments that could be read. */
    List<EnvironmentSnapshot> readable() {
        return snapshots.stream().filter(s -> s.connection().connected()).toList();
    }

    boolean noneReadable() {
        return readable().isEmpty();
    }

    /** Prints one line per environment that could not be read. */
    void reportProblems(PrintWriter err) {
        boolean none = noneReadable();
        for (EnvironmentSnapshot s : snapshots) {
            if (s.connection().connected()) continue;
            String what = "environment " + s.environment().name() + ": " + s.connection().describe();
            if (none) {
                Diagnostics.print(err, what, hint(s));
            } else {
                err.println("warning: " + Diagnostics.oneLine(what));
            }
        }
        err.flush();
    }

    /** OK when at least one environment answered; else UNREACHABLE when none could be reached at all, else FAILED. */
    int exitCode() {
        if (!noneReadable()) return ExitCodes.OK;
        boolean allUnreachable = snapshots.stream().allMatch(s -> s.connection().phase() == ConnectionState.Phase.UNREACHABLE);
        return allUnreachable ? ExitCodes.UNREACHABLE : ExitCodes.FAILED;
    }

    private static String hint(EnvironmentSnapshot s) {
        String context = s.environment().context();
        ConnectionState c = s.connection();
        return switch (c.phase()) {
            case UNREACHABLE -> "check that the cluster is up and its server in context \"" + context + "\" can be reached (VPN, proxy, firewall)";
            case FORBIDDEN -> "ask for permission to list deployments and replicasets, or use another context";
            default -> c.reason().startsWith("401")
                    ? "log in again to refresh the credentials of context \"" + context + "\""
                    : "check the cluster and context \"" + context + "\" in the kubeconfig";
        };
    }
}

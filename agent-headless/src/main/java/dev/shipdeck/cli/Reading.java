package dev.shipdeck.cli;

import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReadGap;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * What one read of several environments gave: the snapshots of those that answered, and one line per environment
 * that did not — a {@code warning:} while others answered, an {@code error:} when none did — and one
 * {@code warning:} per kind that could not be read in an environment that answered (the read is partial).
 */
record Reading(List<EnvironmentSnapshot> snapshots) {
    /** A kind missing from an environment's answer, as {@code -o json|yaml} prints it. */
    record Missing(String kind, String resource, int code, String reason) {
        static Missing of(ReadGap g) {
            return new Missing(g.kind(), g.resource(), g.code(), g.reason());
        }
    }

    Reading {
        snapshots = List.copyOf(snapshots);
    }

    /** The snapshots of the environments that could be read (completely or partially). */
    List<EnvironmentSnapshot> readable() {
        return snapshots.stream().filter(s -> s.connection().connected()).toList();
    }

    boolean noneReadable() {
        return readable().isEmpty();
    }

    /** The kinds missing from environment {@code name}'s answer (empty when it is complete or was not read). */
    List<Missing> missing(String name) {
        return snapshots.stream().filter(s -> s.environment().name().equals(name)).flatMap(s -> s.gaps().stream()).map(Missing::of).toList();
    }

    /** The readable environments in which {@code kind} ("Rollouts", "ReplicaSets") could not be read. */
    List<EnvironmentSnapshot> missingKind(String kind) {
        return readable().stream().filter(s -> s.gap(kind) != null).toList();
    }

    /** Prints one line per environment that could not be read (the gaps of those that could: {@link #reportGaps}). */
    void reportProblems(PrintWriter err) {
        boolean none = noneReadable();
        for (EnvironmentSnapshot s : snapshots) {
            if (s.connection().connected()) continue;
            String what = "environment " + s.environment().name() + ": " + s.connection().describe();
            if (none) {
                Diagnostics.print(err, what, ClusterProblems.hint(s.environment().context(), s.connection()));
            } else {
                err.println("warning: " + Diagnostics.oneLine(what));
            }
        }
        err.flush();
    }

    /** Whether a gap of an environment that answered hides what was asked for. */
    boolean hides(BiPredicate<EnvironmentSnapshot, ReadGap> asked) {
        return readable().stream().anyMatch(s -> s.gaps().stream().anyMatch(g -> asked.test(s, g)));
    }

    /**
     * Prints one line per kind missing from an environment that answered: an {@code error:} when it hides what was
     * asked for ({@code asked}), else a {@code warning:}. Returns whether any was an error.
     */
    boolean reportGaps(PrintWriter err, BiPredicate<EnvironmentSnapshot, ReadGap> asked, String what) {
        boolean any = false;
        for (EnvironmentSnapshot s : readable()) {
            for (ReadGap g : s.gaps()) {
                if (asked.test(s, g)) {
                    Diagnostics.print(err, what + " may be incomplete: " + g.kind() + " could not be read in " + s.environment().name()
                            + " (" + g.status() + ")", g.advice());
                    any = true;
                } else {
                    err.println("warning: " + partial(s, g));
                }
            }
        }
        err.flush();
        return any;
    }

    /** e.g. {@code Rollouts could not be read in prod-eu (503 Service Unavailable): components ... are missing; retry, or ...}. */
    static String partial(EnvironmentSnapshot s, ReadGap g) {
        return g.kind() + " could not be read in " + s.environment().name() + " (" + g.status() + "): " + g.impact() + "; " + g.advice();
    }

    /**
     * OK when at least one environment answered; when none did, the exit code their states share (5 unreachable, 2
     * kubeconfig, 4 forbidden), else FAILED.
     */
    int exitCode() {
        if (!noneReadable()) return ExitCodes.OK;
        List<Integer> codes = snapshots.stream().map(s -> ClusterProblems.exitCode(s.connection())).distinct().toList();
        return codes.size() == 1 ? codes.get(0) : ExitCodes.FAILED;
    }
}

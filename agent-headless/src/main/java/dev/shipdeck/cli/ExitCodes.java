package dev.shipdeck.cli;

/** The exit codes of every {@code shipdeck} command; scripts may rely on them. */
public final class ExitCodes {
    /**
     * Done; what was asked is on stdout. Some environments may have been unreachable, or partly read (a kind such as
     * Rollouts could not be listed): see the {@code warning:} lines.
     */
    public static final int OK = 0;
    /** A cluster or its API answered with an error, or something unexpected went wrong. */
    public static final int FAILED = 1;
    /**
     * The command line, or a file it names (kubeconfig, environments file), cannot be used as given — also a context
     * whose kubeconfig entries are unusable (no server, an undefined user, data that is not base64).
     */
    public static final int USAGE = 2;
    /** An environment, component or context that does not exist. */
    public static final int NOT_FOUND = 3;
    /** A guard or a permission (RBAC) refused the action or the read. */
    public static final int REFUSED = 4;
    /** None of the requested environments could be reached (connection refused, timed out, unknown host). */
    public static final int UNREACHABLE = 5;
    /** Someone else changed the workload between reading and writing; nothing of this command was applied. */
    public static final int CONFLICT = 6;
    /**
     * What was asked for is in the part of an environment that could not be read (e.g. {@code --kind rollout} while
     * the Rollouts list failed with 503): what could be read is printed, and an {@code error:} line says what is missing.
     */
    public static final int PARTIAL = 7;

    private ExitCodes() {}
}

package dev.shipdeck.cli;

/** The exit codes of every {@code shipdeck} command; scripts may rely on them. */
public final class ExitCodes {
    /** Done; what was asked is on stdout (some environments may have been unreachable: see the warnings). */
    public static final int OK = 0;
    /** A cluster or its API answered with an error, or something unexpected went wrong. */
    public static final int FAILED = 1;
    /** The command line, or a file it names (kubeconfig, environments file), cannot be used as given. */
    public static final int USAGE = 2;
    /** An environment, component or context that does not exist. */
    public static final int NOT_FOUND = 3;
    /** A guard or a permission refused the action. */
    public static final int REFUSED = 4;
    /** None of the requested environments could be reached. */
    public static final int UNREACHABLE = 5;
    /** Someone else changed the workload between reading and writing; nothing of this command was applied. */
    public static final int CONFLICT = 6;

    private ExitCodes() {}
}

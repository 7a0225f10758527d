package dev.shipdeck.cli;

import dev.shipdeck.core.ShipdeckException;

/** A failure that ends a command with a given exit code and one {@code error: what (what to do)} line. */
final class CliException extends ShipdeckException {
    private final int exitCode;

    CliException(int exitCode, String message, String hint) {
        super(message, hint);
        this.exitCode = exitCode;
    }

    /** The same failure as {@code cause}, ending with {@code exitCode}. */
    static CliException of(int exitCode, ShipdeckException cause) {
        return new CliException(exitCode, cause.getMessage(), cause.hint());
    }

    int exitCode() { return exitCode; }
}

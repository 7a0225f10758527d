package dev.shipdeck.core.commands;

import dev.shipdeck.core.ShipdeckException;

/** An unknown environment, component, workload or version. */
public final class NotFoundException extends ShipdeckException {
    public NotFoundException(String message, String hint) {
        super(message, hint);
    }
}

package dev.shipdeck.core.records;

import dev.shipdeck.core.ShipdeckException;

/** A record changed (or was created) by someone else since it was read: read it again and decide anew. */
public final class RecordConflictException extends ShipdeckException {
    private final boolean alreadyExists;

    RecordConflictException(String message, boolean alreadyExists) {
        super(message, alreadyExists ? "use another name, or update the existing record" : "read the record again and retry");
        this.alreadyExists = alreadyExists;
    }

    /** True when a create found a record of that name; false for a stale resourceVersion. */
    public boolean alreadyExists() { return alreadyExists; }
}

package dev.shipdeck.core.commands;

/** A guard's or a planner's no, with the outcome to record. */
final class Refused extends RuntimeException {
    final Outcome outcome;

    Refused(Outcome outcome, String message) {
        super(message);
        this.outcome = outcome;
    }

    static Refused refused(String message) {
        return new Refused(Outcome.REFUSED, message);
    }
}

package dev.shipdeck.core.commands;

/** Whether an action may be offered, and if not why (for a disabled button's tooltip). */
public record Availability(boolean allowed, String reason) {
    public static final Availability YES = new Availability(true, "");

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}

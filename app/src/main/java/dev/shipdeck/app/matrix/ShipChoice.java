package dev.shipdeck.app.matrix;

/**
 * Shipping the version one environment runs to another one of its lane, as a matrix cell offers it:
 * {@code Ship 4.2.0 from staging to prod-eu}.
 */
public record ShipChoice(String component, String from, String to, String version) {
    /** The menu's words. */
    public String text() {
        return "Ship " + version + " from " + from + " to " + to;
    }

    /** A stable id for the menu item: {@code ship-staging-to-prod-eu}. */
    public String id() {
        return "ship-" + from + "-to-" + to;
    }
}

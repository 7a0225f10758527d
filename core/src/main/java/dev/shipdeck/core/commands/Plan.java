package dev.shipdeck.core.commands;

import java.util.List;

/**
 * What a planner returns: the requests of an action, the sentence that says what they do, and the plain-patch
 * fallback of a status patch (null when there is none).
 */
record Plan(List<PlannedRequest> requests, String summary, PlannedRequest fallback) {
    Plan {
        requests = List.copyOf(requests);
    }

    /** Nothing to send: the summary says why. */
    static Plan nothing(String summary) {
        return new Plan(List.of(), summary, null);
    }

    /** One request, no fallback. */
    static Plan one(PlannedRequest request, String summary) {
        return new Plan(List.of(request), summary, null);
    }
}

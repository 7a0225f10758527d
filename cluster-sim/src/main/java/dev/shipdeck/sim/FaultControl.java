package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/**
 * The fault control endpoint on each simulated cluster's own server, for tests that run the simulator as another
 * process: {@code GET /_sim/faults} describes what is injected, {@code POST /_sim/faults} adds faults (a JSON body,
 * see {@link FaultSpec}), {@code DELETE /_sim/faults} clears them all. Only an administrator (group
 * {@value Authz#MASTERS}) may use it, also while its token is expired by a fault; the endpoint itself is never
 * affected by the faults, except {@code refuse}, which closes the whole port.
 */
final class FaultControl {
    static final String PATH_PREFIX = "/_sim/";
    static final String FAULTS = "/_sim/faults";

    private final String cluster;
    private final Authz authz;
    private final Faults faults;

    FaultControl(String cluster, Authz authz, Faults faults) {
        this.cluster = cluster;
        this.authz = authz;
        this.faults = faults;
    }

    void handle(HttpExchange ex, String path) throws IOException {
        FaultSpec.Pending pending = null;
        try {
            if (!path.equals(FAULTS)) {
                throw new ApiException(404, "NotFound", "the server could not find the requested resource");
            }
            Authz.User user = authz.identify(ex.getRequestHeaders().getFirst("Authorization"));
            if (user == null) {
                throw new ApiException(401, "Unauthorized", "Unauthorized");
            }
            if (!user.groups().contains(Authz.MASTERS)) {
                throw new ApiException(403, "Forbidden", "User \"" + user.name() + "\" may not change the faults of the "
                        + "simulated cluster (only an administrator, group " + Authz.MASTERS + ", may)");
            }
            switch (ex.getRequestMethod().toUpperCase(java.util.Locale.ROOT)) {
                case "GET" -> { }
                case "POST" -> {
                    JsonNode body = Json.parse(ex.getRequestBody().readAllBytes());
                    try {
                        pending = FaultSpec.apply(faults, body);
                    } catch (IllegalArgumentException e) {
                        throw ApiException.badRequest(e.getMessage());
                    }
                }
                case "DELETE" -> faults.clearAll();
                default -> throw new ApiException(405, "MethodNotAllowed", "use GET, POST or DELETE on " + FAULTS);
            }
            ApiServer.send(ex, 200, FaultSpec.describe(cluster, faults, pending));
        } catch (ApiException e) {
            ApiServer.sendStatus(ex, e);
        } finally {
            ex.close();
        }
        if (pending != null) {
            pending.start(faults); // once the answer is out: refuse closes the port this request came in on
        }
    }
}

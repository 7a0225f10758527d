package dev.shipdeck.sim.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * For tests: the fault control endpoint of one simulated cluster ({@code /_sim/faults}), driven over HTTP as a test in
 * another module does when the simulator runs as its own process. The client must be the administrator's.
 */
public final class SimFaults {
    private static final String PATH = "/_sim/faults";
    private final SimHttp http;

    SimFaults(SimHttp http) {
        this.http = http;
    }

    /**
     * Adds faults, e.g. {@code {"rules":[{"path":"/rollouts","status":503,"count":5}],"latency":"2s"}} (the keys are in
     * cluster-sim/README.md); returns what is injected now. Fails the test when the simulator refuses the body.
     */
    public JsonNode inject(String json) {
        return ok(http.send("POST", PATH, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ofSeconds(30)));
    }

    /** Removes every fault (and gives expired tokens back). */
    public JsonNode clear() {
        return ok(http.delete(PATH));
    }

    /** What is injected now. */
    public JsonNode state() {
        return ok(http.get(PATH));
    }

    private static JsonNode ok(SimHttp.Response r) {
        if (r.status() != 200) {
            throw new AssertionError("the simulator's fault endpoint answered " + r);
        }
        return r.json();
    }
}

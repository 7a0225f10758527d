package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Argo Rollouts' analysis controller for {@code argoproj.io/v1alpha1} AnalysisRuns, in a small subset, on simulated
 * time. Each metric is measured {@code count} times (1 when neither count nor interval is set), {@code interval}
 * apart; a metric fails when its failed measurements exceed {@code failureLimit} (default 0), errs after more than
 * {@code consecutiveErrorLimit} (default 4) errors in a row, and succeeds when the count is reached. The run takes the
 * worst metric phase once every metric is done, with Argo's message ({@code Metric "x" assessed Failed due to failed
 * (1) > failureLimit (0)}). Providers:
 * <ul>
 * <li>{@code web}: GET {@code url} (with {@code headers}), take {@code jsonPath} ({@code {$.a.b}}, default the whole
 * document) and evaluate {@code successCondition}/{@code failureCondition} ({@link AnalysisConditions})</li>
 * <li>{@code job}: no pods run; the job template's annotation {@code sim.shipdeck.dev/job-result} says {@code fail}
 * (a Failed measurement) or anything else (Successful)</li>
 * </ul>
 * A run with {@code spec.terminate} stops measuring and is Successful unless a metric already failed.
 */
public final class AnalysisController implements Controller {
    static final String PLURAL = "analysisruns";
    static final String JOB_RESULT = "sim.shipdeck.dev/job-result";
    private static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
    private static final Duration WEB_TIMEOUT = Duration.ofSeconds(5);

    private final Store store;
    private final EventRecorder events;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WEB_TIMEOUT).build();

    AnalysisController(Store store, EventRecorder events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public ResourceType primary() {
        return store.resources().lookup(RolloutController.GROUP, RolloutController.VERSION, PLURAL);
    }

    @Override
    public List<Key> keysFor(Store.Event event) {
        ResourceType runs = primary();
        if (runs == null || !event.resource().key().equals(runs.key())) {
            return List.of();
        }
        return List.of(new Key(Json.namespace(event.object()), Json.name(event.object())));
    }

    @Override
    public Duration reconcile(Key key) {
        ResourceType runs = primary();
        if (runs == null) {
            return null;
        }
        ObjectNode run = store.find(runs, key.namespace(), key.name());
        if (run == null || completed(Json.str(run, "", "status", "phase"))) {
            return null;
        }
        Instant now = store.clock().now();
        ObjectNode status = run.get("status") instanceof ObjectNode s ? s.deepCopy() : Json.object();
        if (!status.has("startedAt")) {
            status.put("startedAt", SimClock.format(now));
        }
        boolean terminate = run.path("spec").path("terminate").asBoolean(false);
        Duration next = null;
        for (JsonNode metric : run.path("spec").path("metrics")) {
            ObjectNode result = result(status, metric.path("name").asText());
            if (completed(result.path("phase").asText())) {
                continue;
            }
            if (!terminate) {
                Duration wait = measureIfDue(run, metric, result, now);
                if (wait != null && (next == null || wait.compareTo(next) < 0)) {
                    next = wait;
                }
            }
            String phase = assess(metric, result, terminate);
            if (!phase.equals(result.path("phase").asText())) {
                if (completed(phase)) {
                    String text = "Metric '" + metric.path("name").asText() + "' Completed. Result: " + phase;
                    if ("Failed".equals(phase) || "Error".equals(phase)) {
                        events.warning(RolloutSync.COMPONENT, run, "Metric" + phase, text);
                    } else {
                        events.normal(RolloutSync.COMPONENT, run, "Metric" + phase, text);
                    }
                }
                JsonNode last = lastMeasurement(result);
                if (last != null && last.has("message")) {
                    result.put("message", last.path("message").asText());
                }
                result.put("phase", phase);
            }
        }
        assessRun(run, status, terminate);
        if (completed(status.path("phase").asText())) {
            status.put("completedAt", SimClock.format(now));
            next = null;
        }
        if (!status.equals(run.path("status"))) {
            ObjectNode body = run.deepCopy();
            body.set("status", status);
            store.update(runs, key.namespace(), key.name(), body, null);
        }
        return next;
    }

    static boolean completed(String phase) {
        return List.of("Successful", "Failed", "Error", "Inconclusive").contains(phase);
    }

    private static ObjectNode result(ObjectNode status, String name) {
        ArrayNode results = status.has("metricResults") ? (ArrayNode) status.get("metricResults") : status.putArray("metricResults");
        for (JsonNode r : results) {
            if (name.equals(r.path("name").asText())) {
                return (ObjectNode) r;
            }
        }
        ObjectNode r = results.addObject();
        r.put("name", name).put("phase", "Pending");
        r.putArray("measurements");
        return r;
    }

    private static JsonNode lastMeasurement(JsonNode result) {
        JsonNode ms = result.path("measurements");
        return ms.size() == 0 ? null : ms.get(ms.size() - 1);
    }

    /** Takes a measurement when the metric's interval has passed; returns when the next one is due, or null. */
    private Duration measureIfDue(ObjectNode run, JsonNode metric, ObjectNode result, Instant now) {
        Integer count = effectiveCount(metric);
        if (count != null && result.path("count").asInt(0) >= count) {
            return null;
        }
        Duration interval = interval(metric);
        JsonNode last = lastMeasurement(result);
        if (last != null) {
            Instant finished = SimClock.parse(last.path("finishedAt").asText(SimClock.format(now)));
            Instant due = finished.plus(interval == null ? Duration.ZERO : interval);
            if (now.isBefore(due)) {
                return Duration.between(now, due).plusMillis(1);
            }
        }
        ObjectNode m = measure(run, metric, now);
        ((ArrayNode) result.get("measurements")).add(m);
        String phase = m.path("phase").asText();
        result.put("count", result.path("count").asInt(0) + 1);
        String counter = switch (phase) {
            case "Successful" -> "successful";
            case "Failed" -> "failed";
            case "Inconclusive" -> "inconclusive";
            default -> "error";
        };
        result.put(counter, result.path(counter).asInt(0) + 1);
        result.put("consecutiveError", "Error".equals(phase) ? result.path("consecutiveError").asInt(0) + 1 : 0);
        boolean more = count == null || result.path("count").asInt() < count;
        return more && interval != null ? interval.plusMillis(1) : null;
    }

    private ObjectNode measure(ObjectNode run, JsonNode metric, Instant now) {
        ObjectNode m = Json.object();
        m.put("startedAt", SimClock.format(now));
        JsonNode provider = metric.path("provider");
        try {
            if (provider.has("web")) {
                web(provider.path("web"), metric, m);
            } else if (provider.has("job")) {
                String result = Json.str(provider.path("job"), "", "metadata", "annotations", JOB_RESULT);
                m.put("phase", "fail".equalsIgnoreCase(result) ? "Failed" : "Successful");
                Json.with(m, "metadata").put("job-name", Json.name(run) + "." + metric.path("name").asText() + ".1");
            } else {
                m.put("phase", "Error").put("message", "no provider is supported by the simulator for metric '"
                        + metric.path("name").asText() + "'");
            }
        } catch (Exception e) {
            m.put("phase", "Error").put("message", e.getMessage() == null ? e.toString() : e.getMessage());
        }
        m.put("finishedAt", SimClock.format(now));
        return m;
    }

    private void web(JsonNode web, JsonNode metric, ObjectNode m) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(web.path("url").asText())).timeout(WEB_TIMEOUT);
        for (JsonNode h : web.path("headers")) {
            req.header(h.path("key").asText(), h.path("value").asText());
        }
        HttpResponse<String> resp = http.send(req.GET().build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() < 200 || resp.statusCode() >= 300) {
            throw new IllegalStateException("received non 2xx response code: " + resp.statusCode());
        }
        JsonNode doc;
        try {
            doc = Json.MAPPER.readTree(resp.body());
        } catch (java.io.IOException notJson) {
            m.put("value", resp.body()).put("phase", "Successful"); // Argo: a body that is not JSON is the value, as is
            return;
        }
        JsonNode value = AnalysisConditions.jsonPath(doc, web.path("jsonPath").asText(""));
        m.put("value", Json.MAPPER.writeValueAsString(value));
        m.put("phase", AnalysisConditions.evaluate(value, metric.path("successCondition").asText(""),
                metric.path("failureCondition").asText("")));
    }

    /** Argo's EffectiveCount: the count, or 1 when neither count nor interval is set (null: run until terminated). */
    private static Integer effectiveCount(JsonNode metric) {
        if (metric.has("count")) {
            return metric.path("count").asInt();
        }
        return metric.has("interval") ? null : 1;
    }

    private static Duration interval(JsonNode metric) {
        String text = metric.path("interval").asText("");
        return text.isEmpty() ? null : Durations.parse(text);
    }

    /** Argo's assessMetricStatus. */
    private static String assess(JsonNode metric, ObjectNode result, boolean terminate) {
        JsonNode last = lastMeasurement(result);
        if (last == null) {
            return terminate ? "Successful" : "Pending";
        }
        String[] failure = failureOrError(metric, result);
        if (failure != null) {
            return failure[0];
        }
        Integer count = effectiveCount(metric);
        if (count != null && result.path("count").asInt() >= count || terminate) {
            return "Successful";
        }
        return "Running";
    }

    /** Argo's assessMetricFailureInconclusiveOrError: {phase, message}, or null. */
    private static String[] failureOrError(JsonNode metric, JsonNode result) {
        String[] out = null;
        int failureLimit = metric.path("failureLimit").asInt(0);
        if (failureLimit >= 0 && result.path("failed").asInt(0) > failureLimit) {
            out = new String[] {"Failed", "failed (" + result.path("failed").asInt() + ") > failureLimit (" + failureLimit + ")"};
        }
        int inconclusiveLimit = metric.path("inconclusiveLimit").asInt(0);
        if (result.path("inconclusive").asInt(0) > inconclusiveLimit) {
            out = new String[] {"Inconclusive", "inconclusive (" + result.path("inconclusive").asInt() + ") > inconclusiveLimit ("
                    + inconclusiveLimit + ")"};
        }
        int errorLimit = metric.path("consecutiveErrorLimit").asInt(DEFAULT_CONSECUTIVE_ERROR_LIMIT);
        if (result.path("consecutiveError").asInt(0) > errorLimit) {
            out = new String[] {"Error", "consecutiveErrors (" + result.path("consecutiveError").asInt() + ") > consecutiveErrorLimit ("
                    + errorLimit + ")"};
        }
        return out;
    }

    /** Argo's assessRunStatus: Running until every metric completed, then the worst phase and its message. */
    private static void assessRun(ObjectNode run, ObjectNode status, boolean terminate) {
        String worst = "";
        String message = terminate ? "Run Terminated" : "";
        boolean everything = true;
        int successful = 0, failed = 0, inconclusive = 0, error = 0;
        for (JsonNode metric : run.path("spec").path("metrics")) {
            JsonNode result = result(status, metric.path("name").asText());
            String phase = result.path("phase").asText();
            if (!completed(phase)) {
                everything = false;
                continue;
            }
            if (worst.isEmpty() || rank(phase) > rank(worst)) {
                worst = phase;
                String[] why = failureOrError(metric, result);
                if (why != null) {
                    message = "Metric \"" + metric.path("name").asText() + "\" assessed " + phase + " due to " + why[1];
                    if (!result.path("message").asText("").isEmpty()) {
                        message += ": \"Error Message: " + result.path("message").asText() + "\"";
                    }
                }
            }
            switch (phase) {
                case "Failed" -> failed++;
                case "Error" -> error++;
                case "Inconclusive" -> inconclusive++;
                default -> successful++;
            }
        }
        ObjectNode summary = status.putObject("runSummary");
        summary.put("count", run.path("spec").path("metrics").size());
        if (successful > 0) summary.put("successful", successful);
        if (failed > 0) summary.put("failed", failed);
        if (inconclusive > 0) summary.put("inconclusive", inconclusive);
        if (error > 0) summary.put("error", error);
        String phase = !everything && !terminate || worst.isEmpty() ? (terminate ? "Successful" : "Running") : worst;
        status.put("phase", phase);
        if (completed(phase) && !message.isEmpty()) {
            status.put("message", message.strip());
        } else {
            status.remove("message");
        }
    }

    /** Argo's IsWorse order: Successful < Inconclusive < Error < Failed. */
    private static int rank(String phase) {
        return switch (phase) {
            case "Inconclusive" -> 1;
            case "Error" -> 2;
            case "Failed" -> 3;
            default -> 0;
        };
    }
}

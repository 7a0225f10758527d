package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Server-side printing ({@code Accept: ...;as=Table}) with the columns kubectl shows for each kind. */
final class Tables {
    private Tables() {}

    static ObjectNode table(ResourceType type, List<ObjectNode> items, long rv, SimClock clock) {
        ObjectNode t = Json.object();
        t.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        t.putObject("metadata").put("resourceVersion", Long.toString(rv));
        ArrayNode cols = t.putArray("columnDefinitions");
        List<String> names = columns(type);
        for (String n : names) {
            cols.addObject().put("name", n).put("type", n.equals("Name") ? "string" : "string")
                    .put("format", n.equals("Name") ? "name" : "").put("description", "").put("priority", 0);
        }
        ArrayNode rows = t.putArray("rows");
        Instant now = clock.now();
        for (ObjectNode o : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (String n : names) {
                cells.add(cell(type, n, o, now));
            }
            row.set("object", o);
        }
        return t;
    }

    private static List<String> columns(ResourceType type) {
        return switch (type.kind()) {
            case "Deployment" -> List.of("Name", "Ready", "Up-to-date", "Available", "Age");
            case "ReplicaSet" -> List.of("Name", "Desired", "Current", "Ready", "Age");
            case "Pod" -> List.of("Name", "Ready", "Status", "Restarts", "Age");
            case "Rollout" -> List.of("Name", "Desired", "Current", "Up-to-date", "Available", "Age");
            case "Namespace" -> List.of("Name", "Status", "Age");
            default -> List.of("Name", "Age");
        };
    }

    private static String cell(ResourceType type, String col, JsonNode o, Instant now) {
        JsonNode spec = o.path("spec");
        JsonNode st = o.path("status");
        return switch (col) {
            case "Name" -> Json.name(o);
            case "Age" -> age(Json.str(o, null, "metadata", "creationTimestamp"), now);
            case "Ready" -> switch (type.kind()) {
                case "Deployment" -> st.path("readyReplicas").asInt() + "/" + spec.path("replicas").asInt(1);
                case "ReplicaSet" -> Integer.toString(st.path("readyReplicas").asInt());
                default -> podReady(o);
            };
            case "Up-to-date" -> Integer.toString(st.path("updatedReplicas").asInt());
            case "Available" -> Integer.toString(st.path("availableReplicas").asInt());
            case "Desired" -> Integer.toString(spec.path("replicas").asInt(1));
            case "Current" -> Integer.toString(st.path("replicas").asInt());
            case "Status" -> type.kind().equals("Pod") ? podStatus(o) : st.path("phase").asText("");
            case "Restarts" -> Integer.toString(restarts(o));
            default -> "";
        };
    }

    private static String podReady(JsonNode pod) {
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            if (cs.path("ready").asBoolean()) ready++;
        }
        return ready + "/" + total;
    }

    private static String podStatus(JsonNode pod) {
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            JsonNode waiting = cs.path("state").path("waiting");
            if (!waiting.isMissingNode() && waiting.has("reason")) return waiting.path("reason").asText();
        }
        return pod.path("status").path("phase").asText("Pending");
    }

    private static int restarts(JsonNode pod) {
        int n = 0;
        for (JsonNode cs : pod.path("status").path("containerStatuses")) n += cs.path("restartCount").asInt();
        return n;
    }

    static String age(String created, Instant now) {
        if (created == null) return "<unknown>";
        Duration d = Duration.between(Instant.parse(created), now);
        if (d.isNegative()) return "0s";
        long s = d.getSeconds();
        if (s < 120) return s + "s";
        if (s < 600) return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        if (s < 3 * 3600) return (s / 60) + "m";
        if (s < 8 * 3600) return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
        if (s < 48 * 3600) return (s / 3600) + "h";
        return (s / 86400) + "d";
    }
}

package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Server-side printing ({@code Accept: ...;as=Table}): for built-in kinds the columns kube-apiserver's printers
 * define (all of them, as the server sends them; kubectl hides those with a priority unless {@code -o wide}); for
 * custom resources the CRD version's {@code additionalPrinterColumns} after a Name column (Age when it has none).
 * Rows carry the object as {@code includeObject} asks: {@code Metadata} (the default, a PartialObjectMetadata),
 * {@code Object} or {@code None}.
 */
final class Tables {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating "
            + "resources, although some resources may allow a client to request the generation of an appropriate name "
            + "automatically. Name is primarily intended for creation idempotence and configuration definition. "
            + "Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    private static final String AGE_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time when "
            + "this object was created.";

    /** One column: its definition and how a cell is computed from an object at a time. */
    private record Column(String name, String type, String format, int priority, String description,
                          BiFunction<JsonNode, Instant, JsonNode> cell) {
        static Column of(String name, String type, int priority, BiFunction<JsonNode, Instant, JsonNode> cell) {
            return new Column(name, type, "", priority, "", cell);
        }
    }

    private Tables() {}

    /**
     * The Table of {@code items}; {@code crd} is the CustomResourceDefinition of a custom resource type (null for
     * built-in kinds), {@code includeObject} the request's parameter ("" is the default, Metadata).
     */
    static ObjectNode table(ResourceType type, JsonNode crd, List<ObjectNode> items, long rv, SimClock clock, String includeObject) {
        ObjectNode t = Json.object();
        t.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        t.putObject("metadata").put("resourceVersion", Long.toString(rv));
        List<Column> columns = crd != null ? customColumns(crd, type.version()) : builtInColumns(type);
        ArrayNode defs = t.putArray("columnDefinitions");
        for (Column c : columns) {
            defs.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                    .put("description", c.description()).put("priority", c.priority());
        }
        ArrayNode rows = t.putArray("rows");
        Instant now = clock.now();
        for (ObjectNode o : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column c : columns) {
                cells.add(c.cell().apply(o, now));
            }
            switch (includeObject) {
                case "None" -> { }
                case "Object" -> row.set("object", o);
                default -> {
                    ObjectNode partial = row.putObject("object");
                    partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
                    partial.set("metadata", o.path("metadata").deepCopy());
                }
            }
        }
        return t;
    }

    // ---- built-in kinds (pkg/printers/internalversion) ----

    private static Column name() {
        return new Column("Name", "string", "name", 0, NAME_DESCRIPTION, (o, now) -> text(Json.name(o)));
    }

    private static Column age() {
        return new Column("Age", "string", "", 0, AGE_DESCRIPTION,
                (o, now) -> text(translateTimestampSince(Json.str(o, "", "metadata", "creationTimestamp"), now)));
    }

    private static List<Column> builtInColumns(ResourceType type) {
        List<Column> c = new ArrayList<>();
        switch (type.kind()) {
            case "Deployment" -> {
                c.add(name());
                c.add(Column.of("Ready", "string", 0, (o, now) -> text(st(o, "readyReplicas") + "/" + (int) Json.num(o, 1, "spec", "replicas"))));
                c.add(Column.of("Up-to-date", "string", 0, (o, now) -> F.numberNode(st(o, "updatedReplicas"))));
                c.add(Column.of("Available", "string", 0, (o, now) -> F.numberNode(st(o, "availableReplicas"))));
                c.add(age());
                addWorkloadWide(c);
            }
            case "ReplicaSet" -> {
                c.add(name());
                c.add(Column.of("Desired", "integer", 0, (o, now) -> F.numberNode((int) Json.num(o, 1, "spec", "replicas"))));
                c.add(Column.of("Current", "integer", 0, (o, now) -> F.numberNode(st(o, "replicas"))));
                c.add(Column.of("Ready", "integer", 0, (o, now) -> F.numberNode(st(o, "readyReplicas"))));
                c.add(age());
                addWorkloadWide(c);
            }
            case "Pod" -> {
                c.add(name());
                c.add(Column.of("Ready", "string", 0, (o, now) -> text(podReady(o))));
                c.add(Column.of("Status", "string", 0, (o, now) -> text(podStatus(o))));
                c.add(Column.of("Restarts", "string", 0, (o, now) -> text(Integer.toString(restarts(o)))));
                c.add(age());
                c.add(Column.of("IP", "string", 1, (o, now) -> text(Json.str(o, "<none>", "status", "podIP"))));
                c.add(Column.of("Node", "string", 1, (o, now) -> text(Json.str(o, "<none>", "spec", "nodeName"))));
                c.add(Column.of("Nominated Node", "string", 1, (o, now) -> text(Json.str(o, "<none>", "status", "nominatedNodeName"))));
                c.add(Column.of("Readiness Gates", "string", 1, (o, now) -> text(readinessGates(o))));
            }
            case "Namespace" -> {
                c.add(name());
                c.add(Column.of("Status", "string", 0, (o, now) -> text(Json.str(o, "", "status", "phase"))));
                c.add(age());
            }
            case "ConfigMap" -> {
                c.add(name());
                c.add(Column.of("Data", "string", 0, (o, now) -> F.numberNode(o.path("data").size() + o.path("binaryData").size())));
                c.add(age());
            }
            case "Secret" -> {
                c.add(name());
                c.add(Column.of("Type", "string", 0, (o, now) -> text(Json.str(o, "", "type"))));
                c.add(Column.of("Data", "string", 0, (o, now) -> F.numberNode(o.path("data").size())));
                c.add(age());
            }
            case "ServiceAccount" -> {
                c.add(name());
                c.add(Column.of("Secrets", "string", 0, (o, now) -> F.numberNode(o.path("secrets").size())));
                c.add(age());
            }
            case "Event" -> eventColumns(c);
            default -> {
                c.add(name());
                c.add(new Column("Created At", "date", "", 0, AGE_DESCRIPTION,
                        (o, now) -> text(Json.str(o, "", "metadata", "creationTimestamp"))));
            }
        }
        return c;
    }

    private static void addWorkloadWide(List<Column> c) {
        c.add(Column.of("Containers", "string", 1, (o, now) -> text(joined(o, "name"))));
        c.add(Column.of("Images", "string", 1, (o, now) -> text(joined(o, "image"))));
        c.add(Column.of("Selector", "string", 1, (o, now) -> {
            String s = Selector.toQuery(o.path("spec").path("selector"));
            return text(s.isEmpty() ? "<none>" : s);
        }));
    }

    private static String joined(JsonNode workload, String field) {
        List<String> out = new ArrayList<>();
        workload.path("spec").path("template").path("spec").path("containers").forEach(ct -> out.add(ct.path(field).asText()));
        return String.join(",", out);
    }

    /** printEvent: last seen, type, reason, kind/name, (subobject, source), message, (first seen, count, name). */
    private static void eventColumns(List<Column> c) {
        c.add(Column.of("Last Seen", "string", 0, (o, now) -> {
            String first = firstSeen(o, now);
            String last = Json.str(o, "", "lastTimestamp");
            if (o.path("series").has("lastObservedTime")) return text(translateTimestampSince(o.path("series").path("lastObservedTime").asText(), now));
            return text(last.isEmpty() ? first : translateTimestampSince(last, now));
        }));
        c.add(Column.of("Type", "string", 0, (o, now) -> text(Json.str(o, "", "type"))));
        c.add(Column.of("Reason", "string", 0, (o, now) -> text(Json.str(o, "", "reason"))));
        c.add(Column.of("Object", "string", 0, (o, now) -> {
            String kind = Json.str(o, "", "involvedObject", "kind").toLowerCase(java.util.Locale.ROOT);
            String name = Json.str(o, "", "involvedObject", "name");
            return text(name.isEmpty() ? kind : kind + "/" + name);
        }));
        c.add(Column.of("Subobject", "string", 1, (o, now) -> text(Json.str(o, "", "involvedObject", "fieldPath"))));
        c.add(Column.of("Source", "string", 1, (o, now) -> {
            String component = firstNonEmpty(Json.str(o, "", "source", "component"), Json.str(o, "", "reportingComponent"));
            String instance = firstNonEmpty(Json.str(o, "", "source", "host"), Json.str(o, "", "reportingInstance"));
            return text(instance.isEmpty() ? component : component + ", " + instance);
        }));
        c.add(Column.of("Message", "string", 0, (o, now) -> text(Json.str(o, "", "message").strip())));
        c.add(Column.of("First Seen", "string", 1, (o, now) -> text(firstSeen(o, now))));
        c.add(Column.of("Count", "string", 1, (o, now) -> {
            long count = o.path("series").has("count") ? o.path("series").path("count").asLong() : Json.num(o, 0, "count");
            return F.numberNode(count == 0 ? 1 : count);
        }));
        c.add(new Column("Name", "string", "name", 1, NAME_DESCRIPTION, (o, now) -> text(Json.name(o))));
    }

    private static String firstSeen(JsonNode o, Instant now) {
        String first = Json.str(o, "", "firstTimestamp");
        return translateTimestampSince(first.isEmpty() ? Json.str(o, "", "eventTime") : first, now);
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    private static int st(JsonNode o, String field) {
        return (int) Json.num(o, 0, "status", field);
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
        if (pod.path("metadata").hasNonNull("deletionTimestamp")) return "Terminating";
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

    private static String readinessGates(JsonNode pod) {
        JsonNode gates = pod.path("spec").path("readinessGates");
        if (gates.isEmpty()) return "<none>";
        int ready = 0;
        for (JsonNode g : gates) {
            for (JsonNode c : pod.path("status").path("conditions")) {
                if (c.path("type").asText().equals(g.path("conditionType").asText()) && c.path("status").asText().equals("True")) ready++;
            }
        }
        return ready + "/" + gates.size();
    }

    // ---- custom resources (apiextensions-apiserver's tableconvertor) ----

    private static List<Column> customColumns(JsonNode crd, String version) {
        JsonNode printerColumns = null;
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(version)) printerColumns = v.get("additionalPrinterColumns");
        }
        if (printerColumns == null) printerColumns = crd.path("spec").get("additionalPrinterColumns"); // v1beta1 layout
        List<Column> c = new ArrayList<>();
        c.add(new Column("Name", "string", "name", 0, NAME_DESCRIPTION, (o, now) -> text(Json.name(o))));
        if (printerColumns == null || printerColumns.isEmpty()) {
            c.add(new Column("Age", "date", "", 0, AGE_DESCRIPTION, (o, now) -> dateCell(o.path("metadata").get("creationTimestamp"), now)));
            return c;
        }
        for (JsonNode col : printerColumns) {
            String path = col.path("jsonPath").asText(col.path("JSONPath").asText());
            String type = col.path("type").asText("string");
            String description = col.path("description").asText("");
            c.add(new Column(col.path("name").asText(), type, col.path("format").asText(""), col.path("priority").asInt(0),
                    description.isEmpty() ? "Custom resource definition column (in JSONPath format): " + path : description,
                    (o, now) -> customCell(o, path, type, now)));
        }
        return c;
    }

    /** The first value the path selects, converted as cellForJSONValue does; null (kubectl: {@code <none>}) when none fits. */
    private static JsonNode customCell(JsonNode o, String path, String type, Instant now) {
        List<JsonNode> found;
        try {
            found = JsonPaths.find(o, path);
        } catch (IllegalArgumentException e) {
            return F.nullNode();
        }
        if (found.isEmpty() || found.get(0).isNull()) return F.nullNode();
        JsonNode v = found.get(0);
        return switch (type) {
            case "string" -> text(v.isTextual() ? v.asText() : v.isIntegralNumber() || v.isBoolean() ? v.asText()
                    : v.isNumber() ? goFloat(v.asDouble()) : Json.text(v));
            case "integer" -> v.isNumber() ? F.numberNode(v.asLong()) : F.nullNode();
            case "number" -> v.isNumber() ? F.numberNode(v.asDouble()) : F.nullNode();
            case "boolean" -> v.isBoolean() ? v : F.nullNode();
            case "date" -> dateCell(v, now);
            default -> F.nullNode();
        };
    }

    private static JsonNode dateCell(JsonNode v, Instant now) {
        if (v == null || !v.isTextual()) return F.nullNode();
        try {
            return text(humanDuration(Duration.between(Instant.parse(v.asText()), now)));
        } catch (DateTimeParseException e) {
            return text("<invalid>");
        }
    }

    private static String goFloat(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static JsonNode text(String s) {
        return F.textNode(s);
    }

    // ---- times ----

    /** translateTimestampSince: {@code <unknown>} without a time, else the age kubectl prints. */
    static String translateTimestampSince(String timestamp, Instant now) {
        if (timestamp == null || timestamp.isEmpty()) return "<unknown>";
        try {
            return humanDuration(Duration.between(Instant.parse(timestamp), now));
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }


    /** apimachinery's duration.HumanDuration, the ages kubectl shows. */
    static String humanDuration(Duration d) {
        long seconds = d.toMillis() / 1000; // Go's int(d.Seconds()) truncates toward zero
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60 * 2) return seconds + "s";
        long minutes = d.toMinutes();
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        }
        if (minutes < 60 * 3) return minutes + "m";
        long hours = d.toHours();
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        }
        if (hours < 48) return hours + "h";
        if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? (hours / 24) + "d" : (hours / 24) + "d" + h + "h";
        }
        if (hours < 24 * 365 * 2) return (hours / 24) + "d";
        if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? (hours / 24 / 365) + "y" : (hours / 24 / 365) + "y" + dy + "d";
        }
        return (hours / 24 / 365) + "y";
    }
}

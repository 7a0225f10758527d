package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.workload.Conventions;
import dev.shipdeck.core.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ships a version from one environment to another: the source's container images, per container name (as
 * {@code kubectl set image} does, init containers too), and its version label go into the target's pod template —
 * nothing else. Replicas, env, resources, command and args of the target stay as they are; the plan says which of them
 * differ from the source. A Deployment gets a strategic merge patch (only the containers that change, merged by
 * name); a Rollout, a custom resource that takes no strategic patch, a JSON merge patch with its own container lists
 * where only the images changed. Both carry the resourceVersion they were computed from. Pure.
 */
final class ShipPlanner {
    static final String FROM = "from";
    static final String IMAGES = "images";
    static final String VERSION = "version";
    static final String REASON = "reason";
    /** The key of an init container in {@link #IMAGES}. */
    private static final String INIT = "init:";

    private ShipPlanner() {}

    /**
     * What to ship: the source environment, its version and images ({@code name=image}, init containers as
     * {@code init:name=image}), and the source workload's facts when it was read in this run (null when the request
     * carried the images, as a queued command does: then nothing is said about fields not copied).
     */
    record Source(String environment, String version, Map<String, String> images, WorkloadFacts facts) {
        Source {
            images = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(images));
        }

        /** The source as read from its workload. */
        static Source of(String environment, WorkloadFacts f) {
            if (f.template() == null) {
                throw Refused.refused(f.name() + " in " + environment + " has no pod template of its own (workloadRef): nothing to ship from it");
            }
            Map<String, String> images = new LinkedHashMap<>();
            f.template().path("spec").path("initContainers").forEach(c -> images.put(INIT + c.path("name").asText(), c.path("image").asText()));
            f.template().path("spec").path("containers").forEach(c -> images.put(c.path("name").asText(), c.path("image").asText()));
            return new Source(environment, Conventions.version(f.template()), images, f);
        }

        /** The source a request carries (a queued ship), or null when it carries none. */
        static Source of(CommandRequest r) {
            if (r.arg(IMAGES).isBlank()) return null;
            Map<String, String> images = new LinkedHashMap<>();
            for (String part : r.arg(IMAGES).split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0 || eq == part.length() - 1) {
                    throw Refused.refused("images must be container=image pairs separated by commas, got \"" + part.trim() + "\"");
                }
                images.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
            return new Source(r.arg(FROM), r.arg(VERSION), images, null);
        }

        /** The request with what is shipped in its args, so the audit record (and a queued command) holds it. */
        CommandRequest into(CommandRequest r) {
            Map<String, String> args = new LinkedHashMap<>(r.args());
            args.put(FROM, environment);
            args.put(VERSION, version);
            List<String> pairs = new ArrayList<>();
            images.forEach((k, v) -> pairs.add(k + "=" + v));
            args.put(IMAGES, String.join(",", pairs));
            return new CommandRequest(r.action(), r.environment(), r.component(), r.namespace(), r.workload(), args, r.reason(), r.requestedBy());
        }
    }

    static Plan plan(Target t, Source s, List<String> warnings) {
        WorkloadFacts f = t.facts();
        if (f.template() == null) {
            throw Refused.refused(t.name() + " has no pod template of its own (workloadRef): ship to the workload it refers to");
        }
        JsonNode spec = f.template().path("spec");
        ArrayNode containers = copy(spec.path("containers"));
        ArrayNode inits = copy(spec.path("initContainers"));
        ArrayNode changedContainers = KubeApi.JSON.createArrayNode();
        ArrayNode changedInits = KubeApi.JSON.createArrayNode();
        int matched = set(containers, s.images(), "", changedContainers) + set(inits, s.images(), INIT, changedInits);
        if (matched == 0) {
            throw Refused.refused("none of the containers of " + t.name() + " (" + names(containers) + ") is named like one in "
                    + s.environment() + " (" + String.join(", ", s.images().keySet()) + "): nothing to ship");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode have = f.template().path("metadata").path("labels");
        JsonNode srcLabels = s.facts() == null ? KubeApi.JSON.createObjectNode() : s.facts().template().path("metadata").path("labels");
        for (String p : Conventions.PREFIXES) {
            if (have.has(p + "version") || srcLabels.has(p + "version")) labels.put(p + "version", s.version());
        }
        if (labels.isEmpty()) labels.put(Conventions.PREFIXES[0] + "version", s.version());
        labels.entrySet().removeIf(e -> e.getValue().isEmpty() || e.getValue().equals(have.path(e.getKey()).asText(null)));
        notCopied(t, s, warnings);
        String what = "ship " + s.version() + " from " + s.environment() + " to " + t.env().name() + " (" + t.name() + ": "
                + changes(changedContainers, changedInits) + ")";
        if (changedContainers.isEmpty() && changedInits.isEmpty() && labels.isEmpty()) {
            return Plan.nothing(t.name() + " already runs " + s.environment() + "'s images and version " + s.version() + ": nothing to ship");
        }
        ObjectNode body = KubeApi.JSON.createObjectNode();
        body.putObject("metadata").put("resourceVersion", f.resourceVersion());
        ObjectNode template = body.putObject("spec").putObject("template");
        if (!labels.isEmpty()) {
            ObjectNode l = template.putObject("metadata").putObject("labels");
            labels.forEach(l::put);
        }
        ObjectNode podSpec = KubeApi.JSON.createObjectNode();
        if (t.kind() == WorkloadKind.DEPLOYMENT) {
            // strategic merge: the lists are merged by container name, only the changed entries are sent
            if (!changedInits.isEmpty()) podSpec.set("initContainers", changedInits);
            if (!changedContainers.isEmpty()) podSpec.set("containers", changedContainers);
        } else {
            // a merge patch replaces a list whole: the workload's own list with only the images changed
            if (!changedInits.isEmpty()) podSpec.set("initContainers", inits);
            if (!changedContainers.isEmpty()) podSpec.set("containers", containers);
        }
        if (!podSpec.isEmpty()) template.set("spec", podSpec);
        PlannedRequest p = t.kind() == WorkloadKind.DEPLOYMENT
                ? new PlannedRequest("PATCH", t.basePath(), PlannedRequest.STRATEGIC_PATCH, body.toString())
                : PlannedRequest.mergePatch(t.basePath(), body.toString());
        return Plan.one(p, what);
    }

    /** Sets the images of {@code list} from {@code images}; the containers that changed go to {@code changed}. How many matched. */
    private static int set(ArrayNode list, Map<String, String> images, String prefix, ArrayNode changed) {
        int matched = 0;
        for (JsonNode c : list) {
            String image = images.get(prefix + c.path("name").asText());
            if (image == null) continue;
            matched++;
            if (image.equals(c.path("image").asText())) continue;
            ((ObjectNode) c).put("image", image);
            changed.addObject().put("name", c.path("name").asText()).put("image", image);
        }
        return matched;
    }

    /** The fields the source has otherwise, which stay as they are: as warnings (replicas, and env, resources, command, args per container). */
    private static void notCopied(Target t, Source s, List<String> warnings) {
        if (s.facts() == null) return;
        String src = s.environment();
        String dst = t.env().name();
        if (s.facts().replicas() != t.facts().replicas()) {
            warnings.add("not copied, stays as it is: replicas (" + dst + " " + t.facts().replicas() + ", " + src + " " + s.facts().replicas() + ")");
        }
        Map<String, JsonNode> theirs = new LinkedHashMap<>();
        s.facts().template().path("spec").path("containers").forEach(c -> theirs.put(c.path("name").asText(), c));
        for (JsonNode c : t.facts().template().path("spec").path("containers")) {
            JsonNode o = theirs.get(c.path("name").asText());
            if (o == null) continue;
            List<String> fields = new ArrayList<>();
            for (String field : List.of("env", "resources", "command", "args")) {
                if (!Objects.equals(normal(c.get(field)), normal(o.get(field)))) fields.add(field);
            }
            if (!fields.isEmpty()) {
                warnings.add("not copied, stays as it is: " + String.join(", ", fields) + " of container " + c.path("name").asText()
                        + " (they differ from " + src + ")");
            }
        }
        for (String name : s.images().keySet()) {
            boolean has = false;
            for (JsonNode c : t.facts().template().path("spec").path(name.startsWith(INIT) ? "initContainers" : "containers")) {
                if ((name.startsWith(INIT) ? INIT : "").concat(c.path("name").asText()).equals(name)) has = true;
            }
            if (!has) warnings.add("not copied: container " + name + " of " + src + " is not in " + t.name() + " (" + dst + ")");
        }
    }

    /** Empty objects and lists count as absent ({@code resources: {}} is what kubectl sends for none). */
    private static JsonNode normal(JsonNode n) {
        return n == null || n.isNull() || n.isContainerNode() && n.isEmpty() ? null : n;
    }

    private static ArrayNode copy(JsonNode list) {
        return list != null && list.isArray() ? ((ArrayNode) list).deepCopy() : KubeApi.JSON.createArrayNode();
    }

    private static String names(ArrayNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(c -> out.add(c.path("name").asText()));
        return String.join(", ", out);
    }

    private static String changes(ArrayNode containers, ArrayNode inits) {
        List<String> out = new ArrayList<>();
        inits.forEach(c -> out.add("init container " + c.path("name").asText() + " → " + c.path("image").asText()));
        containers.forEach(c -> out.add(c.path("name").asText() + " → " + c.path("image").asText()));
        return out.isEmpty() ? "images unchanged, version label only" : String.join(", ", out);
    }
}

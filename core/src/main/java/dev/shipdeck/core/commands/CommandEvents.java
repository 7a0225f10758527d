package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.kube.Redact;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.workload.WorkloadPaths;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The core/v1 Event a command leaves on its workload after it ran, so that people using kubectl, k9s or Argo CD see
 * who did what and why ({@code kubectl get events --field-selector involvedObject.name=web}): reason
 * {@code ShipdeckRestore} and the like, the person's reason in the message, type Warning when the command failed.
 * Nothing is written on the workload itself (an annotation would be drift to a GitOps tool). Writing it never fails
 * the command: {@link #write} returns what went wrong, for the result's message.
 */
final class CommandEvents {
    /** kubectl's and the API server's limit on an Event's message (NoteLengthLimit). */
    static final int MAX_MESSAGE_BYTES = 1024;
    static final String COMPONENT = "shipdeck";
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private CommandEvents() {}

    /** The Event's reason for an action. */
    static String reason(Action a) {
        return switch (a) {
            case RESTORE_VERSION -> "ShipdeckRestore";
            case SCALE -> "ShipdeckScale";
            case RESTART -> "ShipdeckRestart";
            case PROMOTE -> "ShipdeckPromote";
            case PROMOTE_FULL -> "ShipdeckPromoteFull";
            case RETRY -> "ShipdeckRetry";
            case CANCEL -> "ShipdeckAbort";
            case EDIT_LABELS -> "ShipdeckLabel";
            case SHIP -> "ShipdeckShip";
        };
    }

    /** The verb a failed command is told with: "alice tried to restore web". */
    private static String verb(Action a) {
        return switch (a) {
            case RESTORE_VERSION -> "restore";
            case SCALE -> "scale";
            case RESTART -> "restart";
            case PROMOTE -> "promote";
            case PROMOTE_FULL -> "fully promote";
            case RETRY -> "retry";
            case CANCEL -> "cancel the rollout of";
            case EDIT_LABELS -> "relabel";
            case SHIP -> "ship a version to";
        };
    }

    /**
     * What the Event says: who, what (the plan's sentence in the past tense, or what was tried and how it ended) and the
     * person's reason.
     */
    static String message(CommandRequest r, String who, String workload, Outcome outcome, String text) {
        String what = switch (outcome) {
            case SUCCEEDED, PLANNED -> who + " " + past(text);
            case SKIPPED -> who + " asked to " + verb(r.action()) + " " + workload + ": nothing to do (" + text + ")";
            case CONFLICT -> who + " tried to " + verb(r.action()) + " " + workload + ", which was not applied: " + text;
            case FAILED, REFUSED -> who + " tried to " + verb(r.action()) + " " + workload + ", which failed: " + text;
        };
        return fit(r.reason().isEmpty() ? what : what + ": " + r.reason());
    }

    /** "restore web to version 1.2.0 (revision 3)" → "restored web to version 1.2.0 (revision 3)". */
    static String past(String summary) {
        int space = summary.indexOf(' ');
        String first = space < 0 ? summary : summary.substring(0, space);
        String rest = space < 0 ? "" : summary.substring(space);
        String done = switch (first) {
            case "restore", "scale", "promote", "change", "remove" -> first + "d";
            case "restart" -> "restarted";
            case "cancel" -> "cancelled";
            case "ship" -> "shipped";
            case "retry" -> "retried";
            case "set" -> "set";
            default -> null;
        };
        return done == null ? "ran: " + summary : done + rest;
    }

    /** The Event as JSON, for the workload {@code t} (which must have been read). */
    static ObjectNode event(Target t, Action action, String message, boolean warning, Instant now, String instance) {
        ObjectNode e = KubeApi.JSON.createObjectNode();
        e.put("apiVersion", "v1").put("kind", "Event");
        String suffix = "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        String name = t.name().length() + suffix.length() > 253 ? t.name().substring(0, 253 - suffix.length()) : t.name();
        e.putObject("metadata").put("name", name + suffix).put("namespace", t.namespace());
        ObjectNode ref = e.putObject("involvedObject");
        ref.put("kind", t.kind().kind()).put("namespace", t.namespace()).put("name", t.name()).put("uid", t.facts().uid())
                .put("apiVersion", WorkloadPaths.apiVersion(t.kind()));
        if (!t.facts().resourceVersion().isEmpty()) ref.put("resourceVersion", t.facts().resourceVersion());
        String reason = reason(action);
        e.put("reason", reason).put("message", message).put("type", warning ? "Warning" : "Normal");
        e.putObject("source").put("component", COMPONENT);
        String seconds = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        e.put("firstTimestamp", seconds).put("lastTimestamp", seconds).put("count", 1);
        // an Event with eventTime must also say who reported it, from where, and the action (the API server's rules)
        e.put("eventTime", MICRO.format(now));
        e.put("action", reason.substring("Shipdeck".length()));
        e.put("reportingComponent", COMPONENT).put("reportingInstance", instance);
        return e;
    }

    /**
     * Creates the Event; null when it was written, else why not (a note for the command's message — the command
     * itself already ran).
     */
    static String write(KubeApi api, ObjectNode event, Set<String> secrets) {
        String ns = event.path("metadata").path("namespace").asText();
        try {
            KubeApi.Response resp = api.send("POST", "/api/v1/namespaces/" + ns + "/events", "application/json", event.toString());
            if (resp.ok()) return null;
            return "the Event on the workload could not be written (" + resp.code() + ": " + Redact.text(resp.message(), secrets) + ")";
        } catch (RuntimeException e) {
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            return "the Event on the workload could not be written (" + Redact.text(String.valueOf(why), secrets) + ")";
        }
    }

    /** Where the command ran from: this machine's name, as the Event's reportingInstance (at most 128 characters). */
    static String instance() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) host = System.getenv("COMPUTERNAME");
        String out = host == null || host.isBlank() ? COMPONENT : COMPONENT + "-" + host.strip().toLowerCase(java.util.Locale.ROOT);
        return out.length() > 128 ? out.substring(0, 128) : out;
    }

    /** At most {@link #MAX_MESSAGE_BYTES} bytes of UTF-8, cut with an ellipsis. */
    static String fit(String s) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_BYTES) return s;
        StringBuilder sb = new StringBuilder();
        int bytes = 3; // the ellipsis
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > MAX_MESSAGE_BYTES) break;
            sb.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return sb.append('…').toString();
    }
}

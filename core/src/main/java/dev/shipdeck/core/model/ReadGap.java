package dev.shipdeck.core.model;

import java.util.Locale;

/**
 * A kind of object that could not be listed in an environment while its Deployments could: the environment's
 * snapshot is partial, and says so. {@code kind} is what a person calls it ("Rollouts"), {@code resource} what RBAC
 * calls it ("rollouts.argoproj.io"), {@code code} the HTTP status (0 when no answer came) and {@code reason} the
 * status phrase or what went wrong on the way ("Service Unavailable", "timed out after 1s").
 */
public record ReadGap(String kind, String resource, int code, String reason) {
    public ReadGap {
        reason = reason == null ? "" : reason;
    }

    /** A gap for an HTTP answer, with the standard phrase of its status. */
    public static ReadGap http(String kind, String resource, int code) {
        return new ReadGap(kind, resource, code, phrase(code));
    }

    /** {@code 503 Service Unavailable}, or the transport failure when no answer came. */
    public String status() {
        return code > 0 ? (code + " " + reason).strip() : reason;
    }

    /** As a status bar shows it: {@code Rollouts 503}, or {@code Rollouts timed out after 1s}. */
    public String brief() {
        return kind + " " + (code > 0 ? Integer.toString(code) : reason);
    }

    /** What is missing from the snapshot because of this gap. */
    public String impact() {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "rollouts" -> "components and releases from Rollouts are missing";
            case "replicasets" -> "versions and the release history derived from ReplicaSets are missing";
            case "namespaces" -> "labels set on namespaces are missing";
            case "horizontalpodautoscalers" -> "autoscaler warnings are missing";
            case "release records" -> "the timeline shows the history derived from ReplicaSets instead";
            default -> kind + " are missing";
        };
    }

    /** What a person can do about it. */
    public String advice() {
        if (code == 403) return "ask for permission to list " + resource + ", or use another context";
        if (code == 401) return "log in again to refresh the credentials";
        return "retry, or check the API server";
    }

    /** The standard phrase of an HTTP status, as the API server's Status objects carry it. */
    public static String phrase(int code) {
        return switch (code) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}

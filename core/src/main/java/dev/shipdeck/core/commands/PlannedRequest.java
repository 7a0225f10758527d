package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/** One HTTP request a command sends (or would send, in a dry run), exactly. */
public record PlannedRequest(String method, String path, String contentType, String body) {
    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC_PATCH = "application/strategic-merge-patch+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How {@link #httpText} lays a request out. */
    public enum Layout {
        /** The CLI's dry run: method and path, always a Content-Type line, the body as sent. */
        TERMINAL,
        /** The desktop dialog: the Content-Type line only when there is one, a blank line, the body pretty-printed. */
        DIALOG
    }

    static PlannedRequest mergePatch(String path, String body) {
        return new PlannedRequest("PATCH", path, MERGE_PATCH, body);
    }

    /** The request as HTTP text, the one printer of the CLI and the desktop dialog. */
    public String httpText(Layout layout) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path);
        if (layout == Layout.TERMINAL) return sb.append("\nContent-Type: ").append(contentType).append('\n').append(body).toString();
        if (!contentType.isEmpty()) sb.append("\nContent-Type: ").append(contentType);
        if (!body.isEmpty()) sb.append("\n\n").append(pretty(body));
        return sb.toString();
    }

    private static String pretty(String body) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(body));
        } catch (IOException e) {
            return body;
        }
    }

    @Override
    public String toString() {
        return method + " " + path + (contentType.isEmpty() ? "" : " (" + contentType + ")") + (body.isEmpty() ? "" : "\n" + body);
    }
}

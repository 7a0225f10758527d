package dev.shipdeck.core.commands;

/** One HTTP request a command sends (or would send, in a dry run), exactly. */
public record PlannedRequest(String method, String path, String contentType, String body) {
    @Override
    public String toString() {
        return method + " " + path + (contentType.isEmpty() ? "" : " (" + contentType + ")") + (body.isEmpty() ? "" : "\n" + body);
    }
}

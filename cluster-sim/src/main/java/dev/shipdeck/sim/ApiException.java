package dev.shipdeck.sim;

/** An error the API server answers with a Kubernetes {@code Status} object. */
public final class ApiException extends RuntimeException {
    private final int code;
    private final String reason;

    public ApiException(int code, String reason, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
    }

    public int code() { return code; }

    public String reason() { return reason; }

    public static ApiException notFound(ResourceType type, String name) {
        return new ApiException(404, "NotFound",
                type.plural() + (type.group().isEmpty() ? "" : "." + type.group()) + " \"" + name + "\" not found");
    }

    public static ApiException alreadyExists(ResourceType type, String name) {
        return new ApiException(409, "AlreadyExists",
                type.plural() + (type.group().isEmpty() ? "" : "." + type.group()) + " \"" + name + "\" already exists");
    }

    public static ApiException conflict(ResourceType type, String name) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on "
                + type.plural() + (type.group().isEmpty() ? "" : "." + type.group()) + " \"" + name
                + "\": the object has been modified; please apply your changes to the latest version and try again");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public static ApiException invalid(String message) {
        return new ApiException(422, "Invalid", message);
    }
}

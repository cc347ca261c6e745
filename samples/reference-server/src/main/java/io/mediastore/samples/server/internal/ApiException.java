package io.mediastore.samples.server.internal;

import java.util.Map;

/** An error answered as {@code {"error":{"code","message",...extra}}} with an HTTP status; never carries a stack trace to the client. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> extra;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = Map.copyOf(extra);
    }

    public int status() { return status; }
    public String code() { return code; }
    public Map<String, Object> extra() { return extra; }

    public static ApiException notFound() { return new ApiException(404, "not_found", "no such resource"); }
    public static ApiException forbidden() { return new ApiException(403, "forbidden", "not allowed"); }
    public static ApiException unauthenticated() { return new ApiException(401, "unauthenticated", "log in first"); }
    public static ApiException validation(String field, String message) {
        return new ApiException(400, "validation", message, Map.of("field", field));
    }
}

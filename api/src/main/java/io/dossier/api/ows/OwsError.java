package io.dossier.api.ows;

import io.dossier.core.Failure;

/**
 * An error as OWS answers it: {@code {"error":{"message":…,"code":…},"id":…}} over JSON-RPC, a
 * fault over XML-RPC. Clients re-login on exactly {@link #LOGIN_FIRST}, so that text never changes.
 */
public final class OwsError extends RuntimeException {

    public static final String LOGIN_FIRST = "Access denied; please login first";

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;

    private final int code;

    public OwsError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** How a core failure reads in OWS. */
    public static OwsError of(Failure failure) {
        return switch (failure.kind()) {
            case UNAUTHENTICATED -> new OwsError(0, LOGIN_FIRST);
            case INVALID -> new OwsError(INVALID_PARAMS, failure.getMessage());
            case NOT_FOUND -> new OwsError(404, failure.getMessage());
            case FORBIDDEN -> new OwsError(403, "Access denied; " + failure.getMessage());
            case CONFLICT -> new OwsError(409, failure.getMessage());
            case TOO_LARGE -> new OwsError(413, failure.getMessage());
            case RATE_LIMITED -> new OwsError(429, failure.getMessage());
            case UNAVAILABLE, INTERNAL -> new OwsError(INTERNAL_ERROR, failure.getMessage());
        };
    }

    public static OwsError invalidParams(String message) {
        return new OwsError(INVALID_PARAMS, message);
    }
}

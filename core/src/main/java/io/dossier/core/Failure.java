package io.dossier.core;

/**
 * The closed set of ways a core call can refuse. Each dialect maps a {@link Kind} to its own
 * documented error shape; nothing else escapes a core service on bad input.
 */
public final class Failure extends RuntimeException {

    public enum Kind { NOT_FOUND, FORBIDDEN, UNAUTHENTICATED, INVALID, CONFLICT, TOO_LARGE, RATE_LIMITED, UNAVAILABLE }

    private final Kind kind;

    public Failure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Failure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static Failure notFound(String message) { return new Failure(Kind.NOT_FOUND, message); }
    public static Failure forbidden(String message) { return new Failure(Kind.FORBIDDEN, message); }
    public static Failure unauthenticated(String message) { return new Failure(Kind.UNAUTHENTICATED, message); }
    public static Failure invalid(String message) { return new Failure(Kind.INVALID, message); }
    public static Failure conflict(String message) { return new Failure(Kind.CONFLICT, message); }
    public static Failure tooLarge(String message) { return new Failure(Kind.TOO_LARGE, message); }
    public static Failure rateLimited(String message) { return new Failure(Kind.RATE_LIMITED, message); }
    public static Failure unavailable(String message, Throwable cause) { return new Failure(Kind.UNAVAILABLE, message, cause); }
}

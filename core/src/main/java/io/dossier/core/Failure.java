package io.dossier.core;

/**
 * The closed set of ways a core call can refuse. Each dialect maps a {@link Kind} to its own
 * documented error shape; nothing else escapes a core service on bad input.
 *
 * <p>{@link Kind#INTERNAL} is not a refusal: core never throws it. The HTTP layer turns an
 * unexpected exception (a bug) into one, so that every dialect answers it 500 in its own shape
 * with the reference under which the exception was logged.
 */
public final class Failure extends RuntimeException {

    public enum Kind { NOT_FOUND, FORBIDDEN, UNAUTHENTICATED, INVALID, CONFLICT, TOO_LARGE, RATE_LIMITED, UNAVAILABLE, INTERNAL }

    private final Kind kind;
    private final String reference;
    private final java.time.Duration retryAfter;

    public Failure(Kind kind, String message) {
        this(kind, message, null);
    }

    public Failure(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, null);
    }

    private Failure(Kind kind, String message, Throwable cause, String reference) {
        this(kind, message, cause, reference, null);
    }

    private Failure(Kind kind, String message, Throwable cause, String reference, java.time.Duration retryAfter) {
        super(message, cause, false, false);
        this.kind = kind;
        this.reference = reference;
        this.retryAfter = retryAfter;
    }

    /** For {@link Kind#RATE_LIMITED} and {@link Kind#UNAVAILABLE}: when the caller may try again, if known; else null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#INTERNAL}: the reference the exception was logged under; else null. */
    public String reference() {
        return reference;
    }

    public static Failure notFound(String message) { return new Failure(Kind.NOT_FOUND, message); }
    public static Failure forbidden(String message) { return new Failure(Kind.FORBIDDEN, message); }
    public static Failure unauthenticated(String message) { return new Failure(Kind.UNAUTHENTICATED, message); }
    public static Failure invalid(String message) { return new Failure(Kind.INVALID, message); }
    public static Failure conflict(String message) { return new Failure(Kind.CONFLICT, message); }
    public static Failure tooLarge(String message) { return new Failure(Kind.TOO_LARGE, message); }
    public static Failure rateLimited(String message) { return new Failure(Kind.RATE_LIMITED, message); }
    public static Failure rateLimited(String message, java.time.Duration retryAfter) {
        return new Failure(Kind.RATE_LIMITED, message, null, null, retryAfter);
    }
    public static Failure unavailable(String message, Throwable cause) { return new Failure(Kind.UNAVAILABLE, message, cause); }
    public static Failure unavailable(String message, java.time.Duration retryAfter, Throwable cause) {
        return new Failure(Kind.UNAVAILABLE, message, cause, null, retryAfter);
    }
    public static Failure internal(String reference) {
        return new Failure(Kind.INTERNAL, "internal error, reference " + reference, null, reference);
    }
}

package io.dossier.api.http;

import io.dossier.core.Failure;

/**
 * The one mapping from a core failure to an HTTP status, shared by every dialect. {@link Routes}
 * sets it before a dialect's {@link ErrorShape} writes the body; a dialect whose wire carries its
 * errors inside HTTP 200 (OWS JSON-RPC and XML-RPC) overrides it there, and nowhere else.
 */
public final class FailureStatus {

    private FailureStatus() {
    }

    public static int of(Failure.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case RATE_LIMITED -> 429;
            case INTERNAL -> 500;
            case UNAVAILABLE -> 503;
        };
    }

    public static int of(Failure failure) {
        return of(failure.kind());
    }
}

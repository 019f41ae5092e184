package io.dossier.api.http;

import io.dossier.core.ratelimit.RateLimiter;
import io.javalin.http.Context;

/**
 * A request's admission under its client's rate limits: admitted once per request, where the
 * dialect knows the client, and released by {@link Routes} when the request ends, however it ends.
 */
public final class Admission {

    private static final String ATTRIBUTE = "dossier.admission";

    private Admission() {
    }

    /** Admits the request for {@code clientId} in {@code dialect} unless it already was; refuses with RATE_LIMITED. */
    public static void admit(Context ctx, RateLimiter limiter, long clientId, String dialect) {
        if (ctx.attribute(ATTRIBUTE) == null) {
            ctx.attribute(ATTRIBUTE, limiter.admit(clientId, dialect));
        }
    }

    static void release(Context ctx) {
        RateLimiter.Permit permit = ctx.attribute(ATTRIBUTE);
        if (permit != null) {
            permit.close();
        }
    }
}

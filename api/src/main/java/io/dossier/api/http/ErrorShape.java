package io.dossier.api.http;

import io.dossier.core.Failure;
import io.javalin.http.Context;

/**
 * A dialect's documented error form: writes {@code failure}'s body (and headers) as that API
 * would. The status is already set from {@link FailureStatus} when it is called; a shape reads it
 * with {@code ctx.statusCode()} and changes it only where its wire says otherwise.
 */
@FunctionalInterface
public interface ErrorShape {
    void write(Context ctx, Failure failure);
}

package io.dossier.api.http;

import io.dossier.core.Failure;
import io.javalin.http.Context;

/** A dialect's documented error form: writes {@code failure} as that API would. */
@FunctionalInterface
public interface ErrorShape {
    void write(Context ctx, Failure failure);
}

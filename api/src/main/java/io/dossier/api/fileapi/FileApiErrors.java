package io.dossier.api.fileapi;

import io.dossier.api.http.FailureStatus;
import io.dossier.api.http.Json;
import io.dossier.api.http.Responses;
import io.dossier.core.Failure;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.UUID;

/** The File API error shape: {@code {"correlationId","message","errorCode","exception"}} with the HTTP status as errorCode. */
final class FileApiErrors {

    private FileApiErrors() {
    }

    static void write(Context ctx, Failure failure) {
        var correlationId = failure.reference() != null ? failure.reference() : UUID.randomUUID().toString();
        write(ctx, FailureStatus.of(failure), failure.getMessage(), correlationId);
    }

    static void write(Context ctx, int status, String message, String correlationId) {
        var body = new LinkedHashMap<String, Object>();
        body.put("correlationId", correlationId);
        body.put("message", message);
        body.put("errorCode", Integer.toString(status));
        body.put("exception", null);
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        try {
            Responses.send(ctx, status, "application/json", Json.WITH_NULLS.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

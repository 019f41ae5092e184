package io.dossier.api.opus2;

import io.dossier.api.http.FailureStatus;
import io.dossier.api.http.Json;
import io.dossier.core.Failure;
import io.javalin.http.Context;
import java.util.LinkedHashMap;

/**
 * The one error body of the Opus 2 dialect, for every status: {@code {"status","error","message"}}
 * and, for a 500, the {@code reference} that is also in the server's log (the schema {@code Error}
 * in {@code openapi.json}).
 */
final class Opus2Errors {

    static final String INVALID_TOKEN = "The provided API token is invalid";

    private Opus2Errors() {
    }

    static void write(Context ctx, Failure failure) {
        write(ctx, FailureStatus.of(failure), failure.kind() == Failure.Kind.INTERNAL ? "Backend error" : failure.getMessage(),
                failure.reference());
    }

    static void write(Context ctx, int status, String message) {
        write(ctx, status, message, null);
    }

    private static void write(Context ctx, int status, String message, String reference) {
        var body = new LinkedHashMap<String, Object>();
        body.put("status", status);
        body.put("error", reason(status));
        body.put("message", message);
        if (reference != null) {
            body.put("reference", reference);
        }
        Json.write(ctx, status, body);
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 416 -> "Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}

package io.dossier.api.youforce;

import io.dossier.api.http.FailureStatus;
import io.dossier.api.http.Json;
import io.dossier.api.http.Responses;
import io.dossier.core.Failure;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.UUID;

/**
 * Youforce's error shape: {@code {"message","correlationId","issuedAt","errorCode","statusCode"}}.
 * A 401 says {@code "Authentication Error"} and {@code "unauthorized"} exactly, as clients see it; a
 * 429 says "Too Many Requests", which clients look for before they retry.
 */
final class YouforceErrors {

    private YouforceErrors() {
    }

    static void write(Context ctx, Failure failure) {
        var status = FailureStatus.of(failure);
        var correlationId = failure.reference() != null ? failure.reference() : UUID.randomUUID().toString();
        String message;
        String code;
        switch (status) {
            case 401 -> {
                message = "Authentication Error";
                code = "unauthorized";
                ctx.header("WWW-Authenticate", "Bearer");
            }
            case 403 -> {
                message = "Forbidden: " + failure.getMessage();
                code = "forbidden";
            }
            case 404 -> {
                message = "Not Found: " + failure.getMessage();
                code = "notFound";
            }
            case 429 -> {
                message = "Too Many Requests: " + failure.getMessage();
                code = "tooManyRequests";
            }
            case 500 -> {
                message = "Internal Server Error: " + failure.getMessage();
                code = "internalServerError";
            }
            case 503 -> {
                message = "Service Unavailable: " + failure.getMessage();
                code = "serviceUnavailable";
            }
            default -> {
                // every other refusal of a request (invalid input, a conflict, a body too large) is a bad request in Youforce
                status = 400;
                message = "Bad Request: " + failure.getMessage();
                code = "badRequest";
            }
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("message", message);
        body.put("correlationId", correlationId);
        body.put("issuedAt", Instant.now().toString());
        body.put("errorCode", code);
        body.put("statusCode", status);
        try {
            Responses.send(ctx, status, "application/json", Json.MAPPER.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

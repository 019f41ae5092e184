package io.dossier.api.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Response bodies a handler has whole in memory (JSON, XML, text), written with their status and
 * content type.
 *
 * <p>Why not {@code ctx.result(bytes)} for all of them: Javalin copies a result to the response
 * through a new 32 KB array (its response buffer size) however small the body is, two of them for
 * each OWS upload and attachment: 9% of what the server allocated under 16 clients uploading and
 * attaching 100 KB files. A body under {@link #DIRECT_MAX} bytes is written straight to the
 * response instead; Javalin would not compress it anyway (its gzip starts at 1,500 bytes), so
 * the bytes on the wire are the same. Larger bodies still go through Javalin, which compresses
 * them for clients that accept it.
 */
public final class Responses {

    /** Bodies shorter than this are written straight to the response. */
    static final int DIRECT_MAX = 1024;

    private Responses() {
    }

    public static void send(Context ctx, int status, String contentType, byte[] body) {
        ctx.status(status).contentType(contentType);
        if (body.length >= DIRECT_MAX) {
            ctx.result(body);
            return;
        }
        // No Content-Length is set here: with it Jetty would commit the response as the last byte is
        // written, and a status or header the handler sets after this (a refusal's status, a
        // Connection: close) would be lost. Without it the body waits in Jetty's buffer, the
        // response stays open to them (and to a reset) until the handler returns, and Jetty then
        // writes the length it has.
        try {
            ctx.res().getOutputStream().write(body);
        } catch (IOException clientGone) {
            // the client closed the connection: there is no one left to answer, as when Javalin
            // writes a result to a closed connection
        }
    }

    public static void send(Context ctx, int status, String contentType, String body) {
        send(ctx, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}

package io.dossier.api.ows;

import io.dossier.api.http.Bodies;
import io.dossier.api.http.Dialect;
import io.dossier.api.http.ErrorShape;
import io.dossier.api.http.FailureStatus;
import io.dossier.api.http.Json;
import io.dossier.api.http.Responses;
import io.dossier.api.http.Routes;
import io.dossier.api.ows.rpc.XmlRpc;
import io.dossier.core.Failure;
import io.dossier.core.content.ContentService;
import io.dossier.core.document.DocumentService;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * OTYS Web Services under {@code /ows}: the JSON-RPC endpoint {@code jservice.php}, the XML-RPC
 * endpoint {@code service.php} (both on the same {@link OwsService}), and the {@code /info} pages.
 * Requests are read whatever their Content-Type (a well-known client sends a mangled one), and
 * answers always carry HTTP 200 with the error inside, as OWS does.
 */
public final class OwsApi implements Dialect {

    /** Requests larger than this are refused unread. */
    public static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    private final OwsService service;
    private final JsonRpc jsonRpc;
    private final InfoPages info;
    private final OwsFiles files;

    /** @param maxFileBytes the largest file {@code fileService.php} accepts */
    public OwsApi(OwsService service, ContentService content, DocumentService documents, long maxFileBytes) {
        this.service = service;
        this.jsonRpc = new JsonRpc(service);
        this.info = new InfoPages(service.bindings(), service.identities());
        this.files = new OwsFiles(service, content, documents, maxFileBytes);
    }

    @Override
    public String name() {
        return "ows";
    }

    @Override
    public ErrorShape errors() {
        return (ctx, failure) -> {
            if (ctx.path().contains("/info")) {
                info.error(ctx, failure);
            } else if (ctx.path().endsWith("/fileServiceDownload")) {
                // a file the session may not read does not exist for it: 404, not 403
                var seen = failure.kind() == Failure.Kind.FORBIDDEN ? Failure.notFound(failure.getMessage()) : failure;
                writeJson(ctx, JsonRpc.error(null, OwsError.of(failure)));
                ctx.status(FailureStatus.of(seen));
            } else if (ctx.path().endsWith("/service.php")) {
                // An XML-RPC client reads a fault, also when the failure came before its call was read.
                var error = OwsError.of(failure);
                Responses.send(ctx, 200, "text/xml; charset=utf-8", XmlRpc.faultBytes(error.code(), error.getMessage()));
            } else {
                writeJson(ctx, JsonRpc.error(null, OwsError.of(failure)));
            }
        };
    }

    @Override
    public void routes(Routes routes) {
        routes.post("/jservice.php", this::json)
                .post("/service.php", this::xml)
                .post("/fileService.php", this::upload)
                .get("/fileServiceDownload", this::download)
                .head("/fileServiceDownload", this::download)
                .get("/info", info::index)
                .get("/info/", info::index)
                .get("/info/index.php", info::index)
                .get("/info/detail.php", info::detail);
    }

    private void json(Context ctx) throws IOException {
        byte[] body;
        try {
            body = body(ctx);
        } catch (Failure tooLarge) {
            writeJson(ctx, JsonRpc.error(null, new OwsError(OwsError.INVALID_REQUEST, tooLarge.getMessage())));
            return;
        }
        writeJson(ctx, jsonRpc.handle(body));
    }

    /** Upload errors come back like every OWS error: HTTP 200 with the error object. */
    private void upload(Context ctx) throws IOException {
        try {
            files.upload(ctx);
        } catch (java.io.EOFException clientGone) {
            // the client stopped sending mid-upload: whatever was received has been discarded
            ctx.status(400);
        } catch (OwsError error) {
            writeJson(ctx, JsonRpc.error(null, error));
        } catch (Failure failure) {
            writeJson(ctx, JsonRpc.error(null, OwsError.of(failure)));
        }
    }

    /** A refused download must not look like a file: it gets an HTTP error status and the error object. */
    private void download(Context ctx) throws IOException {
        try {
            files.download(ctx);
        } catch (OwsError error) {
            writeJson(ctx, JsonRpc.error(null, error));
            ctx.status(error.code() == 0 ? 401 : error.code() == 404 || error.code() == 429 ? error.code() : 400);
        }
    }

    private void xml(Context ctx) throws IOException {
        byte[] response;
        try {
            var call = XmlRpc.parseCall(new ByteArrayInputStream(body(ctx)), MAX_REQUEST_BYTES);
            response = XmlRpc.responseBytes(OwsValues.wire(service.call(call.method(), call.params(), null)));
        } catch (XmlRpc.MalformedException malformed) {
            response = XmlRpc.faultBytes(malformed.faultCode(), malformed.getMessage());
        } catch (OwsError error) {
            response = XmlRpc.faultBytes(error.code(), error.getMessage());
        } catch (Failure failure) {
            var error = OwsError.of(failure);
            response = XmlRpc.faultBytes(error.code(), error.getMessage());
        }
        Responses.send(ctx, 200, "text/xml; charset=utf-8", response);
    }

    /** The request body, refused past {@link #MAX_REQUEST_BYTES} without reading the rest. */
    static byte[] body(Context ctx) throws IOException {
        return Bodies.read(ctx, MAX_REQUEST_BYTES);
    }

    static void writeJson(Context ctx, Object document) {
        try {
            Responses.send(ctx, 200, "application/json; charset=utf-8", Json.WITH_NULLS.writeValueAsBytes(document));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("OWS response not serialisable", e);
        }
    }
}

package io.dossier.api.ows;

import io.dossier.api.http.Credentials;
import io.dossier.api.http.Downloads;
import io.dossier.api.http.MultipartForm;
import io.dossier.api.http.MultipartReader;
import io.dossier.core.Failure;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredBlob;
import io.dossier.core.document.DocumentService;
import io.dossier.core.session.Session;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The OWS file service (manual chapter 3): {@code fileService.php} takes multipart uploads and
 * streams each file to the blob store, {@code fileServiceDownload} sends a dossier document's file.
 * The session may arrive before or after the files (a well-known client sends it last), so files
 * are stored first and become the tenant's only once the session is known — or are discarded.
 */
final class OwsFiles {

    private static final MultipartForm.Limits FORM_LIMITS = new MultipartForm.Limits(MultipartReader.Limits.DEFAULT, 4096);

    private final OwsService service;
    private final ContentService content;
    private final DocumentService documents;
    private final long maxFileBytes;

    OwsFiles(OwsService service, ContentService content, DocumentService documents, long maxFileBytes) {
        this.service = service;
        this.content = content;
        this.documents = documents;
        this.maxFileBytes = maxFileBytes;
    }

    private record Received(String fileName, String declaredType, StoredBlob blob) {
    }

    void upload(Context ctx) throws IOException {
        var form = MultipartForm.of(ctx, FORM_LIMITS, "send the file as multipart/form-data with fields sessionId and file");
        var received = new ArrayList<Received>();
        // the session, checked as soon as its field has come: a caller without one stores no file
        var checked = new AtomicReference<Session>();
        try {
            form.read(part -> {
                if ("sessionId".equals(part.name())) {
                    part.text();
                } else if (part.isFile() || (part.name() != null && part.name().startsWith("file"))) {
                    if (checked.get() == null && form.fields().containsKey("sessionId")) {
                        checked.set(service.session(sessionField(form.fields().get("sessionId"))));
                    }
                    var blob = content.store(part.body(), maxFileBytes);
                    received.add(new Received(part.filename() == null ? part.name() : part.filename(), part.contentType(), blob));
                }
                return true;
            });
            if (received.isEmpty()) {
                throw OwsError.invalidParams("no file part in the upload (send it as form field 'file')");
            }
            var session = checked.get() != null ? checked.get() : service.session(sessionField(form.fields().get("sessionId")));
            var out = new LinkedHashMap<String, Object>();
            try (var permit = admit(session)) {
                for (var file : received) {
                    var stored = content.register(session.tenantId(), session.userId(), file.fileName(), file.declaredType(), file.blob());
                    var meta = new LinkedHashMap<String, Object>();
                    meta.put("ouid", stored.ouid());
                    meta.put("name", stored.name());
                    meta.put("mimeType", stored.mediaType());
                    meta.put("size", stored.size());
                    out.put(stored.name(), meta);
                }
            }
            received.clear();
            OwsApi.writeJson(ctx, out);
        } catch (Failure failure) {
            if (failure.kind() == Failure.Kind.TOO_LARGE) {
                throw new OwsError(413, "File too large: at most " + maxFileBytes + " bytes per file");
            }
            throw failure;
        } finally {
            received.forEach(file -> content.discard(file.blob()));
        }
    }

    /** The session field: a raw token, possibly JSON-quoted or with whitespace (a part sent as application/json). */
    private static String sessionField(String field) {
        if (field == null) {
            return null;
        }
        var text = field.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        return text;
    }

    void download(Context ctx) throws IOException {
        var token = Credentials.first(ctx, Credentials.Source.cookie("PHPSESSID"), Credentials.Source.query("sessionId")).orElse(null);
        var session = service.session(token);
        try (var permit = admit(session)) {
            var ouid = ctx.queryParam("ouid");
            var documentClass = ctx.queryParam("class");
            if (documentClass != null && !documentClass.equals("AttachedDocument")) {
                throw Failure.notFound("no file of class " + documentClass);
            }
            var document = documents.byFile(service.caller(session), ouid);
            Downloads.send(ctx, content, document.file(), c -> OwsApi.writeJson(c, Map.of("error",
                    Map.of("message", "Range not satisfiable", "code", 416))));
        }
    }

    /** The session's API key admitted under its rate limit, or the OWS error object naming the limit. */
    private io.dossier.core.ratelimit.RateLimiter.Permit admit(io.dossier.core.session.Session session) {
        try {
            return service.admit(session);
        } catch (Failure failure) {
            throw OwsError.of(failure);
        }
    }
}

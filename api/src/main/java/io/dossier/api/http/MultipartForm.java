package io.dossier.api.http;

import io.dossier.core.Failure;
import io.dossier.core.content.BufferPool;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A multipart request body ({@code multipart/form-data}, {@code multipart/related}) as the upload
 * routes of every dialect read it, over {@link MultipartReader}: parts are handed over one at a
 * time as they arrive; a file part's content is a stream straight off the socket (never a whole
 * file in memory), a field's text is read into memory up to {@link Limits#maxFieldBytes()}. A
 * malformed body, anywhere in it, is refused as {@link Failure.Kind#INVALID}, so that it reaches the
 * client in the dialect's error shape.
 *
 * <pre>{@code
 * MultipartForm.of(ctx, MultipartForm.Limits.DEFAULT, "send multipart/form-data").read(part -> {
 *     if (part.isFile()) store(part.body()); else if ("sessionId".equals(part.name())) token = part.text();
 *     return true;   // go on to the next part
 * });
 * }</pre>
 */
public final class MultipartForm {

    /**
     * @param parts         the reader's limits: header block size and number of parts
     * @param maxFieldBytes the most bytes of a field read with {@link Part#text()}
     */
    public record Limits(MultipartReader.Limits parts, int maxFieldBytes) {
        public static final Limits DEFAULT = new Limits(MultipartReader.Limits.DEFAULT, 4096);

        public Limits {
            if (maxFieldBytes <= 0) {
                throw new IllegalArgumentException("maxFieldBytes must be positive: " + maxFieldBytes);
            }
        }
    }

    /** Receives each part in order; returns whether to go on to the next one. */
    @FunctionalInterface
    public interface PartHandler {
        boolean part(Part part) throws IOException;
    }

    /** The readers' buffers, used again by the next form rather than allocated for each (see {@link BufferPool}). */
    private static final BufferPool BUFFERS = new BufferPool(MultipartReader.BUFFER_SIZE, 32);

    private final InputStream in;
    private final String boundary;
    private final Limits limits;
    private final Map<String, String> fields = new LinkedHashMap<>();

    private MultipartForm(InputStream in, String boundary, Limits limits) {
        this.in = in;
        this.boundary = boundary;
        this.limits = limits;
    }

    /**
     * The multipart body of {@code ctx}.
     *
     * @param notMultipart the refusal when the request is not multipart (or has no usable boundary):
     *                     it tells the client how to send the upload
     */
    public static MultipartForm of(Context ctx, Limits limits, String notMultipart) throws IOException {
        var boundary = MultipartReader.boundary(ctx.header("Content-Type")).orElseThrow(() -> Failure.invalid(notMultipart));
        return new MultipartForm(ctx.req().getInputStream(), boundary, limits);
    }

    /** A form over any stream, for tests and for bodies that do not come straight from a request. */
    public static MultipartForm of(InputStream in, String boundary, Limits limits) {
        return new MultipartForm(in, boundary, limits);
    }

    /**
     * Hands each part to {@code handler} until the body ends or the handler returns false. What is
     * left of a part the handler did not read is skipped, never buffered.
     *
     * @throws Failure (invalid) when the body is malformed, also when that shows while the handler
     *                 streams a part (a truncated file) and the handler's store wrapped the error
     */
    public void read(PartHandler handler) throws IOException {
        var buffer = BUFFERS.take();
        var reader = new MultipartReader(in, boundary, limits.parts(), buffer);
        try {
            for (var next = reader.next(); next.isPresent(); next = reader.next()) {
                if (!handler.part(new Part(next.get()))) {
                    return;
                }
            }
        } catch (MultipartReader.MalformedException malformed) {
            throw malformed(malformed);
        } catch (IOException | RuntimeException e) {
            var malformed = malformedCause(e);
            if (malformed != null) {
                throw malformed(malformed);
            }
            throw e;
        } finally {
            reader.end();   // a part's body kept past this point refuses to be read, so the buffer is free again
            BUFFERS.give(buffer);
        }
    }

    /** The fields read so far with {@link Part#text()}, by name (the first of a repeated name). */
    public Map<String, String> fields() {
        return Collections.unmodifiableMap(fields);
    }

    private static Failure malformed(MultipartReader.MalformedException e) {
        return Failure.invalid("malformed multipart body: " + e.getMessage());
    }

    private static MultipartReader.MalformedException malformedCause(Throwable e) {
        var cause = e;
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {   // causes may form a cycle
            if (cause instanceof MultipartReader.MalformedException malformed) {
                return malformed;
            }
            if (cause instanceof Failure) {
                return null;   // already a refusal of its own
            }
        }
        return null;
    }

    /** One part of the form. */
    public final class Part {

        private final MultipartReader.Part part;

        private Part(MultipartReader.Part part) {
            this.part = part;
        }

        /** The Content-Disposition {@code name}, or null. */
        public String name() {
            return part.name();
        }

        /** The Content-Disposition {@code filename}, or null for a field. Not sanitised. */
        public String filename() {
            return part.filename();
        }

        /** The part's Content-Type, or null. */
        public String contentType() {
            return part.contentType();
        }

        /** 1 for the first part. */
        public int index() {
            return part.index();
        }

        /** Whether the client sent the part as a file (it has a {@code filename}). */
        public boolean isFile() {
            return part.filename() != null;
        }

        /** The content as a stream off the socket: read it to its end or leave it, never all into memory. */
        public InputStream body() {
            return part.body();
        }

        /**
         * The content as UTF-8 text, at most {@link Limits#maxFieldBytes()} bytes; remembered in
         * {@link #fields()} under the part's name.
         *
         * @throws Failure (invalid) when the part is larger
         */
        public String text() throws IOException {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        /** The content's bytes, at most {@link Limits#maxFieldBytes()}; else a refusal (invalid). */
        public byte[] bytes() throws IOException {
            var bytes = part.body().readNBytes(limits.maxFieldBytes() + 1);
            if (bytes.length > limits.maxFieldBytes()) {
                throw Failure.invalid("the part " + (name() == null ? "#" + index() : "'" + name() + "'")
                        + " is larger than " + limits.maxFieldBytes() + " bytes");
            }
            if (name() != null) {
                fields.putIfAbsent(name(), new String(bytes, StandardCharsets.UTF_8));
            }
            return bytes;
        }
    }
}

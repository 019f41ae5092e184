package io.dossier.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper of the HTTP layer: ISO dates, no nulls written, unknown fields refused. */
public final class Json {

    /**
     * Jackson's default pool of read and write buffers is per thread; requests run on virtual
     * threads, a new one each, so every request allocated fresh buffers (a fifth of the bytes an
     * OWS {@code check} allocated). One pool shared by all threads reuses them.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /** For wire formats where an explicit null matters (JSON-RPC {@code "id": null}, empty fields). */
    public static final ObjectMapper WITH_NULLS = MAPPER.copy().setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private Json() {
    }

    /** Writes a JSON body to a generator: {@link #stream}'s part of a handler. */
    public interface BodyWriter {
        void write(JsonGenerator g) throws IOException;
    }

    /** Writes one item of a page (a list's element) to a generator. */
    public interface ItemWriter<T> {
        void write(JsonGenerator g, T item) throws IOException;
    }

    /**
     * A JSON body written by {@code writer} with {@code mapper}'s settings to the response as it is
     * written: no map or tree of the body is built and no copy of its bytes held. Everything that can
     * fail on a request has been done before: only writing is left.
     */
    public static void stream(Context ctx, int status, String contentType, ObjectMapper mapper, BodyWriter writer) {
        ctx.status(status).contentType(contentType);
        var out = new ResultChunks(ctx.outputStream());
        try (var g = mapper.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JSON body of one object written by {@code writer} with {@code mapper}'s settings, then sent
     * as {@link #write(Context, int, Object)} sends a map's: such a body is small, and one under
     * {@link Responses#DIRECT_MAX} bytes goes straight to the response. Pages go through
     * {@link #stream} instead.
     */
    public static void write(Context ctx, int status, ObjectMapper mapper, BodyWriter writer) {
        var bytes = new ByteArrayOutputStream(512);
        try (var g = mapper.createGenerator(bytes)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Responses.send(ctx, status, "application/json", bytes.toByteArray());
    }

    /** Writes {@code body} as JSON with {@code status}. */
    public static void write(Context ctx, int status, Object body) {
        try {
            Responses.send(ctx, status, "application/json", MAPPER.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
    }
}

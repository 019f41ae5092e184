package io.dossier.api.http;

import io.dossier.core.Failure;
import io.dossier.core.content.MemoryBudget;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Request bodies read whole into memory, each with a limit checked while reading: a declared
 * length over the limit is refused unread, and an undeclared (chunked) body is read no further
 * than one byte past it. Streamed uploads do not come here.
 */
public final class Bodies {

    /** OAuth token requests and other small forms. */
    public static final int MAX_FORM_BYTES = 64 * 1024;
    /** JSON documents of the admin API. */
    public static final int MAX_JSON_BYTES = 1024 * 1024;

    private Bodies() {
    }

    /** The whole body, or {@link Failure.Kind#TOO_LARGE} once it is known to exceed {@code maxBytes}. */
    public static byte[] read(Context ctx, int maxBytes) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            if (declared <= 2L * maxBytes + (1 << 20)) {
                // a little over: read it to nowhere, so the client gets the refusal and not a connection
                // reset while it is still sending (a client that sends far more is cut off unread)
                ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            }
            throw tooLarge(maxBytes);
        }
        // the bytes come out of the node's budget (declared ones at once, chunked ones as they come)
        // and go back when the request ends
        var in = ctx.req().getInputStream();
        if (declared >= 0) {
            hold(ctx, (int) declared);
            return in.readNBytes((int) declared);
        }
        var out = new java.io.ByteArrayOutputStream(8192);   // no declared length from here on
        var step = new byte[64 * 1024];
        while (out.size() <= maxBytes) {
            int want = (int) Math.min(step.length, maxBytes + 1L - out.size());
            int n = in.read(step, 0, want);
            if (n < 0) {
                break;
            }
            hold(ctx, n);   // what arrived, not what was asked for: a chunk may be a single byte
            out.write(step, 0, n);
        }
        if (out.size() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return out.toByteArray();
    }

    static final String HELD_ATTRIBUTE = "dossier.bodyBytesHeld";

    private static void hold(Context ctx, int bytes) {
        Integer held = ctx.attribute(HELD_ATTRIBUTE);
        int taken = MemoryBudget.NODE.take(bytes);
        ctx.attribute(HELD_ATTRIBUTE, (held == null ? 0 : held) + taken);
    }

    /** Gives back what the request's body reads took from the node's budget; {@link Routes} calls it when the request ends. */
    static void release(Context ctx) {
        Integer held = ctx.attribute(HELD_ATTRIBUTE);
        if (held != null) {
            ctx.attribute(HELD_ATTRIBUTE, 0);
            MemoryBudget.NODE.give(held);
        }
    }

    /**
     * The fields of an {@code application/x-www-form-urlencoded} body (the first value of each),
     * decoded with the charset the Content-Type names, UTF-8 when it names none. Whatever the
     * Content-Type, the body is read as such a form, except a multipart body, which is refused.
     */
    public static Map<String, String> form(Context ctx, int maxBytes) throws IOException {
        var contentType = ctx.header("Content-Type");
        if (contentType != null && contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw Failure.invalid("send the form as application/x-www-form-urlencoded, not " + contentType.strip());
        }
        var charset = charset(ctx.req().getCharacterEncoding());
        var text = new String(read(ctx, maxBytes), charset);
        var fields = new LinkedHashMap<String, String>();
        for (var pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            var equals = pair.indexOf('=');
            try {
                var name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), charset);
                var value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), charset);
                fields.putIfAbsent(name, value);
            } catch (IllegalArgumentException badEscape) {
                throw Failure.invalid("malformed form field: " + badEscape.getMessage());
            }
        }
        return fields;
    }

    private static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
            throw Failure.invalid("unsupported charset '" + name + "' in the Content-Type");
        }
    }

    private static Failure tooLarge(int maxBytes) {
        return Failure.tooLarge("request body too large: at most " + maxBytes + " bytes");
    }
}

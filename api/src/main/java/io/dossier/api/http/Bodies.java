package io.dossier.api.http;

import io.dossier.core.Failure;
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
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        var bytes = ctx.req().getInputStream().readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return bytes;
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

package io.dossier.api.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reading credentials off a request, the same way for every dialect. */
public final class Credentials {

    private Credentials() {
    }

    /**
     * Where a dialect's clients put a token: a header ({@code X-API-Token}), a query parameter
     * ({@code sid}, {@code sessionId}) or a cookie ({@code PHPSESSID}).
     */
    public sealed interface Source {
        /** The value this source finds on {@code ctx}, or null. */
        String find(Context ctx);

        static Source header(String name) {
            return new Header(name);
        }

        static Source query(String name) {
            return new Query(name);
        }

        static Source cookie(String name) {
            return new Cookie(name);
        }
    }

    /** A request header, its name matched case-insensitively. */
    public record Header(String name) implements Source {
        @Override
        public String find(Context ctx) {
            return ctx.header(name);
        }
    }

    /** A query parameter (the first, if repeated), its name matched exactly. */
    public record Query(String name) implements Source {
        @Override
        public String find(Context ctx) {
            return ctx.queryParam(name);
        }
    }

    /** A cookie, its name matched exactly. */
    public record Cookie(String name) implements Source {
        @Override
        public String find(Context ctx) {
            return ctx.cookie(name);
        }
    }

    /**
     * The first non-blank value among {@code sources}, in the order given (trimmed), or empty: the
     * order is the dialect's precedence when a client sends the token in more than one place.
     */
    public static Optional<String> first(Context ctx, Source... sources) {
        for (var source : sources) {
            var value = source.find(ctx);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    /** The token of an {@code Authorization: Bearer …} header (scheme matched case-insensitively). */
    public static Optional<String> bearer(Context ctx) {
        var header = ctx.header("Authorization");
        if (header == null) {
            return Optional.empty();
        }
        var trimmed = header.trim();
        var space = trimmed.indexOf(' ');
        if (space < 0 || !trimmed.substring(0, space).equalsIgnoreCase("Bearer")) {
            return Optional.empty();
        }
        var token = trimmed.substring(space + 1).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    public record Basic(String username, String password) {
    }

    /** The username and password of an {@code Authorization: Basic …} header. */
    public static Optional<Basic> basic(Context ctx) {
        var header = ctx.header("Authorization");
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            var decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            var colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(new Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}

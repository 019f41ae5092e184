package io.dossier.api.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reading credentials off a request, the same way for every dialect. */
public final class Credentials {

    private Credentials() {
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

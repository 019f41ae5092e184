package io.dossier.api.http;

import io.dossier.core.Failure;
import io.dossier.core.token.IssuedToken;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * An OAuth 2.0 client-credentials token endpoint (RFC 6749 §4.4) for any dialect: reads the
 * form-encoded request, asks the {@link Issuer} for a token and writes the dialect's
 * {@link Answer}. A refusal is thrown as a {@link Failure}, so the client reads it in the mounting
 * dialect's error shape. The client may send its id and secret in the form or, as RFC 6749 §2.3.1
 * prefers, as HTTP Basic.
 */
public final class OAuthTokenEndpoint implements Handler {

    /** What the client asked for; {@code tenantId} is null when the form names none. */
    public record TokenRequest(String clientId, String clientSecret, String tenantId) {
    }

    /** Issues (or refuses, with a {@link Failure}) a token for a request. */
    @FunctionalInterface
    public interface Issuer {
        IssuedToken issue(TokenRequest request);
    }

    /** The JSON body of a successful answer, as the dialect's clients expect it. */
    @FunctionalInterface
    public interface Answer extends Function<IssuedToken, Map<String, Object>> {
    }

    /** RFC 6749 §5.1: {@code {"access_token","token_type":"Bearer","expires_in":<seconds>}}. */
    public static final Answer STANDARD = issued -> answer(issued.token(), "Bearer", issued.expiresIn().toSeconds());

    /**
     * The Visma/Raet legacy form: {@code {"access_token","token_type":"BearerToken","expires_in":"7200"}},
     * the lifetime as a string.
     */
    public static final Answer BEARER_TOKEN_STRING = issued ->
            answer(issued.token(), "BearerToken", Long.toString(issued.expiresIn().toSeconds()));

    private final Issuer issuer;
    private final Answer answer;
    private final boolean tenantInForm;

    /**
     * @param tenantInForm whether a {@code tenant_id} form field is read (current endpoints); a
     *                     legacy endpoint ignores it, its tenant comes with every call instead
     */
    public OAuthTokenEndpoint(Issuer issuer, Answer answer, boolean tenantInForm) {
        this.issuer = issuer;
        this.answer = answer;
        this.tenantInForm = tenantInForm;
    }

    @Override
    public void handle(Context ctx) throws IOException {
        var request = request(ctx, tenantInForm);
        var issued = issuer.issue(request);
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 200, answer.apply(issued));
    }

    /** The token request of {@code ctx}: a client-credentials grant, the client in the form or as Basic. */
    static TokenRequest request(Context ctx, boolean tenantInForm) throws IOException {
        var form = Bodies.form(ctx, Bodies.MAX_FORM_BYTES);
        var grantType = form.get("grant_type");
        if (grantType != null && !grantType.equals("client_credentials")) {
            throw Failure.invalid("grant_type must be client_credentials");
        }
        var clientId = form.get("client_id");
        var secret = form.get("client_secret");
        if (clientId == null && secret == null) {
            var basic = Credentials.basic(ctx).orElse(null);
            if (basic != null) {
                clientId = basic.username();
                secret = basic.password();
            }
        }
        return new TokenRequest(clientId, secret, tenantInForm ? form.get("tenant_id") : null);
    }

    private static Map<String, Object> answer(String token, String type, Object expiresIn) {
        var out = new LinkedHashMap<String, Object>();
        out.put("access_token", token);
        out.put("token_type", type);
        out.put("expires_in", expiresIn);
        return out;
    }
}

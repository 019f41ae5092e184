package io.dossier.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.core.Failure;
import io.dossier.core.token.IssuedToken;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OAuthTokenEndpointTest {

    /** A dialect mounting the endpoint twice, with its own error body {@code {"oops":…}}. */
    record TokenDialect(Consumer<Routes> declare) implements Dialect {
        @Override
        public String name() {
            return "t";
        }

        @Override
        public ErrorShape errors() {
            return (ctx, failure) -> Json.write(ctx, ctx.statusCode(), Map.of("oops", failure.getMessage()));
        }

        @Override
        public void routes(Routes routes) {
            declare.accept(routes);
        }
    }

    final List<OAuthTokenEndpoint.TokenRequest> requests = new ArrayList<>();
    final OAuthTokenEndpoint.Issuer issuer = request -> {
        requests.add(request);
        if (!"secret".equals(request.clientSecret())) {
            throw Failure.unauthenticated("invalid_client");
        }
        return new IssuedToken("tok-" + request.clientId(), Duration.ofHours(2), null);
    };

    TestApp app() {
        return new TestApp(new TokenDialect(routes -> routes
                .post("/connect/token", new OAuthTokenEndpoint(issuer, OAuthTokenEndpoint.STANDARD, true))
                .post("/authentication/token", new OAuthTokenEndpoint(issuer, OAuthTokenEndpoint.BEARER_TOKEN_STRING, false))));
    }

    static JsonNode json(String body) throws Exception {
        return Json.MAPPER.readTree(body);
    }

    @Test
    void theStandardAnswerCarriesANumericLifetime() throws Exception {
        try (var app = app()) {
            var response = app.postForm("/t/connect/token", "grant_type=client_credentials&client_id=app&client_secret=secret&tenant_id=acme");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(response.body()).isEqualTo("{\"access_token\":\"tok-app\",\"token_type\":\"Bearer\",\"expires_in\":7200}");
            assertThat(requests).containsExactly(new OAuthTokenEndpoint.TokenRequest("app", "secret", "acme"));
        }
    }

    @Test
    void theBearerTokenAnswerCarriesTheLifetimeAsAStringAndIgnoresATenantInTheForm() throws Exception {
        try (var app = app()) {
            var response = app.postForm("/t/authentication/token", "grant_type=client_credentials&client_id=app&client_secret=secret&tenant_id=acme");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"access_token\":\"tok-app\",\"token_type\":\"BearerToken\",\"expires_in\":\"7200\"}");
            assertThat(requests.getFirst().tenantId()).isNull();
        }
    }

    @Test
    void theClientMayAuthenticateWithHttpBasic() throws Exception {
        try (var app = app()) {
            var basic = Base64.getEncoder().encodeToString("app:secret".getBytes(StandardCharsets.UTF_8));
            var response = app.send(app.request("/t/connect/token").header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response.body()).path("access_token").asText()).isEqualTo("tok-app");
        }
    }

    @Test
    void refusalsComeInTheMountingDialectsShape() throws Exception {
        try (var app = app()) {
            var wrongGrant = app.postForm("/t/connect/token", "grant_type=password&client_id=app&client_secret=secret");
            assertThat(wrongGrant.statusCode()).isEqualTo(400);
            assertThat(json(wrongGrant.body()).path("oops").asText()).isEqualTo("grant_type must be client_credentials");

            var badSecret = app.postForm("/t/connect/token", "grant_type=client_credentials&client_id=app&client_secret=nope");
            assertThat(badSecret.statusCode()).isEqualTo(401);
            assertThat(json(badSecret.body()).path("oops").asText()).isEqualTo("invalid_client");

            var notAForm = app.send(app.request("/t/connect/token").header("Content-Type", "multipart/form-data; boundary=x")
                    .POST(HttpRequest.BodyPublishers.ofString("--x--")));
            assertThat(notAForm.statusCode()).isEqualTo(400);
            assertThat(json(notAForm.body()).has("oops")).isTrue();
        }
    }
}

package io.dossier.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.api.http.Credentials.Source;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    /** Answers the token it found: header X-API-Token, then query sid, then cookie PHPSESSID. */
    static final RoutesTest.Plain DIALECT = new RoutesTest.Plain("c", routes -> routes.get("/who", ctx -> ctx.result(
            Credentials.first(ctx, Source.header("X-API-Token"), Source.query("sid"), Source.cookie("PHPSESSID")).orElse("(none)"))));

    @Test
    void aTokenIsFoundInAHeaderAQueryParameterOrACookieInTheDialectsOrder() throws Exception {
        try (var app = new TestApp(DIALECT)) {
            assertThat(app.send(app.request("/c/who").header("x-api-token", "h1")).body()).isEqualTo("h1");
            assertThat(app.get("/c/who?sid=q1").body()).isEqualTo("q1");
            assertThat(app.send(app.request("/c/who").header("Cookie", "other=1; PHPSESSID=k1")).body()).isEqualTo("k1");
            assertThat(app.send(app.request("/c/who?sid=q2").header("X-API-Token", "h2").header("Cookie", "PHPSESSID=k2")).body())
                    .as("the header comes first").isEqualTo("h2");
            assertThat(app.send(app.request("/c/who?sid=q3").header("Cookie", "PHPSESSID=k3")).body()).isEqualTo("q3");
            assertThat(app.send(app.request("/c/who?sid=%20").header("X-API-Token", " ").header("Cookie", "PHPSESSID=k4")).body())
                    .as("blank values are skipped").isEqualTo("k4");
            assertThat(app.get("/c/who").body()).isEqualTo("(none)");
        }
    }

    @Test
    void bearerAndBasicAreReadAsBefore() throws Exception {
        var dialect = new RoutesTest.Plain("b", routes -> routes.get("/who", ctx -> ctx.result(
                Credentials.bearer(ctx).orElse("-") + " " + Credentials.basic(ctx).map(b -> b.username() + ":" + b.password()).orElse("-"))));
        try (var app = new TestApp(dialect)) {
            assertThat(app.send(app.request("/b/who").header("Authorization", "bearer  tok ")).body()).isEqualTo("tok -");
            assertThat(app.send(app.request("/b/who").header("Authorization", "Basic dTpw")).body()).isEqualTo("- u:p");
        }
    }
}

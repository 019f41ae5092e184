package io.dossier.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Bodies written straight to the response look on the wire as Javalin's results do; larger ones are still compressed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponsesTest {

    static final String SMALL = "{\"result\":\"ok\",\"naïve\":true}";
    static final String LARGE = "{\"rows\":[" + "{\"name\":\"a row of a large answer\"},".repeat(200) + "{}]}";

    final HttpClient client = HttpClient.newHttpClient();
    Javalin app;

    @BeforeAll
    void start() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/small", ctx -> Responses.send(ctx, 201, "application/json; charset=utf-8", SMALL));
            config.routes.get("/small-as-result", ctx -> ctx.status(201).contentType("application/json; charset=utf-8").result(SMALL));
            config.routes.get("/large", ctx -> Responses.send(ctx, 200, "application/json", LARGE.getBytes(StandardCharsets.UTF_8)));
            config.routes.get("/status-set-after", ctx -> {
                Responses.send(ctx, 200, "application/json", SMALL);
                ctx.status(404).header("Connection", "close");
            });
            config.routes.get("/reset-after", ctx -> {
                Responses.send(ctx, 200, "application/json", SMALL);
                ctx.res().reset();
                Responses.send(ctx, 409, "text/plain", "refused");
            });
            config.routes.get("/status-set-before", ctx -> {
                ctx.status(404);
                Responses.send(ctx, ctx.statusCode(), "text/html; charset=utf-8", "<p>gone</p>");
            });
        }).start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        app.stop();
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).header("Accept-Encoding", "gzip").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aSmallBodyGoesOutAsJavalinsResultWouldWithItsLengthAndUncompressed() throws Exception {
        var response = get("/small");
        var asResult = get("/small-as-result");
        var bytes = SMALL.getBytes(StandardCharsets.UTF_8);
        assertThat(response.statusCode()).isEqualTo(201).isEqualTo(asResult.statusCode());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8")
                .isEqualTo(asResult.headers().firstValue("Content-Type"));
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length)
                .isEqualTo(asResult.headers().firstValueAsLong("Content-Length"));
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(response.body()).isEqualTo(bytes).isEqualTo(asResult.body());
    }

    @Test
    void aLargeBodyIsStillCompressedForAClientThatTakesGzip() throws Exception {
        assertThat(LARGE.length()).isGreaterThan(Responses.DIRECT_MAX);
        var response = get("/large");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (var in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(LARGE);
        }
    }

    @Test
    void aStatusOrHeaderSetAfterTheBodyStillGoesOutAndAResetTakesTheBodyBack() throws Exception {
        var after = get("/status-set-after");
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(after.headers().firstValue("Connection")).hasValue("close");
        assertThat(new String(after.body(), StandardCharsets.UTF_8)).isEqualTo(SMALL);

        var reset = get("/reset-after");
        assertThat(reset.statusCode()).isEqualTo(409);
        assertThat(new String(reset.body(), StandardCharsets.UTF_8)).isEqualTo("refused");
    }

    @Test
    void aStatusSetBeforeIsKept() throws Exception {
        var response = get("/status-set-before");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("<p>gone</p>");
    }
}

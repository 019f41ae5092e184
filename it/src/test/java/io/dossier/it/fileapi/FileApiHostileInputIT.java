package io.dossier.it.fileapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.it.support.FileApiClient;
import io.dossier.it.support.RawHttp;
import io.dossier.it.support.TestServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests a fuzz run found answered 503 by the File API, replayed byte for byte: each must get a
 * 4xx in the File API's error shape, and a body past the limit must be refused without being read.
 */
class FileApiHostileInputIT {

    TestServer server;
    String tenant;
    FileApiClient subscriber;
    FileApiClient publisher;

    @BeforeEach
    void sandbox() {
        server = TestServer.shared();
        tenant = FileApiClient.newTenant(server);
        subscriber = FileApiClient.app(server, tenant, DeliveryRole.SUBSCRIBER, 7101L);
        publisher = FileApiClient.app(server, tenant, DeliveryRole.PUBLISHER, 7101L);
    }

    /** {"correlationId","message","errorCode","exception"} with the status as errorCode. */
    static void assertFileApiError(int status, String body, int expected, String messagePart) {
        assertThat(status).as(body).isEqualTo(expected);
        var json = FileApiClient.json(body);
        assertThat(json.path("errorCode").asText()).isEqualTo(Integer.toString(expected));
        assertThat(json.path("correlationId").asText()).isNotBlank();
        assertThat(json.has("exception")).isTrue();
        assertThat(json.path("message").asText()).containsIgnoringCase(messagePart);
    }

    String form() {
        return "grant_type=client_credentials&client_id=" + subscriber.clientId() + "&client_secret="
                + URLEncoder.encode(subscriber.secret(), StandardCharsets.UTF_8) + "&tenant_id=" + tenant;
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) {
        return subscriber.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fileapi/connect/token", "/fileapi/authentication/token"})
    void aBogusCharsetIsABadRequest(String path) {
        var response = post(path, "application/x-www-form-urlencoded; charset=bogus", form().getBytes(StandardCharsets.UTF_8));
        assertFileApiError(response.statusCode(), response.body(), 400, "charset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fileapi/connect/token", "/fileapi/authentication/token"})
    void aMultipartBodyIsABadRequest(String path) {
        var body = ("--b\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n" + subscriber.clientId() + "\r\n--b--\r\n");
        var response = post(path, "multipart/form-data; boundary=b", body.getBytes(StandardCharsets.UTF_8));
        assertFileApiError(response.statusCode(), response.body(), 400, "x-www-form-urlencoded");
    }

    @Test
    void aFormInAnotherDeclaredCharsetStillWorks() {
        var response = post("/fileapi/connect/token", "application/x-www-form-urlencoded; charset=ISO-8859-1",
                form().getBytes(StandardCharsets.ISO_8859_1));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(FileApiClient.json(response.body()).path("access_token").asText()).isNotBlank();
    }

    @Test
    void aBadPercentEscapeIsABadRequest() {
        var response = post("/fileapi/connect/token", "application/x-www-form-urlencoded", "client_id=%zz".getBytes(StandardCharsets.UTF_8));
        assertFileApiError(response.statusCode(), response.body(), 400, "form");
    }

    @Test
    void aPageIndexWhoseOffsetOverflowsIsABadRequest() {
        for (var role : new String[] {"subscriber", "publisher"}) {
            var client = role.equals("subscriber") ? subscriber : publisher;
            var response = client.get("/fileapi/v1.0/files?role=" + role + "&pageIndex=2147483647&pageSize=2");
            assertFileApiError(response.statusCode(), response.body(), 400, "pageIndex");
            var negative = client.get("/fileapi/v1.0/files?role=" + role + "&pageIndex=-1&pageSize=2");
            assertFileApiError(negative.statusCode(), negative.body(), 400, "pageIndex");
        }
        // the largest page that still fits is a valid, empty page
        assertThat(subscriber.list("&pageIndex=1073741823&pageSize=2").path("data")).isEmpty();
    }

    @Test
    void aDeclaredFiveMegabyteTokenRequestIsRefusedBeforeItIsSent() throws IOException {
        // Only the headers go out: the answer must come without the server waiting for (or buffering) the body.
        try (var socket = RawHttp.connect(server)) {
            // well inside the server's idle timeout (30 s), which would also wake a request held for its body
            socket.setSoTimeout(10_000);
            RawHttp.writeHead(socket.getOutputStream(), "POST /fileapi/connect/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + (5 * 1024 * 1024) + "\r\nConnection: close");
            var answer = RawHttp.read(socket.getInputStream());
            assertFileApiError(answer.status(), answer.body(), 413, "too large");
        }
    }

    @Test
    void aFiveMegabyteChunkedTokenRequestIsRefusedWhileReading() {
        // No length declared: the server must stop reading past 64 KiB, not read the 5 MB into memory.
        var answer = RawHttp.postChunked(server, "POST /fileapi/connect/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nConnection: close", (byte) 'a', 5L * 1024 * 1024);
        assertFileApiError(answer.status(), answer.body(), 413, "too large");
    }

    @Test
    void aTokenRequestJustUnderTheLimitIsStillRead() {
        var padding = "&padding=" + "a".repeat(60 * 1024);
        var response = post("/fileapi/connect/token", "application/x-www-form-urlencoded", (form() + padding).getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = FileApiClient.json(response.body());
        assertThat(json.path("token_type").asText()).isEqualTo("Bearer");
    }
}

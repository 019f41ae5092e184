package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.delivery.DeliveryRole;
import io.dossier.it.support.FileApiClient;
import io.dossier.it.support.Ows;
import io.dossier.it.support.RawHttp;
import io.dossier.it.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests whose URL itself is broken are never a 5xx. (Malformed percent escapes in a query are
 * read leniently, as the raw text; what the dialect then makes of the value is its own check.)
 */
class MalformedRequestsIT {

    @Test
    void malformedPercentEscapesAreNeverAServerError() {
        var server = TestServer.shared();
        var tenant = FileApiClient.newTenant(server);
        var subscriber = FileApiClient.app(server, tenant, DeliveryRole.SUBSCRIBER, 7101L);
        var ows = Ows.newTenant(server, List.of("en"));
        var session = ows.login();
        var bearer = "Authorization: Bearer " + subscriber.token();
        var requests = List.of(
                new String[] {"GET /fileapi/v1.0/files?role=subscriber&pageIndex=%zz", bearer},
                new String[] {"GET /fileapi/v1.0/files?role=subscriber&$filter=fileName%20eq%20'%", bearer},
                new String[] {"GET /fileapi/v1.0/files/%zz?role=subscriber", bearer},
                new String[] {"GET /fileapi/v1.0/files?role=%", bearer},
                new String[] {"GET /admin/api/tenants/%G1", "Authorization: Bearer " + server.adminToken()},
                new String[] {"GET /admin/api/tenants?x=%G1", "Authorization: Bearer " + server.adminToken()},
                new String[] {"GET /ows/fileServiceDownload?class=AttachedDocument&ouid=%zz", "Cookie: PHPSESSID=" + session},
                new String[] {"GET /ows/fileServiceDownload?class=%&ouid=x&sessionId=%", "X-Nothing: 1"},
                new String[] {"GET /ows/info/detail.php?service=%", "Authorization: Basic %%%"});
        for (var request : requests) {
            var answer = RawHttp.exchange(server, request[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + request[1] + "\r\nConnection: close", new byte[0]);
            assertThat(answer.status()).as(request[0] + " → " + answer.body()).isBetween(200, 499);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Length", "chunked"})
    void anUploadRefusedBeforeItsBodyIsReadStillGetsItsAnswerAndKeepsItsConnection(String framing) throws Exception {
        var server = TestServer.shared();
        var body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\r\n--b--\r\n";
        var chunked = framing.equals("chunked");
        try (var socket = RawHttp.connect(server)) {
            var out = socket.getOutputStream();
            var in = socket.getInputStream();
            // the head first, the body a moment later: the token is refused before any of the body is read
            RawHttp.writeHead(out, "POST /opus2/projects/1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Token: wrong\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\n"
                    + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length()));
            Thread.sleep(200);
            var sent = chunked ? Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n" : body;
            out.write(sent.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            var refused = RawHttp.read(in);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().path("message").asText()).isEqualTo("The provided API token is invalid");
            assertThat(refused.header("Connection")).isNull();
            // the body was read, so the connection is still good for the next request
            RawHttp.writeHead(out, "GET /opus2/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close");
            assertThat(RawHttp.read(in).status()).isEqualTo(200);
        }
    }

    @Test
    void aLargeBodyRefusedBeforeItIsReadIsAnsweredWithConnectionClose() {
        // not read (it could be a gigabyte), so the connection cannot be used again: the answer says so,
        // and a client does not put it back in its pool to send its next request into a closed socket
        var refused = RawHttp.postChunked(TestServer.shared(), "POST /opus2/projects/1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-API-Token: wrong\r\nContent-Type: multipart/form-data; boundary=b", (byte) 'x', 4L << 20);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
    }
}

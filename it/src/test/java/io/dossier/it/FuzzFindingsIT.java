package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.fuzz.RawExchange;
import io.dossier.it.support.FileApiClient;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests the fuzzer (bench/fuzz.sh) found answered with a 5xx, replayed: each must now be refused
 * in the API's own error shape, and leave nothing behind.
 */
class FuzzFindingsIT {

    TestServer server;

    @BeforeEach
    void server() {
        server = TestServer.shared();
    }

    /** bench/fuzz.sh seed 3, request #750: a client name of 17,774 characters overflowed its column. */
    @Test
    void adminClientWithAnOverlongNameIsRefused() {
        var tenant = tenantWithUser();
        var http = server.http().bearer(server.adminToken());
        var response = http.post("/admin/api/tenants/" + tenant.slug + "/clients", "{\"kind\":\"ows-api-key\",\"name\":\"" + "x".repeat(17_774)
                + "\",\"userId\":" + tenant.userId + ",\"scopes\":[\"Get_Basic\"]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("code").asText()).isEqualTo("invalid");
        assertThat(response.json().path("error").path("message").asText()).contains("client name");
        assertThat(http.get("/admin/api/tenants/" + tenant.slug + "/clients").json().path("clients")).isEmpty();
    }

    @Test
    void adminClientWithMoreScopesThanFitIsRefused() {
        var tenant = tenantWithUser();
        var http = server.http().bearer(server.adminToken());
        var scopes = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            scopes.append(i == 0 ? "" : ",").append('"').append(String.format("%02d", i)).append("s".repeat(62)).append('"');
        }
        var response = http.post("/admin/api/tenants/" + tenant.slug + "/clients", "{\"kind\":\"oauth\",\"name\":\"many scopes\",\"scopes\":[" + scopes + "]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("message").asText()).contains("scopes");
        assertThat(http.get("/admin/api/tenants/" + tenant.slug + "/clients").json().path("clients")).isEmpty();
    }

    /** The fuzzer's admin grammar: a tenant name of 20,000 characters overflowed its column. */
    @Test
    void tenantWithAnOverlongNameIsRefused() {
        var slug = "fz-" + UUID.randomUUID().toString().substring(0, 8);
        var http = server.http().bearer(server.adminToken());
        var response = http.post("/admin/api/tenants", "{\"slug\":\"" + slug + "\",\"name\":\"" + "x".repeat(20_000)
                + "\",\"contentLanguages\":[\"en\"],\"defaultLanguage\":\"en\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("code").asText()).isEqualTo("invalid");
        assertThat(response.json().path("error").path("message").asText()).contains("tenant name");
        assertThat(http.get("/admin/api/tenants/" + slug).status()).isEqualTo(404);
    }

    /** FuzzIT, request #3583: a null among the content languages failed on Set.containsAll. */
    @Test
    void tenantWithANullContentLanguageIsRefused() {
        var slug = "fz-" + UUID.randomUUID().toString().substring(0, 8);
        var http = server.http().bearer(server.adminToken());
        var response = http.post("/admin/api/tenants", "{\"slug\":\"" + slug + "\",\"name\":\"fuzz466112\",\"contentLanguages\":[null],\"defaultLanguage\":\"\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("code").asText()).isEqualTo("invalid");
        assertThat(http.get("/admin/api/tenants/" + slug).status()).isEqualTo(404);
    }

    /**
     * bench/fuzz.sh seed 2, request #139: a chunked body whose chunk size is -1. Jetty's "Early EOF"
     * reading it was answered 503 on the token endpoints and as an OWS internal error.
     */
    @Test
    void aBrokenChunkedBodyIsRefusedAsBadInput() {
        var token = send("POST  /fileapi/connect/token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n\r\n0\r\n\r\n");
        assertThat(token.status()).isEqualTo(400);
        assertThat(FileApiClient.json(token.body()).path("errorCode").asText()).isEqualTo("400");

        var ows = send("POST /ows/jservice.php HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n\r\n0\r\n\r\n");
        assertThat(ows.status()).isEqualTo(200);
        assertThat(ows.body()).contains("\"error\"").doesNotContain("internal error");
    }

    /** A body shorter than its Content-Length, then the end of the stream: the same refusal. */
    @Test
    void aBodyShorterThanItsContentLengthIsRefusedAsBadInput() {
        var ows = send("POST /ows/service.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: 100\r\n\r\n<methodCall>");
        assertThat(ows.status()).isEqualTo(200);
        assertThat(ows.body()).contains("fault").doesNotContain("internal error");

        var admin = send("POST /admin/api/tenants HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + server.adminToken()
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"slug\":");
        assertThat(admin.status()).isEqualTo(400);
        assertThat(admin.body()).contains("\"invalid\"");
    }

    /**
     * FuzzIT on PostgreSQL, requests #1462 and #3663: a NUL character in a client id or a record uid
     * failed in PostgreSQL ("invalid byte sequence for encoding UTF8: 0x00") and was answered 503 /
     * as an OWS internal error. On every database it is now an ordinary refusal.
     */
    @Test
    void aNulCharacterInAnIdIsRefusedNotFailedOn() {
        var token = server.http().send(server.http().builder("/fileapi/authentication/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_secret=87fVWpZm5fr3KafX2_cUsIMb0fMsVh5v&client_id=%00")));
        assertThat(token.status()).isBetween(400, 401);
        assertThat(token.json().path("errorCode").asText()).isEqualTo(Integer.toString(token.status()));

        var ows = Ows.newTenant(server, java.util.List.of("en"));
        var session = ows.login();
        var update = ows.call("Otys.Services.SalesTrajectoryService.update", "[\"" + session + "\",\"\\u0000\",{\"lastModified\":{\"type\":-9223372036854775808,"
                + "\"items\":null,\"method\":\"0000-00-00 00:00:00\"}}]");
        assertThat(update.has("error")).as(update.toString()).isTrue();
        assertThat(update.path("error").path("message").asText()).doesNotContain("internal error");

        var candidate = ows.call("Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"a\\u0000b\"}}]");
        assertThat(candidate.toString()).doesNotContain("internal error");
    }

    /** Sends {@code request} as is, then closes the sending side, as the fuzzer does. */
    RawExchange.Answer send(String request) {
        var answer = RawExchange.send("127.0.0.1", server.server().port(), request.getBytes(StandardCharsets.ISO_8859_1), 1, false, 10_000);
        assertThat(answer.hung()).isFalse();
        return answer;
    }

    record Tenant(String slug, long userId) {
    }

    Tenant tenantWithUser() {
        var slug = "fz-" + UUID.randomUUID().toString().substring(0, 8);
        var dossier = server.server().dossier();
        var tenant = dossier.tenants().create(slug, "Fuzz findings");
        var user = dossier.identities().createUser(tenant.id(), slug + ".user", null, null, null);
        return new Tenant(slug, user.user().id());
    }
}

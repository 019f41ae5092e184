package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.Http;
import io.dossier.it.support.RawHttp;
import io.dossier.it.support.TestServer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies a fuzz run found answered 503 by the admin API, replayed: each must be a 400 (or 413)
 * {@code {"error":{"code","message"}}} naming what is wrong, and must leave nothing behind.
 */
class AdminHostileInputIT {

    TestServer server;
    Http admin;
    String tenant;
    long groupId;
    long userId;
    String oauthClientId;

    @BeforeEach
    void sandbox() {
        server = TestServer.shared();
        admin = server.http().bearer(server.adminToken());
        tenant = "h-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin.post("/admin/api/tenants", "{\"slug\":\"" + tenant + "\"}").status()).isEqualTo(201);
        userId = admin.post(base() + "/users", "{\"username\":\"" + tenant + ".u\"}").json().path("id").asLong();
        groupId = admin.post(base() + "/groups", "{\"name\":\"G\"}").json().path("id").asLong();
        oauthClientId = admin.post(base() + "/clients", "{\"kind\":\"oauth\",\"name\":\"app\"}").json().path("clientId").asText();
    }

    String base() {
        return "/admin/api/tenants/" + tenant;
    }

    /** Every admin endpoint that takes a body. */
    List<String> bodyEndpoints() {
        return List.of("/admin/api/tenants", base() + "/users", base() + "/groups", base() + "/groups/" + groupId + "/members",
                base() + "/clients", base() + "/fileapi/authorizations", "/admin/api/admin-tokens");
    }

    static void assertAdminError(Http.Response response, int status, String code, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().path("error").path("code").asText()).as(response.body()).isEqualTo(code);
        assertThat(response.json().path("error").path("message").asText()).as(response.body()).containsIgnoringCase(messagePart);
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsRefusedByEveryEndpoint() {
        for (var path : bodyEndpoints()) {
            for (var body : List.of("null", "[]", "\"x\"", "1", "true", " null ", "[{\"slug\":\"x\"}]")) {
                assertAdminError(admin.post(path, body), 400, "invalid", "JSON object");
            }
            assertAdminError(admin.post(path, ""), 400, "invalid", "body");
            assertAdminError(admin.post(path, "{"), 400, "invalid", "JSON");
        }
        assertThat(admin.get(base() + "/users").json().path("users")).hasSize(1);
        assertThat(admin.get(base() + "/groups").json().path("groups")).hasSize(1);
        assertThat(admin.get(base() + "/clients").json().path("clients")).hasSize(1);
    }

    @Test
    void nullItemsInListsAreRefusedNamingTheField() {
        assertAdminError(admin.post("/admin/api/tenants", "{\"slug\":\"" + tenant + "-x\",\"contentLanguages\":[\"en\",null]}"),
                400, "invalid", "contentLanguages");
        assertAdminError(admin.post(base() + "/clients", "{\"kind\":\"oauth\",\"scopes\":[null]}"), 400, "invalid", "scopes");
        assertAdminError(admin.post(base() + "/fileapi/authorizations",
                "{\"clientId\":\"" + oauthClientId + "\",\"role\":\"subscriber\",\"businessTypes\":[7101,null]}"), 400, "invalid", "businessTypes");
        assertAdminError(admin.post(base() + "/fileapi/authorizations", "{\"role\":\"subscriber\",\"businessTypes\":[7101]}"),
                400, "invalid", "clientId");
        assertThat(admin.get("/admin/api/tenants/" + tenant + "-x").status()).isEqualTo(404);
        assertThat(admin.get(base() + "/clients").json().path("clients")).hasSize(1);
    }

    @Test
    void anEmptyOrRepeatedLanguageListIsRefusedNamingTheField() {
        var slug = tenant + "-l";
        assertAdminError(admin.post("/admin/api/tenants", "{\"slug\":\"" + slug + "\",\"contentLanguages\":[]}"), 400, "invalid", "contentLanguages");
        var many = "\"en\",".repeat(60) + "\"en\"";
        assertAdminError(admin.post("/admin/api/tenants", "{\"slug\":\"" + slug + "\",\"contentLanguages\":[" + many + "]}"),
                400, "invalid", "languages");
        assertThat(admin.get("/admin/api/tenants/" + slug).status()).isEqualTo(404);
    }

    @Test
    void overlongTextsAreRefusedNamingTheField() {
        var longText = "x".repeat(201);
        assertAdminError(admin.post(base() + "/users", "{\"username\":\"" + tenant + ".long\",\"displayName\":\"" + longText + "\"}"),
                400, "invalid", "displayName");
        assertAdminError(admin.post(base() + "/users", "{\"username\":\"" + tenant + ".mail\",\"email\":\"" + "x".repeat(321) + "\"}"),
                400, "invalid", "email");
        assertAdminError(admin.post("/admin/api/tenants", "{\"slug\":\"" + tenant + "-n\",\"name\":\"" + longText + "\"}"),
                400, "invalid", "name");
        assertAdminError(admin.post(base() + "/clients", "{\"kind\":\"oauth\",\"name\":\"" + longText + "\"}"), 400, "invalid", "name");
        assertAdminError(admin.post("/admin/api/admin-tokens", "{\"name\":\"" + longText + "\"}"), 400, "invalid", "name");
        var scopes = String.join(",", java.util.stream.IntStream.range(0, 40).mapToObj(i -> "\"scope_" + "s".repeat(50) + i + "\"").toList());
        assertAdminError(admin.post(base() + "/clients", "{\"kind\":\"oauth\",\"scopes\":[" + scopes + "]}"), 400, "invalid", "scopes");
        assertThat(admin.get(base() + "/users").json().path("users")).hasSize(1);
        assertThat(admin.get(base() + "/clients").json().path("clients")).hasSize(1);
        assertThat(admin.get("/admin/api/tenants/" + tenant + "-n").status()).isEqualTo(404);
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWithoutBeingRead() {
        var big = "{\"slug\":\"" + tenant + "-big\",\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertAdminError(admin.post("/admin/api/tenants", big), 413, "too_large", "too large");

        // no length declared: refused once the server has read past the limit
        var answer = RawHttp.postChunked(server, "POST /admin/api/tenants HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + server.adminToken() + "\r\nContent-Type: application/json\r\nConnection: close", (byte) ' ', 3L * 1024 * 1024);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().path("error").path("code").asText()).isEqualTo("too_large");
        assertThat(admin.get("/admin/api/tenants/" + tenant + "-big").status()).isEqualTo(404);
    }
}

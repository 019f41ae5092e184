package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.Http;
import io.dossier.it.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API's own tokens: issued once over HTTP, listed without their secret, revoked; tenants' credentials never reach them. */
class AdminTokensApiIT {

    TestServer server;
    Http admin;

    @BeforeEach
    void start() {
        server = TestServer.shared();
        admin = server.http().bearer(server.adminToken());
    }

    @Test
    void aTokenIsShownOnceWorksAndStopsWorkingWhenRevoked() {
        var name = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        var created = admin.post("/admin/api/admin-tokens", "{\"name\":\"" + name + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var id = created.json().path("id").asLong();
        var token = created.json().path("token").asText();
        assertThat(token).hasSizeGreaterThanOrEqualTo(40);
        assertThat(created.json().path("name").asText()).isEqualTo(name);
        assertThat(created.json().path("revoked").asBoolean()).isFalse();

        var issued = server.http().bearer(token);
        assertThat(issued.get("/admin/api/tenants").status()).isEqualTo(200);
        var list = admin.get("/admin/api/admin-tokens");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(token);
        var listed = entry(list.json().path("adminTokens"), id);
        assertThat(listed.path("name").asText()).isEqualTo(name);
        assertThat(listed.has("token")).isFalse();

        // a token may revoke another, or itself
        assertThat(issued.post("/admin/api/admin-tokens/" + id + "/revoke", "").status()).isEqualTo(204);
        assertThat(issued.get("/admin/api/tenants").status()).isEqualTo(401);
        assertThat(entry(admin.get("/admin/api/admin-tokens").json().path("adminTokens"), id).path("revoked").asBoolean()).isTrue();
    }

    @Test
    void deleteRevokesToo() {
        var created = admin.post("/admin/api/admin-tokens", "{\"name\":\"short\"}").json();
        assertThat(admin.delete("/admin/api/admin-tokens/" + created.path("id").asLong()).status()).isEqualTo(204);
        assertThat(server.http().bearer(created.path("token").asText()).get("/admin/api/admin-tokens").status()).isEqualTo(401);
    }

    @Test
    void unknownTokensAndBadBodiesAreRefusedInTheAdminErrorShape() {
        var unknown = admin.post("/admin/api/admin-tokens/987654321/revoke", "");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(admin.delete("/admin/api/admin-tokens/not-a-number").status()).isEqualTo(404);
        var extra = admin.post("/admin/api/admin-tokens", "{\"name\":\"x\",\"tenant\":\"acme\"}");
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.json().path("error").path("code").asText()).isEqualTo("invalid");
    }

    /** Admin tokens span every tenant, so no credential of a tenant may list, issue or revoke them. */
    @Test
    void aTenantsCredentialsCannotManageAdminTokens() {
        var slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin.post("/admin/api/tenants", "{\"slug\":\"" + slug + "\"}").status()).isEqualTo(201);
        var user = admin.post("/admin/api/tenants/" + slug + "/users", "{\"username\":\"" + slug + ".boss\"}").json();
        var userId = user.path("id").asLong();
        var victim = admin.post("/admin/api/admin-tokens", "{\"name\":\"victim\"}").json().path("id").asLong();
        var clients = "/admin/api/tenants/" + slug + "/clients";
        var credentials = java.util.List.of(
                admin.post(clients, "{\"kind\":\"oauth\"}").json().path("secret").asText(),
                admin.post(clients, "{\"kind\":\"ows-api-key\",\"userId\":" + userId + "}").json().path("secret").asText(),
                admin.post(clients, "{\"kind\":\"api-token\",\"userId\":" + userId + "}").json().path("secret").asText(),
                user.path("password").asText());
        assertThat(credentials).allMatch(secret -> !secret.isEmpty());

        for (var secret : credentials) {
            var asTenant = server.http().bearer(secret);
            assertThat(asTenant.get("/admin/api/admin-tokens").status()).isEqualTo(401);
            assertThat(asTenant.post("/admin/api/admin-tokens", "{\"name\":\"mine\"}").status()).isEqualTo(401);
            assertThat(asTenant.post("/admin/api/admin-tokens/" + victim + "/revoke", "").status()).isEqualTo(401);
        }
        var basic = "Basic " + Base64.getEncoder().encodeToString((slug + ".boss:" + user.path("password").asText())
                .getBytes(StandardCharsets.UTF_8));
        assertThat(server.http().send(server.http().builder("/admin/api/admin-tokens").header("Authorization", basic).GET()).status())
                .isEqualTo(401);
        assertThat(entry(admin.get("/admin/api/admin-tokens").json().path("adminTokens"), victim).path("revoked").asBoolean()).isFalse();
    }

    private static com.fasterxml.jackson.databind.JsonNode entry(com.fasterxml.jackson.databind.JsonNode tokens, long id) {
        for (var token : tokens) {
            if (token.path("id").asLong() == id) {
                return token;
            }
        }
        throw new AssertionError("admin token " + id + " not listed in " + tokens);
    }
}

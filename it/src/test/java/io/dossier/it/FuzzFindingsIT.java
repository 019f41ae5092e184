package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.TestServer;
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

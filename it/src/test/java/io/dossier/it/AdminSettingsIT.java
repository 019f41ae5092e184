package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.delivery.DeliveryRole;
import io.dossier.it.support.FileApiClient;
import io.dossier.it.support.Http;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Settings per tenant and per container through the admin API, on the run's storage setup: typed
 * values, the container → tenant → default fallback, errors in the admin shape, tenant isolation,
 * and the tenant's {@code api.access-allowed} refusing OWS logins and File API tokens.
 */
class AdminSettingsIT {

    TestServer server;
    Http admin;

    @BeforeEach
    void start() {
        server = TestServer.shared();
        admin = server.http().bearer(server.adminToken());
    }

    String createTenant() {
        var slug = "s-" + UUID.randomUUID().toString().substring(0, 8);
        var created = admin.post("/admin/api/tenants", "{\"slug\":\"" + slug + "\",\"name\":\"Settings " + slug + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return slug;
    }

    Http.Response put(String path, String json) {
        return admin.send(admin.builder(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void aTenantListsEveryDeclaredSettingWithItsDefault() {
        var tenant = createTenant();
        var list = admin.get("/admin/api/tenants/" + tenant + "/settings");
        assertThat(list.status()).isEqualTo(200);
        var access = list.json().path("settings").findParents("key").stream()
                .filter(s -> s.path("key").asText().equals("api.access-allowed")).findFirst().orElseThrow();
        assertThat(access.path("type").asText()).isEqualTo("boolean");
        assertThat(access.path("scope").asText()).isEqualTo("tenant");
        assertThat(access.path("value").isBoolean()).isTrue();
        assertThat(access.path("value").asBoolean()).isTrue();
        assertThat(access.path("source").asText()).isEqualTo("default");
        assertThat(list.json().path("settings").findValuesAsText("key")).contains("documents.download-via-api");
    }

    @Test
    void aTenantValueIsSetReadAndReset() {
        var tenant = createTenant();
        var path = "/admin/api/tenants/" + tenant + "/settings/documents.download-via-api";
        var set = put(path, "{\"value\":false}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("value").asBoolean(true)).isFalse();
        assertThat(set.json().path("source").asText()).isEqualTo("tenant");
        assertThat(admin.get(path).json().path("value").asBoolean(true)).isFalse();

        var reset = admin.delete(path);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().path("source").asText()).isEqualTo("default");
        assertThat(admin.get(path).json().path("value").asBoolean(false)).isTrue();

        var several = put("/admin/api/tenants/" + tenant + "/settings", "{\"documents.download-via-api\":false,\"api.access-allowed\":true}");
        assertThat(several.status()).as(several.body()).isEqualTo(200);
        assertThat(several.json().path("settings").findParents("key").stream()
                .filter(v -> List.of("documents.download-via-api", "api.access-allowed").contains(v.path("key").asText()))
                .map(v -> v.path("source").asText())).containsExactly("tenant", "tenant");
    }

    @Test
    void aContainerValueFallsBackToTheTenantThenTheDefault() {
        var tenant = createTenant();
        var container = "/admin/api/tenants/" + tenant + "/containers/Candidate/c-1/settings";
        assertThat(admin.get(container + "/documents.download-via-api").json().path("source").asText()).isEqualTo("default");
        put("/admin/api/tenants/" + tenant + "/settings/documents.download-via-api", "{\"value\":false}");
        var inherited = admin.get(container + "/documents.download-via-api");
        assertThat(inherited.json().path("source").asText()).isEqualTo("tenant");
        assertThat(inherited.json().path("value").asBoolean(true)).isFalse();

        var own = put(container + "/documents.download-via-api", "{\"value\":true}");
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.json().path("source").asText()).isEqualTo("container");
        assertThat(admin.get(container).json().path("settings").get(0).path("value").asBoolean(false)).isTrue();
        // another container of the tenant still inherits
        assertThat(admin.get("/admin/api/tenants/" + tenant + "/containers/Candidate/c-2/settings/documents.download-via-api")
                .json().path("value").asBoolean(true)).isFalse();

        assertThat(admin.delete(container + "/documents.download-via-api").json().path("source").asText()).isEqualTo("tenant");
    }

    @Test
    void unknownKeysWrongTypesAndBadBodiesAre400InTheAdminShape() {
        var tenant = createTenant();
        var base = "/admin/api/tenants/" + tenant;
        assertBadRequest(admin.get(base + "/settings/no.such-setting"), "unknown setting");
        assertBadRequest(put(base + "/settings/no.such-setting", "{\"value\":true}"), "unknown setting");
        assertBadRequest(put(base + "/settings/api.access-allowed", "{\"value\":\"no\"}"), "boolean");
        assertBadRequest(put(base + "/settings/api.access-allowed", "{\"value\":1}"), "boolean");
        assertBadRequest(put(base + "/settings/api.access-allowed", "{\"value\":null}"), "value");
        assertBadRequest(put(base + "/settings/api.access-allowed", "{\"value\":[true]}"), "value");
        assertBadRequest(put(base + "/settings/api.access-allowed", "{}"), "value is required");
        assertBadRequest(put(base + "/settings/api.access-allowed", "{\"value\":true,\"extra\":1}"), "extra");
        assertBadRequest(put(base + "/settings/api.access-allowed", "[true]"), "JSON object");
        assertBadRequest(put(base + "/containers/Candidate/c-1/settings/api.access-allowed", "{\"value\":false}"), "tenant setting");
        assertBadRequest(put(base + "/settings", "{\"documents.download-via-api\":false,\"api.access-allowed\":\"no\"}"), "boolean");
        // the refused multi-value PUT wrote nothing
        assertThat(admin.get(base + "/settings").json().path("settings").findValuesAsText("source")).containsOnly("default");
        assertThat(admin.get("/admin/api/tenants/no-such-tenant-here/settings").status()).isEqualTo(404);
        assertThat(server.http().get(base + "/settings").status()).isEqualTo(401);
    }

    private static void assertBadRequest(Http.Response response, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("error").path("code").asText()).isEqualTo("invalid");
        assertThat(response.json().path("error").path("message").asText()).contains(messagePart);
    }

    @Test
    void oneTenantsSettingsNeverTouchAnothers() {
        var a = createTenant();
        var b = createTenant();
        put("/admin/api/tenants/" + a + "/settings/api.access-allowed", "{\"value\":false}");
        put("/admin/api/tenants/" + a + "/containers/Candidate/same/settings/documents.download-via-api", "{\"value\":false}");
        assertThat(admin.get("/admin/api/tenants/" + b + "/settings").json().path("settings").findValuesAsText("source"))
                .containsOnly("default");
        assertThat(admin.get("/admin/api/tenants/" + b + "/containers/Candidate/same/settings/documents.download-via-api")
                .json().path("source").asText()).isEqualTo("default");
        // resetting in b leaves a as it was
        admin.delete("/admin/api/tenants/" + b + "/settings/api.access-allowed");
        admin.delete("/admin/api/tenants/" + b + "/containers/Candidate/same/settings/documents.download-via-api");
        assertThat(admin.get("/admin/api/tenants/" + a + "/settings/api.access-allowed").json().path("value").asBoolean(true)).isFalse();
        assertThat(admin.get("/admin/api/tenants/" + a + "/containers/Candidate/same/settings/documents.download-via-api")
                .json().path("value").asBoolean(true)).isFalse();
    }

    @Test
    void apiAccessSwitchedOffRefusesOwsLoginsInTheOwsShape() {
        var ows = Ows.newTenant(server, List.of("en"));
        var other = Ows.newTenant(server, List.of("en"));
        ows.login();
        put("/admin/api/tenants/" + ows.tenant() + "/settings/api.access-allowed", "{\"value\":false}");
        var refused = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"" + ows.apiKey() + "\"],\"id\":1}");
        assertThat(refused.path("result").isTextual()).isFalse();
        assertThat(refused.path("error").path("code").asInt()).isEqualTo(403);
        assertThat(refused.path("error").path("message").asText()).contains("switched off");
        other.login();   // another tenant is not affected
        put("/admin/api/tenants/" + ows.tenant() + "/settings/api.access-allowed", "{\"value\":true}");
        assertThat(ows.login()).isNotBlank();
    }

    @Test
    void apiAccessSwitchedOffRefusesFileApiTokensInTheFileApiShape() {
        var tenant = FileApiClient.newTenant(server);
        var app = FileApiClient.app(server, tenant, DeliveryRole.SUBSCRIBER, 1L);
        put("/admin/api/tenants/" + tenant + "/settings/api.access-allowed", "{\"value\":false}");
        var form = "grant_type=client_credentials&client_id=" + app.clientId() + "&client_secret="
                + URLEncoder.encode(app.secret(), StandardCharsets.UTF_8);
        for (var request : List.of(app.requestToken("/fileapi/connect/token", form + "&tenant_id=" + tenant),
                app.requestToken("/fileapi/authentication/token", form))) {
            assertThat(request.statusCode()).as(request.body()).isEqualTo(403);
            var body = FileApiClient.json(request.body());
            assertThat(body.has("correlationId")).isTrue();
            assertThat(body.path("message").asText()).contains("switched off");
            assertThat(request.body()).doesNotContain("access_token");
        }
        put("/admin/api/tenants/" + tenant + "/settings/api.access-allowed", "{\"value\":true}");
        assertThat(app.token()).isNotBlank();
    }
}

package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.it.support.FileApiClient;
import io.dossier.it.support.Http;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits per client and dialect on the run's storage setup, each dialect answering in its own
 * shape: OWS its error object inside HTTP 200 naming the limit, the File API 429 with
 * {@code Retry-After}; another client is not held back; the admin API sets, shows and resets a
 * client's limits only within its tenant, and is not limited itself.
 */
class RateLimitsIT {

    TestServer server;
    Http admin;

    @BeforeEach
    void start() {
        server = TestServer.shared();
        admin = server.http().bearer(server.adminToken());
    }

    /** The numeric id of the tenant's client with public id or kind {@code match}. */
    long clientId(String tenant, String match) {
        var clients = admin.get("/admin/api/tenants/" + tenant + "/clients").json().path("clients");
        for (var c : clients) {
            if (c.path("clientId").asText().equals(match) || c.path("kind").asText().equals(match)) {
                return c.path("id").asLong();
            }
        }
        throw new AssertionError("no client " + match + " in " + clients);
    }

    Http.Response put(String path, String json) {
        return admin.send(admin.builder(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void theDefaultsAreShownPerDialectAndAClientsOwnLimitReplacesThem() {
        var ows = Ows.newTenant(server, List.of("en"));
        var id = clientId(ows.tenant(), "ows-api-key");
        var path = "/admin/api/tenants/" + ows.tenant() + "/clients/" + id + "/rate-limits";
        var shown = admin.get(path);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().path("rateLimits").path("ows").path("perMinute").asInt()).isEqualTo(350);
        assertThat(shown.json().path("rateLimits").path("ows").path("concurrent").asInt()).isZero();
        assertThat(shown.json().path("rateLimits").path("ows").path("source").asText()).isEqualTo("default");
        assertThat(shown.json().path("rateLimits").has("fileapi")).isTrue();
        assertThat(shown.json().path("rateLimits").has("admin")).as("the admin API is not limited").isFalse();

        var set = put(path + "/ows", "{\"perMinute\":1000,\"concurrent\":4}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("rateLimits").path("ows").path("perMinute").asInt()).isEqualTo(1000);
        assertThat(set.json().path("rateLimits").path("ows").path("concurrent").asInt()).isEqualTo(4);
        assertThat(set.json().path("rateLimits").path("ows").path("source").asText()).isEqualTo("client");

        assertThat(put(path + "/ows", "{\"perMinute\":-1}").status()).isEqualTo(400);
        assertThat(put(path + "/ows", "{}").status()).isEqualTo(400);
        assertThat(put(path + "/ows", "{\"perMinute\":\"many\"}").status()).isEqualTo(400);
        assertThat(put(path + "/admin", "{\"perMinute\":1}").status()).isEqualTo(400);
        assertThat(put("/admin/api/tenants/" + ows.tenant() + "/clients/999999/rate-limits/ows", "{\"perMinute\":1}").status()).isEqualTo(404);

        var reset = admin.delete(path + "/ows");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().path("rateLimits").path("ows").path("perMinute").asInt()).isEqualTo(350);
        assertThat(reset.json().path("rateLimits").path("ows").path("source").asText()).isEqualTo("default");
    }

    @Test
    void aClientsLimitsAreNotReachableUnderAnotherTenant() {
        var ows = Ows.newTenant(server, List.of("en"));
        var other = Ows.newTenant(server, List.of("en"));
        var id = clientId(ows.tenant(), "ows-api-key");
        var foreign = "/admin/api/tenants/" + other.tenant() + "/clients/" + id + "/rate-limits";
        assertThat(admin.get(foreign).status()).isEqualTo(404);
        assertThat(put(foreign + "/ows", "{\"perMinute\":1}").status()).isEqualTo(404);
        assertThat(admin.delete(foreign + "/ows").status()).isEqualTo(404);
        assertThat(admin.get("/admin/api/tenants/" + ows.tenant() + "/clients/" + id + "/rate-limits").json()
                .path("rateLimits").path("ows").path("source").asText()).isEqualTo("default");
    }

    @Test
    void anOwsClientOverItsLimitGetsTheErrorObjectNamingItAndAnotherClientIsNotHeldBack() {
        var greedy = Ows.newTenant(server, List.of("en"));
        var modest = Ows.newTenant(server, List.of("en"));
        var id = clientId(greedy.tenant(), "ows-api-key");
        assertThat(put("/admin/api/tenants/" + greedy.tenant() + "/clients/" + id + "/rate-limits/ows", "{\"perMinute\":60}").status())
                .isEqualTo(200);
        var session = greedy.login();
        var other = modest.login();
        var refused = refusedAfterTheWholeLimit(i -> greedy.call("check", "[\"" + session + "\"]"));
        assertThat(refused.path("error").path("code").asInt()).isEqualTo(429);
        assertThat(refused.path("error").path("message").asText()).startsWith("Rate limit exceeded: at most 60 requests per minute; try again in ");
        // XML-RPC answers with a fault (sent right away: the window frees one request a second)
        var xml = greedy.xml("<?xml version=\"1.0\"?><methodCall><methodName>check</methodName><params><param><value><string>"
                + session + "</string></value></param></params></methodCall>");
        assertThat(xml).contains("<name>faultCode</name><value><int>429</int></value>").contains("Rate limit exceeded");
        // a login is not counted
        assertThat(greedy.login()).isNotBlank();
        // the other tenant's key is not held back
        for (int i = 0; i < 20; i++) {
            assertThat(modest.call("check", "[\"" + other + "\"]").has("result")).isTrue();
        }
        // the admin API is not limited
        for (int i = 0; i < 50; i++) {
            assertThat(admin.get("/admin/api/tenants/" + greedy.tenant()).status()).isEqualTo(200);
        }
    }

    @Test
    void callsWrappedInWrapRequestOrMultiServiceCountAgainstTheirSessionsLimit() {
        var ows = Ows.newTenant(server, List.of("en"));
        var id = clientId(ows.tenant(), "ows-api-key");
        assertThat(put("/admin/api/tenants/" + ows.tenant() + "/clients/" + id + "/rate-limits/ows", "{\"perMinute\":60}").status())
                .isEqualTo(200);
        var session = ows.login();
        // as OTYS's WordPress plugin sends every call: wrapped, the session inside, params keyed "0"
        var refused = refusedAfterTheWholeLimit(i -> i % 2 == 0
                ? ows.call("Otys.Services.LanguageService.wrapRequest", "[\"en\",{\"method\":\"check\",\"params\":{\"0\":\"" + session + "\"}}]")
                : ows.call("Otys.Services.MultiService.execute", "[{\"a\":{\"method\":\"check\",\"args\":[\"" + session + "\"]}}]"));
        assertThat(refused.path("error").path("code").asInt()).isEqualTo(429);
    }

    /**
     * Sends {@code call(i)} until the OWS answer is an error, with a limit of 60 per minute: the
     * whole limit passes at once, not more; returns the refusal.
     */
    private static JsonNode refusedAfterTheWholeLimit(java.util.function.IntFunction<JsonNode> call) {
        JsonNode refused = null;
        int admitted = 0;
        for (int i = 0; i < 100 && refused == null; i++) {
            var answer = call.apply(i);
            if (answer.has("error")) {
                refused = answer;
            } else {
                admitted++;
            }
        }
        assertThat(admitted).as("the whole limit at once, not more").isBetween(55, 60);
        assertThat(refused).isNotNull();
        return refused;
    }

    @Test
    void aFileApiClientOverItsLimitGets429WithRetryAfterInTheFileApiShape() throws Exception {
        var tenant = FileApiClient.newTenant(server);
        var app = FileApiClient.app(server, tenant, DeliveryRole.SUBSCRIBER, 7101L);
        var id = clientId(tenant, app.clientId());
        assertThat(put("/admin/api/tenants/" + tenant + "/clients/" + id + "/rate-limits/fileapi", "{\"perMinute\":30}").status())
                .isEqualTo(200);
        java.net.http.HttpResponse<String> refused = null;
        for (int i = 0; i < 60 && refused == null; i++) {
            var answer = app.get("/fileapi/v1.0/files?role=subscriber");
            if (answer.statusCode() == 429) {
                refused = answer;
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }
        }
        assertThat(refused).isNotNull();
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(refused.body());
        assertThat(body.path("errorCode").asInt()).isEqualTo(429);
        assertThat(body.path("message").asText()).startsWith("Rate limit exceeded: at most 30 requests per minute");
        assertThat(body.has("correlationId")).isTrue();
        // a token request is not limited
        assertThat(app.token()).isNotBlank();
    }
}

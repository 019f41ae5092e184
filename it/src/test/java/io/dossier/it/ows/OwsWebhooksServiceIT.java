package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.identity.ClientKind;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import io.dossier.it.support.WebhookReceiver;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What OTYS's WordPress plugin does with {@code WebhooksService} (registering its cache-clearing
 * webhooks, listing, deleting and reading their logs) and the two writes it is told of by them
 * ({@code VacancyService.setExtraFieldValue}, {@code MatchCriteriaSettingsService.update}), with
 * the request bodies it sends ({@code OtysApi::post} puts the session first in each call's params or
 * args; PHP's {@code json_encode} escapes slashes). Each test asserts what the plugin reads and that
 * another tenant reaches none of it.
 */
class OwsWebhooksServiceIT {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A public address: a site's webhook URL passes the target check without a name to resolve. */
    static final String SITE_HOOKS = "https:\\/\\/93.184.215.14\\/webhooks";
    static WebhookReceiver receiver;

    Ows ows;
    String session;

    @BeforeAll
    static void startReceiver() {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @BeforeEach
    void tenant() {
        ows = Ows.newTenant(TestServer.shared(), List.of("en")).withoutRateLimit();
        session = ows.login();
    }

    /** {@code OtysApi::post} with {@code $languageWrap = false}, as the plugin sends every WebhooksService call. */
    static JsonNode plain(Ows tenant, String method, String params) {
        return tenant.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services." + method + "\",\"params\":" + params + ",\"id\":1}");
    }

    static JsonNode result(JsonNode body) {
        assertThat(body.has("error")).as("the plugin treats any 'error' key as a failure: %s", body).isFalse();
        return body.path("result");
    }

    /** AdminWebhooksModel::registerWebhooks: one MultiService call of WebhooksService.add per service call. */
    static JsonNode register(Ows tenant, String session, String url, String... serviceCalls) {
        var calls = new ArrayList<String>();
        for (var call : serviceCalls) {
            calls.add("{\"method\":\"Otys.Services.WebhooksService.add\",\"args\":[\"" + session + "\",{\"serviceCall\":\"" + call
                    + "\",\"webhookUrl\":\"" + url + "\",\"klantGlobal\":true}]}");
        }
        return result(tenant.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.MultiService.execute\",\"params\":[["
                + String.join(",", calls) + "]],\"id\":1}"));
    }

    static JsonNode list(Ows tenant, String session) {
        return result(plain(tenant, "WebhooksService.getList", "[\"" + session + "\"]"));
    }

    void allowLoopback(Ows tenant) {
        var server = TestServer.shared();
        var admin = server.http().bearer(server.adminToken());
        var set = admin.send(admin.builder("/admin/api/tenants/" + tenant.tenant() + "/settings/webhooks.allow-private-targets")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"value\":true}")));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    @Test
    void aSiteRegistersListsAndDeletesItsOwnWebhooks() {
        var added = register(ows, session, SITE_HOOKS, "VacancyService.update", "VacancyService.setExtraFieldValue",
                "MatchCriteriaSettingsService.update", "VacancyService.delete", "CsmService.setValue", "FreeInteractionService.sessionCommit");
        for (int i = 0; i < 4; i++) {
            assertThat(added.get(i).path("status").asText()).as(added.toString()).isEqualTo("ok");
            assertThat(added.get(i).path("data").isIntegralNumber()).isTrue();
        }
        // settings are no record: Dossier cannot tell of their changes, and says so
        assertThat(added.get(4).path("status").asText()).isEqualTo("error");
        assertThat(added.get(4).path("error").path("message").asText()).contains("CsmService is not one");
        // an interaction's commit writes an answer set, not the form
        assertThat(added.get(5).path("error").path("code").asInt()).isEqualTo(-32602);

        var listed = list(ows, session);
        assertThat(listed).hasSize(4);
        var calls = new ArrayList<String>();
        for (var webhook : listed) {
            assertThat(webhook.path("uid").isIntegralNumber()).isTrue();
            assertThat(webhook.path("webhookUrl").asText()).isEqualTo("https://93.184.215.14/webhooks");
            assertThat(webhook.path("klantGlobal").asBoolean()).isTrue();
            calls.add(webhook.path("serviceCall").asText());
        }
        assertThat(calls).containsExactlyInAnyOrder("VacancyService.update", "VacancyService.update", "MatchCriteriaService.update",
                "VacancyService.delete");

        // a URL of the server's own network is refused in the OWS error shape, unless the tenant allows it
        var loopback = plain(ows, "WebhooksService.add", "[\"" + session
                + "\",{\"serviceCall\":\"VacancyService.update\",\"webhookUrl\":\"http:\\/\\/127.0.0.1:8080\\/webhooks\",\"klantGlobal\":true}]");
        assertThat(loopback.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(loopback.path("error").path("message").asText()).contains("loopback");
        var ftp = plain(ows, "WebhooksService.add", "[\"" + session
                + "\",{\"serviceCall\":\"VacancyService.update\",\"webhookUrl\":\"ftp:\\/\\/93.184.215.14\\/hooks\",\"klantGlobal\":true}]");
        assertThat(ftp.path("error").path("message").asText()).contains("http or https");

        // another tenant lists none of them and deletes none of them
        var other = Ows.newTenant(TestServer.shared(), List.of("en"));
        var otherSession = other.login();
        assertThat(list(other, otherSession)).isEmpty();
        var uid = listed.get(0).path("uid").asLong();
        var foreign = plain(other, "WebhooksService.delete", "[\"" + otherSession + "\"," + uid + "]");
        assertThat(foreign.path("error").path("code").asInt()).isEqualTo(404);
        assertThat(list(ows, session)).hasSize(4);

        // Webhooks::deleteWebhooks: one MultiService call of WebhooksService.delete per listed webhook
        var deletes = new ArrayList<String>();
        for (var webhook : listed) {
            deletes.add("{\"method\":\"Otys.Services.WebhooksService.delete\",\"args\":[\"" + session + "\"," + webhook.path("uid").asLong() + "]}");
        }
        var deleted = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.MultiService.execute\",\"params\":[["
                + String.join(",", deletes) + "]],\"id\":1}"));
        for (var answer : deleted) {
            assertThat(answer.path("status").asText()).isEqualTo("ok");
        }
        assertThat(list(ows, session)).isEmpty();
    }

    @Test
    void anApiKeyWithRecordFiltersMayNotUseWebhooks() {
        var server = TestServer.shared();
        var key = server.server().dossier().identities().createClient(ows.tenantId(), ClientKind.OWS_API_KEY, "filtered", ows.userId(), Set.of());
        var admin = server.http().bearer(server.adminToken());
        var set = admin.send(admin.builder("/admin/api/tenants/" + ows.tenant() + "/clients/" + key.client().id() + "/filters/Vacancy")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"field\":\"statusId\",\"op\":\"EQ\",\"value\":2}")));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        var filtered = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"" + key.secret() + "\"],\"id\":1}")).asText();
        var added = register(ows, filtered, SITE_HOOKS, "VacancyService.update");
        assertThat(added.get(0).path("error").path("code").asInt()).isEqualTo(403);
        assertThat(plain(ows, "WebhooksService.getLogs", "[\"" + filtered + "\",1000]").path("error").path("code").asInt()).isEqualTo(403);
        assertThat(list(ows, session)).isEmpty();
    }

    @Test
    void setExtraFieldValueWritesTheVacancyAndTheSitesWebhookLogShowsItsDelivery() throws Exception {
        allowLoopback(ows);
        var path = "/webhooks/" + UUID.randomUUID();
        var url = receiver.url(path).replace("/", "\\/");
        register(ows, session, url, "VacancyService.setExtraFieldValue");
        var vacancy = ows.result("Otys.Services.VacancyService.add", "[\"" + session + "\",{\"title\":\"Welder\",\"statusId\":2}]").asText();

        // an extra field by its fieldnum, as getExtraFieldsList numbers it, and several at once
        assertThat(result(plain(ows, "VacancyService.setExtraFieldValue", "[\"" + session + "\",\"" + vacancy + "\",2,\"Own car\"]"))
                .asBoolean()).isTrue();
        assertThat(result(plain(ows, "VacancyService.setExtraFieldValue",
                "[\"" + session + "\",\"" + vacancy + "\",{\"1\":\"Night shifts\",\"extraInfo3\":\"VCA\"}]")).asBoolean()).isTrue();
        var detail = ows.result("Otys.Services.VacancyService.getDetail", "[\"" + session + "\",\"" + vacancy
                + "\",{\"extraInfo1\":1,\"extraInfo2\":1,\"extraInfo3\":1}]");
        assertThat(detail.path("extraInfo1").asText()).isEqualTo("Night shifts");
        assertThat(detail.path("extraInfo2").asText()).isEqualTo("Own car");
        assertThat(detail.path("extraInfo3").asText()).isEqualTo("VCA");
        var unknown = plain(ows, "VacancyService.setExtraFieldValue", "[\"" + session + "\",\"" + vacancy + "\",999,\"x\"]");
        assertThat(unknown.path("error").path("code").asInt()).isEqualTo(-32602);

        // the change reaches the site's webhook in the shape its WebhooksController reads: request.method
        var got = receiver.await(path, 2, Duration.ofSeconds(20));
        var body = JSON.readTree(got.getFirst().body());
        assertThat(body.path("request").path("method").asText()).isEqualTo("Otys.Services.VacancyService.update");
        assertThat(body.path("request").path("args").get(1).asText()).as("the plugin's webhookVacancyUpdate reads args[1]").isEqualTo(vacancy);

        // AdminWebhooksModel::getLogs: params [session, 1000]; the plugin reads the list in the answer's [0]
        JsonNode logs = null;
        for (long end = System.nanoTime() + Duration.ofSeconds(10).toNanos(); System.nanoTime() < end; Thread.sleep(100)) {
            logs = result(plain(ows, "WebhooksService.getLogs", "[\"" + session + "\",1000]")).path(0);
            if (logs.size() >= 2 && logs.get(0).path("is_processed").asBoolean() && logs.get(1).path("is_processed").asBoolean()) {
                break;
            }
        }
        assertThat(logs).hasSize(2);
        var log = logs.get(0);
        assertThat(log.path("webhook_url").asText()).isEqualTo(receiver.url(path));
        assertThat(log.path("response_code").asInt()).isEqualTo(200);
        assertThat(log.path("is_processed").asBoolean()).isTrue();
        assertThat(log.path("added").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
        assertThat(JSON.readTree(log.path("request_data").asText()).path("request").path("method").asText())
                .isEqualTo("Otys.Services.VacancyService.update");
        assertThat(JSON.readTree(log.path("response_data").asText()).path("status").asInt()).isEqualTo(200);

        // another tenant writes no extra field of this vacancy and reads no log of this site
        var other = Ows.newTenant(TestServer.shared(), List.of("en"));
        var otherSession = other.login();
        var foreign = plain(other, "VacancyService.setExtraFieldValue", "[\"" + otherSession + "\",\"" + vacancy + "\",2,\"Stolen\"]");
        assertThat(foreign.path("error").path("code").asInt()).isEqualTo(404);
        assertThat(result(plain(other, "WebhooksService.getLogs", "[\"" + otherSession + "\",1000]")).path(0)).isEmpty();
        assertThat(ows.result("Otys.Services.VacancyService.getDetail", "[\"" + session + "\",\"" + vacancy + "\",{\"extraInfo2\":1}]")
                .path("extraInfo2").asText()).isEqualTo("Own car");
    }

    @Test
    void matchCriteriaSettingsUpdateChangesACriterionsSettings() {
        var criterion = ows.result("Otys.Services.MatchCriteriaService.add", "[\"" + session
                + "\",{\"name\":\"Sector\",\"rank\":1,\"forVacancies\":false,\"forJobAlerts\":false}]").asText();
        assertThat(result(plain(ows, "MatchCriteriaSettingsService.update", "[\"" + session + "\"," + criterion
                + ",{\"name\":\"Branche\",\"forVacancies\":true,\"forJobAlerts\":true}]")).asBoolean()).isTrue();
        var detail = ows.result("Otys.Services.MatchCriteriaService.getDetail", "[\"" + session + "\",\"" + criterion
                + "\",{\"name\":1,\"forVacancies\":1,\"forJobAlerts\":1,\"rank\":1}]");
        assertThat(detail.path("name").asText()).isEqualTo("Branche");
        assertThat(detail.path("forVacancies").asBoolean()).isTrue();
        assertThat(detail.path("forJobAlerts").asBoolean()).isTrue();
        assertThat(detail.path("rank").asInt()).isEqualTo(1);
        // its terms are not settings
        var terms = plain(ows, "MatchCriteriaSettingsService.update", "[\"" + session + "\"," + criterion + ",{\"Options\":{}}]");
        assertThat(terms.path("error").path("code").asInt()).isEqualTo(-32602);

        // another tenant changes nothing of it
        var other = Ows.newTenant(TestServer.shared(), List.of("en"));
        var otherSession = other.login();
        var foreign = plain(other, "MatchCriteriaSettingsService.update", "[\"" + otherSession + "\"," + criterion + ",{\"name\":\"Stolen\"}]");
        assertThat(foreign.path("error").path("code").asInt()).isEqualTo(404);
        assertThat(ows.result("Otys.Services.MatchCriteriaService.getDetail", "[\"" + session + "\",\"" + criterion + "\",{\"name\":1}]")
                .path("name").asText()).isEqualTo("Branche");
    }
}

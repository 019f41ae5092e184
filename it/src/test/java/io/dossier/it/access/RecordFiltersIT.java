package io.dossier.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.identity.ClientKind;
import io.dossier.it.support.Http;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client with a record filter sees only the records that match it, by every OWS path: lists and
 * their counts, details, updates, deletes, batches, dossiers, attaching, document details and
 * downloads. Outside its filter a record does not exist for it (the OWS "not found" error), and
 * it cannot add or move a record out of its view. Filters are set through the admin API, per
 * tenant, and checked against the record type.
 */
class RecordFiltersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String C = "Otys.Services.CandidateService.";
    private static final String FILTER = "{\"field\":\"Person.lastName\",\"op\":\"STARTS_WITH\",\"value\":\"Visible\"}";

    private TestServer server;
    private Ows ows;
    private String full;
    private long filteredClient;
    private String filtered;
    private String visible;
    private String hidden;

    @BeforeEach
    void twoClientsOfOneUser() {
        server = TestServer.shared();
        ows = Ows.newTenant(server, List.of("en"));
        full = ows.login();
        var key = server.server().dossier().identities().createClient(ows.tenantId(), ClientKind.OWS_API_KEY, "filtered", ows.userId(), Set.of());
        filteredClient = key.client().id();
        var set = admin().send(admin().builder(filterPath(ows.tenant(), filteredClient, "Candidate"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(FILTER)));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        filtered = login(key.secret());
        visible = ows.result(C + "add", "[\"" + full + "\",{\"Person\":{\"lastName\":\"Visible One\"}}]").asText();
        hidden = ows.result(C + "add", "[\"" + full + "\",{\"Person\":{\"lastName\":\"Hidden One\"}}]").asText();
    }

    @Test
    void listsAndCountsHoldOnlyWhatTheFilterLetsThrough() {
        var all = "{\"what\":{\"uid\":1},\"limit\":200,\"getTotalCount\":1}";
        assertThat(uids(ows.result(C + "getListEx", "[\"" + full + "\"," + all + "]"))).containsExactlyInAnyOrder(visible, hidden);
        var seen = ows.result(C + "getListEx", "[\"" + filtered + "\"," + all + "]");
        assertThat(uids(seen)).containsExactly(visible);
        assertThat(seen.path("totalCount").asInt()).isEqualTo(1);
        // asking for the hidden one by condition finds nothing and counts nothing
        var byUid = ows.result(C + "getListEx", "[\"" + filtered + "\",{\"condition\":{\"type\":\"COND\",\"field\":\"uid\",\"op\":\"EQ\",\"param\":\""
                + hidden + "\"},\"getTotalCount\":1}]");
        assertThat(byUid.path("listOutput")).isEmpty();
        assertThat(byUid.path("totalCount").asInt()).isZero();
        assertThat(ows.result(C + "getList", "[\"" + filtered + "\",{\"what\":{\"uid\":1}}]")).hasSize(1);
    }

    @Test
    void aRecordOutsideTheFilterCannotBeReadChangedOrDeleted() {
        assertNotFound(ows.call(C + "getDetail", "[\"" + filtered + "\",\"" + hidden + "\"]"));
        assertNotFound(ows.call(C + "update", "[\"" + filtered + "\",\"" + hidden + "\",{\"Person\":{\"firstName\":\"Changed\"}}]"));
        assertNotFound(ows.call(C + "delete", "[\"" + filtered + "\",\"" + hidden + "\"]"));
        var batch = ows.result("Otys.Services.MultiService.execute", "[[{\"method\":\"" + C + "getDetail\",\"args\":[\"" + filtered + "\",\""
                + hidden + "\"]},{\"method\":\"" + C + "delete\",\"args\":[\"" + filtered + "\",\"" + hidden + "\"]}]]");
        assertThat(batch.get(0).has("error")).isTrue();
        assertThat(batch.get(1).has("error")).isTrue();
        // its own view works, and the hidden record is intact for the unfiltered client
        assertThat(ows.result(C + "getDetail", "[\"" + filtered + "\",\"" + visible + "\",{\"uid\":1}]").path("uid").asText()).isEqualTo(visible);
        var intact = ows.result(C + "getDetail", "[\"" + full + "\",\"" + hidden + "\",{\"Person\":{\"firstName\":1,\"lastName\":1}}]");
        assertThat(intact.path("Person").path("lastName").asText()).isEqualTo("Hidden One");
        assertThat(intact.path("Person").path("firstName").isNull() || intact.path("Person").path("firstName").asText().isEmpty()).isTrue();
    }

    @Test
    void aFilteredClientCannotAddOrMoveARecordOutOfItsView() {
        assertThat(ows.call(C + "add", "[\"" + filtered + "\",{\"Person\":{\"lastName\":\"Hidden Two\"}}]").has("error")).isTrue();
        assertThat(ows.call(C + "update", "[\"" + filtered + "\",\"" + visible + "\",{\"Person\":{\"lastName\":\"Hidden Now\"}}]").has("error")).isTrue();
        var all = ows.result(C + "getListEx", "[\"" + full + "\",{\"what\":{\"Person\":{\"lastName\":1}},\"limit\":200,\"getTotalCount\":1}]");
        assertThat(all.path("totalCount").asInt()).as("nothing half-written").isEqualTo(2);
        assertThat(all.path("listOutput").findValuesAsText("lastName")).containsExactlyInAnyOrder("Visible One", "Hidden One");
        // inside its view it adds and changes as any client
        var added = ows.result(C + "add", "[\"" + filtered + "\",{\"Person\":{\"lastName\":\"Visible Two\"}}]").asText();
        assertThat(ows.result(C + "update", "[\"" + filtered + "\",\"" + added + "\",{\"Person\":{\"firstName\":\"Ann\"}}]").asBoolean()).isTrue();
    }

    @Test
    void documentsOfARecordOutsideTheFilterCannotBeListedAttachedReadOrDownloaded() throws Exception {
        var type = ows.result("Otys.Services.DocumentTypeService.add", "[\"" + full + "\",{\"name\":\"CV\",\"forDocuments\":true,"
                + "\"forCandidates\":true}]").asText();
        var hiddenFile = upload(full, "hidden.pdf");
        var document = ows.result("Otys.Services.AttachedDocumentsService.add", "[\"" + full + "\",{\"candidateUid\":\"" + hidden
                + "\",\"fileUid\":\"" + hiddenFile + "\",\"typeId\":\"" + type + "\",\"subject\":\"secret CV\"}]").asText();
        var dossier = "{\"objectEntityId\":2,\"objectUid\":\"" + hidden + "\",\"restrictClass\":[\"AttachedDocs\"],\"limit\":100,\"offset\":0}";

        assertNotFound(ows.call("Otys.Services.DossierService.getList", "[\"" + filtered + "\"," + dossier + "]"));
        assertNotFound(ows.call("Otys.Services.DossierService.getCount", "[\"" + filtered + "\"," + dossier + "]"));
        assertNotFound(ows.call("Otys.Services.AttachedDocumentsService.getDetail", "[\"" + filtered + "\",\"" + document + "\"]"));
        assertNotFound(ows.call("Otys.Services.AttachedDocumentsService.update", "[\"" + filtered + "\",\"" + document
                + "\",{\"subject\":\"mine\"}]"));
        assertNotFound(ows.call("Otys.Services.AttachedDocumentsService.delete", "[\"" + filtered + "\",\"" + document + "\"]"));
        var mine = upload(filtered, "mine.pdf");
        assertNotFound(ows.call("Otys.Services.AttachedDocumentsService.add", "[\"" + filtered + "\",{\"candidateUid\":\"" + hidden
                + "\",\"fileUid\":\"" + mine + "\",\"typeId\":\"" + type + "\",\"subject\":\"x\"}]"));
        assertThat(download(hiddenFile, filtered).statusCode()).isEqualTo(404);

        // the same paths work for the unfiltered client and for a record inside the filter
        assertThat(download(hiddenFile, full).statusCode()).isEqualTo(200);
        assertThat(ows.result("Otys.Services.DossierService.getCount", "[\"" + full + "\"," + dossier + "]").asInt()).isEqualTo(1);
        ows.result("Otys.Services.AttachedDocumentsService.add", "[\"" + filtered + "\",{\"candidateUid\":\"" + visible
                + "\",\"fileUid\":\"" + mine + "\",\"typeId\":\"" + type + "\",\"subject\":\"ok\"}]");
        assertThat(download(mine, filtered).statusCode()).isEqualTo(200);
    }

    @Test
    void filtersAreSetPerTenantAndCheckedAgainstTheRecordType() throws Exception {
        var shown = admin().get(filterPath(ows.tenant(), filteredClient, "").replaceAll("/$", ""));
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().path("filters").path("Candidate")).isEqualTo(JSON.readTree(FILTER));

        assertThat(put(ows.tenant(), filteredClient, "NoSuchType", FILTER).status()).isEqualTo(400);
        assertThat(put(ows.tenant(), filteredClient, "Candidate", "{\"field\":\"Person.noSuchField\",\"op\":\"EQ\",\"value\":\"x\"}").status())
                .isEqualTo(400);
        assertThat(put(ows.tenant(), filteredClient, "Candidate", "{\"field\":\"Person.lastName\",\"op\":\"SOUNDS_LIKE\",\"value\":\"x\"}")
                .status()).isEqualTo(400);
        assertThat(put(ows.tenant(), filteredClient, "Candidate", "{\"and\":[]}").status()).isEqualTo(400);
        assertThat(put(ows.tenant(), filteredClient, "Candidate", "[1,2]").status()).isEqualTo(400);
        assertThat(put(ows.tenant(), filteredClient, "Candidate", "{not json").status()).isEqualTo(400);

        // another tenant's administrator path cannot reach this tenant's client
        var other = Ows.newTenant(server, List.of("en"));
        assertThat(put(other.tenant(), filteredClient, "Candidate", "{\"field\":\"uid\",\"op\":\"EQ\",\"value\":\"nothing\"}").status())
                .isEqualTo(404);
        assertThat(admin().get(filterPath(other.tenant(), filteredClient, "").replaceAll("/$", "")).status()).isEqualTo(404);
        assertThat(uids(ows.result(C + "getListEx", "[\"" + filtered + "\",{\"what\":{\"uid\":1},\"limit\":200}]"))).containsExactly(visible);

        // removed: the client sees every record again, at once
        assertThat(admin().delete(filterPath(ows.tenant(), filteredClient, "Candidate")).status()).isEqualTo(204);
        assertThat(uids(ows.result(C + "getListEx", "[\"" + filtered + "\",{\"what\":{\"uid\":1},\"limit\":200}]")))
                .containsExactlyInAnyOrder(visible, hidden);
    }

    @Test
    void revokingTheClientEndsWhatItsSessionsMayReachAtOnce() {
        assertThat(uids(ows.result(C + "getListEx", "[\"" + filtered + "\",{\"what\":{\"uid\":1}}]"))).containsExactly(visible);
        assertThat(admin().delete("/admin/api/tenants/" + ows.tenant() + "/clients/" + filteredClient).status()).isEqualTo(204);
        var refused = ows.call(C + "getListEx", "[\"" + filtered + "\",{\"what\":{\"uid\":1}}]");
        assertThat(refused.has("error")).as(refused.toString()).isTrue();
        assertThat(ows.call(C + "getDetail", "[\"" + filtered + "\",\"" + visible + "\"]").has("error")).isTrue();
    }

    // ---- helpers

    private Http admin() {
        return server.http().bearer(server.adminToken());
    }

    private static String filterPath(String tenant, long client, String type) {
        return "/admin/api/tenants/" + tenant + "/clients/" + client + "/filters/" + type;
    }

    private Http.Response put(String tenant, long client, String type, String body) {
        return admin().send(admin().builder(filterPath(tenant, client, type)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String login(String apiKey) {
        var response = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"" + apiKey + "\"],\"id\":1}");
        return response.path("result").asText();
    }

    private static List<String> uids(JsonNode list) {
        return (list.has("listOutput") ? list.path("listOutput") : list).findValuesAsText("uid");
    }

    private static void assertNotFound(JsonNode response) {
        assertThat(response.has("error")).as(response.toString()).isTrue();
        assertThat(response.path("error").path("message").asText().toLowerCase()).as(response.toString()).contains("no ");
    }

    private String upload(String session, String name) throws Exception {
        var boundary = "----filters" + System.nanoTime();
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"sessionId\"\r\n\r\n" + session + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n%PDF-1.7 " + name + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        var response = CLIENT.send(HttpRequest.newBuilder(server.uri("/ows/fileService.php"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path(name).path("ouid").asText();
    }

    private HttpResponse<byte[]> download(String ouid, String session) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(server.uri("/ows/fileServiceDownload?ouid=" + ouid + "&class=AttachedDocument"))
                .header("Cookie", "PHPSESSID=" + session).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}

package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every request of OWS manual chapter 2, as the manual writes it, one test per section. */
class OwsManualChapter2IT {

    Ows ows;
    String session;

    @BeforeEach
    void tenant() {
        ows = Ows.newTenant(TestServer.shared(), List.of("en", "nl", "de"));
        session = ows.login();
    }

    List<String> statusIds() {
        var options = ows.result("Otys.Services.CandidateService.getOptionLists", "[\"" + session + "\",[\"statusId\"]]");
        var ids = new ArrayList<String>();
        options.path("statusId").fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    String addCandidate(String first, String last, String statusId) {
        var result = ows.result("Otys.Services.CandidateService.add",
                "[\"" + session + "\",{\"Person\":{\"firstName\":\"" + first + "\",\"lastName\":\"" + last + "\"},\"statusId\":" + statusId + "}]");
        assertThat(result.isTextual()).as("add answers the uid as a string").isTrue();
        return result.asText();
    }

    @Test
    void section_2_3_1_retrieveSessionToken() {
        var response = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"" + ows.apiKey() + "\"],\"id\":1}");
        assertThat(response.path("result").asText()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(response.path("id").asInt()).isEqualTo(1);
        assertThat(response.has("error")).isFalse();

        var wrong = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"not-a-key\"],\"id\":1}");
        assertThat(wrong.path("error").path("message").asText()).startsWith("Access denied");
        assertThat(wrong.has("result")).isFalse();
    }

    @Test
    void section_2_3_2_checkSession() {
        var response = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[\"" + session + "\"],\"id\":1}");
        var result = response.path("result");
        assertThat(result.path("clientId").asLong()).isEqualTo(ows.tenantId());
        assertThat(result.path("client").asText()).isEqualTo("Recruitment " + ows.tenant());
        assertThat(result.path("id").asLong()).isEqualTo(ows.userId());
        assertThat(result.path("username").asText()).isEqualTo(ows.username());
        assertThat(result.path("email").asText()).isEqualTo(ows.tenant() + "@example.com");
        assertThat(result.path("contentLanguages").toString()).isEqualTo("[\"en\",\"nl\",\"de\"]");
        assertThat(result.path("defaultContentLanguage").asText()).isEqualTo("en");
    }

    @Test
    void section_2_3_3_logOut() {
        var response = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"logout\",\"params\":[\"" + session + "\"],\"id\":1}");
        assertThat(response.toString()).isEqualTo("{\"result\":true,\"id\":1}");
        var again = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"logout\",\"params\":[\"" + session + "\"],\"id\":1}");
        assertThat(again.toString()).isEqualTo("{\"error\":{\"message\":\"Access denied; please login first\",\"code\":0},\"id\":1}");
    }

    @Test
    void section_2_3_4_sessionManagement() {
        var unknown = ows.call("check", "[\"0123456789abcdef0123456789abcdef\"]");
        assertThat(unknown.toString()).isEqualTo("{\"error\":{\"message\":\"Access denied; please login first\",\"code\":0},\"id\":1}");
        var noToken = ows.call("Otys.Services.CandidateService.getListEx", "[]");
        assertThat(noToken.path("error").path("message").asText()).isEqualTo("Access denied; please login first");
        var second = ows.login();
        assertThat(second).isNotEqualTo(session);
        assertThat(ows.result("check", "[\"" + session + "\"]").path("id").asLong()).isEqualTo(ows.userId());
    }

    @Test
    void section_2_5_2_searchAndRetrieveAListOfRecords() {
        var statuses = statusIds();
        var keep = statuses.get(0);
        var skip = statuses.get(1);
        addCandidate("Anna", "Zwart", keep);
        addCandidate("Bram", "Jansen", keep);
        addCandidate("Anna", "Jansen", keep);
        addCandidate("Carl", "Excluded", skip);

        var response = ows.rpc("""
                {
                  "jsonrpc": "2.0",
                  "method": "Otys.Services.CandidateService.getListEx",
                  "params": [
                    "%s",
                    {
                      "what": {"uid": 1, "Person": {"firstName": 1, "lastName": 1}},
                      "condition": {
                        "type": "AND",
                        "items": [
                          {"type": "COND", "field": "userId", "op": "EQ", "param": "%d"},
                          {"type": "COND", "field": "statusId", "op": "NE", "param": "%s"}
                        ]
                      },
                      "sort": {"Person.lastName": "ASC", "Person.firstName": "ASC"},
                      "limit": 100,
                      "offset": 0,
                      "getTotalCount": 1
                    }
                  ],
                  "id": 1
                }""".formatted(session, ows.userId(), skip));
        var result = response.path("result");
        assertThat(result.path("totalCount").asInt()).isEqualTo(3);
        assertThat(result.path("searchExtras").isArray()).isTrue();
        var names = new ArrayList<String>();
        for (var item : result.path("listOutput")) {
            assertThat(item.path("uid").isTextual()).isTrue();
            assertThat(item.size()).isEqualTo(2);
            names.add(item.path("Person").path("firstName").asText() + " " + item.path("Person").path("lastName").asText());
        }
        assertThat(names).containsExactly("Anna Jansen", "Bram Jansen", "Anna Zwart");

        var page = ows.result("Otys.Services.CandidateService.getListEx",
                "[\"" + session + "\",{\"what\":{\"uid\":true},\"sort\":{\"Person.lastName\":\"DESC\"},\"limit\":2,\"offset\":2}]");
        assertThat(page.path("listOutput")).hasSize(2);
        assertThat(page.has("totalCount")).as("totalCount only when asked").isFalse();
    }

    @Test
    void section_2_5_3_retrievingASpecificRecord() {
        var status = statusIds().get(0);
        var uid = addCandidate("Dirk", "de Vries", status);
        var response = ows.rpc("""
                {
                  "jsonrpc": "2.0",
                  "method": "Otys.Services.CandidateService.getDetail",
                  "params": ["%s", "%s", {"Person": {"firstName": 1, "lastName": 1}, "statusId": 1, "userId": 1}],
                  "id": 1
                }""".formatted(session, uid));
        var result = response.path("result");
        assertThat(result.path("Person").path("firstName").asText()).isEqualTo("Dirk");
        assertThat(result.path("Person").path("lastName").asText()).isEqualTo("de Vries");
        assertThat(result.path("statusId").asText()).isEqualTo(status);
        assertThat(result.path("userId").asLong()).as("owner defaults to the API key's user").isEqualTo(ows.userId());
    }

    @Test
    void section_2_5_4_addingNewRecords() {
        var status = statusIds().get(0);
        var response = ows.rpc("""
                {
                  "jsonrpc": "2.0",
                  "method": "Otys.Services.CandidateService.add",
                  "params": ["%s", {"Person": {"firstName": "Eva", "lastName": "Smit"}, "statusId": %s, "userId": %d}],
                  "id": 1
                }""".formatted(session, status, ows.userId()));
        assertThat(response.path("result").isTextual()).isTrue();
        var uid = response.path("result").asText();
        var detail = ows.result("Otys.Services.CandidateService.getDetail", "[\"" + session + "\",\"" + uid + "\",{\"uid\":1,\"Person\":{\"lastName\":1}}]");
        assertThat(detail.path("uid").asText()).isEqualTo(uid);
        assertThat(detail.path("Person").path("lastName").asText()).isEqualTo("Smit");
    }

    @Test
    void section_2_5_5_updatingExistingRecords() {
        var statuses = statusIds();
        var uid = addCandidate("Frits", "Old", statuses.get(0));
        var response = ows.rpc("""
                {
                  "jsonrpc": "2.0",
                  "method": "Otys.Services.CandidateService.update",
                  "params": ["%s", "%s", {"Person": {"firstName": "Frits", "lastName": "New"}, "statusId": %s, "userId": %d}],
                  "id": 1
                }""".formatted(session, uid, statuses.get(1), ows.userId()));
        assertThat(response.toString()).isEqualTo("{\"result\":true,\"id\":1}");
        var detail = ows.result("Otys.Services.CandidateService.getDetail", "[\"" + session + "\",\"" + uid + "\",{\"Person\":{\"lastName\":1},\"statusId\":1}]");
        assertThat(detail.path("Person").path("lastName").asText()).isEqualTo("New");
        assertThat(detail.path("statusId").asText()).isEqualTo(statuses.get(1));

        var updateEx = ows.result("Otys.Services.CandidateService.updateEx", "[\"" + session + "\",\"" + uid + "\",{\"Person\":{\"firstName\":\"F.\"}}]");
        assertThat(updateEx.asText()).as("updateEx answers the uid, which real clients check is a string").isEqualTo(uid);
        var after = ows.result("Otys.Services.CandidateService.getDetail", "[\"" + session + "\",\"" + uid + "\",{\"Person\":{\"firstName\":1,\"lastName\":1}}]");
        assertThat(after.path("Person").toString()).isEqualTo("{\"firstName\":\"F.\",\"lastName\":\"New\"}");
    }

    @Test
    void section_2_5_6_deletingRecords() {
        var uid = addCandidate("Gerda", "Gone", statusIds().get(0));
        var response = ows.rpc("""
                {"jsonrpc": "2.0", "method": "Otys.Services.CandidateService.delete", "params": ["%s", "%s"], "id": 1}""".formatted(session, uid));
        assertThat(response.toString()).isEqualTo("{\"result\":true,\"id\":1}");
        var gone = ows.call("Otys.Services.CandidateService.getDetail", "[\"" + session + "\",\"" + uid + "\"]");
        assertThat(gone.path("error").path("message").asText()).contains(uid);
        var twice = ows.call("Otys.Services.CandidateService.delete", "[\"" + session + "\",\"" + uid + "\"]");
        assertThat(twice.has("error")).isTrue();
    }

    @Test
    void section_2_6_contentLanguages() {
        var vacancy = ows.result("Otys.Services.VacancyService.add", "[\"" + session + "\",{\"title\":\"Java developer\"}]").asText();
        var set = ows.rpc("""
                {"jsonrpc": "2.0", "method": "Otys.Services.VacancyService.setLanguage", "params": ["%s", "nl"], "id": 1}""".formatted(session));
        assertThat(set.toString()).isEqualTo("{\"result\":true,\"id\":1}");
        ows.result("Otys.Services.VacancyService.update", "[\"" + session + "\",\"" + vacancy + "\",{\"title\":\"Java-ontwikkelaar\"}]");
        assertThat(ows.result("Otys.Services.VacancyService.getDetail", "[\"" + session + "\",\"" + vacancy + "\",{\"title\":1}]")
                .path("title").asText()).isEqualTo("Java-ontwikkelaar");
        // another service of the same session keeps its own language; another session the default
        var other = ows.login();
        assertThat(ows.result("Otys.Services.VacancyService.getDetail", "[\"" + other + "\",\"" + vacancy + "\",{\"title\":1}]")
                .path("title").asText()).isEqualTo("Java developer");

        var wrapped = ows.rpc("""
                {
                  "jsonrpc": "2.0",
                  "method": "Otys.Services.LanguageService.wrapRequest",
                  "params": [
                    "en",
                    {"jsonrpc": "2.0", "method": "Otys.Services.VacancyService.getDetail", "params": ["%s", "%s", {"title": 1}], "id": 1}
                  ],
                  "id": 1
                }""".formatted(session, vacancy));
        assertThat(wrapped.toString()).isEqualTo("{\"result\":{\"title\":\"Java developer\"},\"id\":1}");

        var unsupported = ows.call("Otys.Services.VacancyService.setLanguage", "[\"" + session + "\",\"xx\"]");
        assertThat(unsupported.path("error").path("message").asText()).contains("xx");
        var notEnabled = ows.call("Otys.Services.VacancyService.setLanguage", "[\"" + session + "\",\"fr\"]");
        assertThat(notEnabled.path("error").path("message").asText()).contains("not enabled");
        var german = ows.result("Otys.Services.VacancyService.setLanguage", "[\"" + session + "\",\"de\"]");
        assertThat(german.asBoolean()).isTrue();
        assertThat(ows.result("Otys.Services.VacancyService.getDetail", "[\"" + session + "\",\"" + vacancy + "\",{\"title\":1}]")
                .path("title").isNull()).as("no German title yet").isTrue();
    }

    @Test
    void section_2_7_optionLists() {
        var response = ows.rpc("""
                {"jsonrpc": "2.0", "method": "Otys.Services.CandidateService.getOptionLists", "params": ["%s", ["statusId", "userId"]], "id": 1}"""
                .formatted(session));
        JsonNode result = response.path("result");
        assertThat(result.path("statusId").size()).isGreaterThan(1);
        result.path("statusId").properties().forEach(e -> assertThat(e.getValue().isTextual()).isTrue());
        assertThat(result.path("userId").path(Long.toString(ows.userId())).asText()).isEqualTo("Partner " + ows.tenant());
        var unknown = ows.call("Otys.Services.CandidateService.getOptionLists", "[\"" + session + "\",[\"nope\"]]");
        assertThat(unknown.path("error").path("code").asInt()).isEqualTo(-32602);
    }
}

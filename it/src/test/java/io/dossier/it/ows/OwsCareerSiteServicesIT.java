package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data services a career site needs beyond manual chapter 2 (websites, sending profiles,
 * procedures and their statuses, client settings), each called as the manual calls a data
 * service, and the request shapes real PHP clients send: {@code params} as an object keyed
 * {@code "0"}, and MultiService batches keyed by name.
 */
class OwsCareerSiteServicesIT {

    static final ObjectMapper JSON = new ObjectMapper();

    Ows ows;
    String session;

    /** A JSON text as a tree: objects compare by their members, whatever their order. */
    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @BeforeEach
    void tenant() {
        ows = Ows.newTenant(TestServer.shared(), List.of("en", "nl"));
        session = ows.login();
    }

    String s() {
        return "\"" + session + "\"";
    }

    String candidate(Ows in, String session, String lastName) {
        return in.result("Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"" + lastName + "\"}}]").asText();
    }

    String vacancy(Ows in, String session, String title) {
        return in.result("Otys.Services.VacancyService.add", "[\"" + session + "\",{\"title\":\"" + title + "\"}]").asText();
    }

    @Test
    void websiteService_addGetListGetDetailUpdateDelete() {
        var added = ows.rpc("""
                {"jsonrpc": "2.0", "method": "Otys.Services.WebsiteService.add", "params": ["%s", {"siteId": 7, "name": "Careers", "website": "https://careers.example"}], "id": 1}"""
                .formatted(session));
        assertThat(added.toString()).isEqualTo("{\"result\":\"1\",\"id\":1}");
        assertThat(ows.result("Otys.Services.WebsiteService.add", "[" + s() + ",{\"siteId\":8,\"name\":\"IT\"}]").asText()).isEqualTo("2");
        var list = ows.rpc("""
                {"jsonrpc": "2.0", "method": "Otys.Services.WebsiteService.getList", "params": ["%s", {"what": {"uid": 1, "siteId": 1, "website": 1}}], "id": 1}"""
                .formatted(session));
        assertThat(list.path("result")).isEqualTo(json(
                "[{\"uid\":\"1\",\"siteId\":7,\"website\":\"https://careers.example\"},{\"uid\":\"2\",\"siteId\":8,\"website\":null}]"));
        var listEx = ows.result("Otys.Services.WebsiteService.getListEx", "[" + s() + ",{\"what\":{\"name\":1},\"condition\":{\"type\":\"COND\","
                + "\"field\":\"siteId\",\"op\":\"EQ\",\"param\":\"8\"},\"getTotalCount\":1}]");
        assertThat(listEx.path("totalCount").asInt()).isEqualTo(1);
        assertThat(listEx.path("listOutput").get(0).path("name").asText()).isEqualTo("IT");
        assertThat(ows.result("Otys.Services.WebsiteService.update", "[" + s() + ",\"2\",{\"website\":\"https://it.example\"}]").asBoolean()).isTrue();
        assertThat(ows.result("Otys.Services.WebsiteService.getDetail", "[" + s() + ",\"2\",{\"website\":1}]").path("website").asText())
                .isEqualTo("https://it.example");
        assertThat(ows.result("Otys.Services.WebsiteService.delete", "[" + s() + ",\"2\"]").asBoolean()).isTrue();
        assertThat(ows.call("Otys.Services.WebsiteService.getDetail", "[" + s() + ",\"2\"]").path("error").path("code").asInt()).isEqualTo(404);
        var noName = ows.call("Otys.Services.WebsiteService.add", "[" + s() + ",{\"siteId\":9}]");
        assertThat(noName.path("error").path("message").asText()).contains("name").contains("obligatory");
    }

    @Test
    void sendingProfileService_getList() {
        ows.result("Otys.Services.SendingProfileService.add", "[" + s() + ",{\"name\":\"Jobs\",\"email\":\"jobs@example.com\",\"siteId\":1,"
                + "\"signatureId\":3,\"isStandardProfile\":true}]");
        var list = ows.rpc("""
                {"jsonrpc": "2.0", "method": "Otys.Services.SendingProfileService.getList", "params": ["%s", {"what": {"uid": 1, "name": 1, "email": 1, "siteId": 1, "signatureId": 1}}], "id": 1}"""
                .formatted(session));
        assertThat(list.path("result")).isEqualTo(json(
                "[{\"uid\":\"1\",\"name\":\"Jobs\",\"email\":\"jobs@example.com\",\"siteId\":1,\"signatureId\":3}]"));
    }

    @Test
    void procedureStatusServices_getList() {
        for (int step = 1; step <= 3; step++) {
            ows.result("Otys.Services.ProcedureStatus" + step + "Service.add", "[" + s() + ",{\"code\":\"Step " + step + " via website\","
                    + "\"automaticallySelectEvent\":1,\"sortOrder\":10}]");
            var list = ows.rpc("""
                    {"jsonrpc": "2.0", "method": "Otys.Services.ProcedureStatus%dService.getList", "params": ["%s", {"what": {"uid": 1, "code": 1, "automaticallySelectEvent": 1}}], "id": 1}"""
                    .formatted(step, session));
            assertThat(list.path("result")).isEqualTo(json(
                    "[{\"uid\":\"1\",\"code\":\"Step " + step + " via website\",\"automaticallySelectEvent\":1}]"));
        }
        var options = ows.result("Otys.Services.ProcedureStatus1Service.getOptionLists", "[" + s() + ",[\"automaticallySelectEvent\"]]");
        assertThat(options.path("automaticallySelectEvent").path("1").asText()).isEqualTo("Joined via website");
        var notAnEvent = ows.call("Otys.Services.ProcedureStatus1Service.add", "[" + s() + ",{\"code\":\"x\",\"automaticallySelectEvent\":9}]");
        assertThat(notAnEvent.path("error").path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void procedureService_addGetListExGetDetailUpdateDelete() {
        var candidate = candidate(ows, session, "Curie");
        var vacancy = vacancy(ows, session, "Chemist");
        var added = ows.rpc("""
                {"jsonrpc": "2.0", "method": "Otys.Services.ProcedureService.add", "params": ["%s", {"candidateUid": "%s", "vacancyUid": "%s", "ProcedureStatus1": {"uid": "1_1"}}], "id": 1}"""
                .formatted(session, candidate, vacancy));
        var uid = added.path("result").asText();
        assertThat(uid).hasSize(32);
        var list = ows.result("Otys.Services.ProcedureService.getListEx", "[" + s() + ",{\"what\":{\"uid\":1,\"candidateUid\":1,\"vacancyUid\":1,"
                + "\"ProcedureStatus1\":1},\"condition\":{\"type\":\"COND\",\"field\":\"vacancyUid\",\"op\":\"EQ\",\"param\":\"" + vacancy + "\"},"
                + "\"getTotalCount\":1}]");
        assertThat(list.path("totalCount").asInt()).isEqualTo(1);
        assertThat(list.path("listOutput").get(0)).isEqualTo(json("{\"uid\":\"" + uid + "\",\"candidateUid\":\"" + candidate
                + "\",\"vacancyUid\":\"" + vacancy + "\",\"ProcedureStatus1\":{\"uid\":\"1_1\"}}"));
        assertThat(ows.result("Otys.Services.ProcedureService.update", "[" + s() + ",\"" + uid + "\",{\"ProcedureStatus2\":{\"uid\":\"2_3\"}}]")
                .asBoolean()).isTrue();
        assertThat(ows.result("Otys.Services.ProcedureService.getDetail", "[" + s() + ",\"" + uid + "\",{\"ProcedureStatus2\":1}]").toString())
                .isEqualTo("{\"ProcedureStatus2\":{\"uid\":\"2_3\"}}");
        var moved = ows.call("Otys.Services.ProcedureService.update", "[" + s() + ",\"" + uid + "\",{\"candidateUid\":\"" + candidate + "\"}]");
        assertThat(moved.path("error").path("message").asText()).contains("candidateUid").contains("cannot be updated");
        assertThat(ows.result("Otys.Services.ProcedureService.delete", "[" + s() + ",\"" + uid + "\"]").asBoolean()).isTrue();
        // the candidate and vacancy stay
        assertThat(ows.result("Otys.Services.CandidateService.getDetail", "[" + s() + ",\"" + candidate + "\",{\"uid\":1}]").path("uid").asText())
                .isEqualTo(candidate);
    }

    @Test
    void csmService_getValue() {
        var one = ows.rpc("""
                {"jsonrpc": "2.0", "method": "Otys.Services.CsmService.getValue", "params": ["%s", "SE2997", %d, 0, 0], "id": 1}"""
                .formatted(session, ows.tenantId()));
        assertThat(one.toString()).isEqualTo("{\"result\":{\"value\":30},\"id\":1}");
        var several = ows.result("Otys.Services.CsmService.getValue", "[" + s() + ",[\"DB103\",\"SE2995\",\"SE2999\"]," + ows.tenantId() + "]");
        assertThat(several.toString()).isEqualTo("{\"DB103\":{\"value\":\"" + ows.tenant() + "\"},\"SE2995\":{\"value\":false},"
                + "\"SE2999\":{\"value\":24}}");
        assertThat(ows.call("Otys.Services.CsmService.getValue", "[" + s() + ",[]]").path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(ows.call("Otys.Services.CsmService.getValue", "[" + s() + ",[42]]").path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(ows.call("Otys.Services.CsmService.setValue", "[" + s() + ",\"SE2995\",1]").path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(ows.call("Otys.Services.CsmService.getValue", "[\"not-a-session\",\"SE2995\"]").path("error").path("message").asText())
                .isEqualTo("Access denied; please login first");
    }

    @Test
    void optionLists_languagesAndWebsitesOfTheTenant() {
        ows.result("Otys.Services.WebsiteService.add", "[" + s() + ",{\"siteId\":3,\"name\":\"Careers\"}]");
        var candidate = ows.result("Otys.Services.CandidateService.getOptionLists", "[" + s() + ",[\"statusId\",\"Person.languageCode\"]]");
        assertThat(candidate.fieldNames()).toIterable().containsExactly("statusId", "Person.languageCode", "cmsLanguages");
        assertThat(candidate.path("cmsLanguages").toString()).isEqualTo("{\"en\":\"English\",\"nl\":\"Nederlands\"}");
        assertThat(candidate.path("Person.languageCode")).isEqualTo(candidate.path("cmsLanguages"));
        var vacancy = ows.result("Otys.Services.VacancyService.getOptionLists", "[" + s() + ",[\"publishedWebsites\"]]");
        assertThat(vacancy.toString()).isEqualTo("{\"publishedWebsites\":{\"3\":\"Careers\"}}");
    }

    @Test
    void numberedUids_documentTypesAreNumberedAndMayBeChosen() {
        var first = ows.result("Otys.Services.DocumentTypeService.add", "[" + s() + ",{\"name\":\"CV\",\"forDocuments\":true}]").asText();
        assertThat(first).isEqualTo("1");
        assertThat(ows.result("Otys.Services.DocumentTypeService.add", "[" + s() + ",{\"uid\":\"201\",\"name\":\"Other\"}]").asText()).isEqualTo("201");
        assertThat(ows.result("Otys.Services.DocumentTypeService.add", "[" + s() + ",{\"name\":\"Contract\"}]").asText()).isEqualTo("202");
        var taken = ows.call("Otys.Services.DocumentTypeService.add", "[" + s() + ",{\"uid\":1,\"name\":\"Again\"}]");
        assertThat(taken.path("error").path("code").asInt()).isEqualTo(409);
        for (var bad : List.of("\"abc\"", "0", "-3", "\"1.5\"")) {
            var refused = ows.call("Otys.Services.DocumentTypeService.add", "[" + s() + ",{\"uid\":" + bad + ",\"name\":\"Bad\"}]");
            assertThat(refused.path("error").path("code").asInt()).as(bad).isEqualTo(-32602);
        }
        var renumber = ows.call("Otys.Services.DocumentTypeService.update", "[" + s() + ",\"1\",{\"uid\":\"5\"}]");
        assertThat(renumber.path("error").path("message").asText()).contains("cannot be updated");
        // other types keep their random uids, which clients cannot choose
        var chosen = ows.call("Otys.Services.CandidateService.add", "[" + s() + ",{\"uid\":\"1\",\"Person\":{\"lastName\":\"X\"}}]");
        assertThat(chosen.path("error").path("message").asText()).contains("uid").contains("cannot be set");
    }

    @Test
    void paramsAsAnObjectKeyedZero_onEveryMethodInsideWrapRequestAndMultiService() {
        vacancy(ows, session, "Welder");
        // {"0": session, …named…}: the numbered entries in order, then the named ones as one object
        var direct = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.VacancyService.getListEx\",\"params\":{\"0\":" + s()
                + ",\"what\":{\"title\":1},\"getTotalCount\":1},\"id\":1}");
        assertThat(direct.path("result").path("totalCount").asInt()).isEqualTo(1);
        assertThat(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":{\"0\":" + s() + "},\"id\":1}").path("result").path("clientId")
                .asLong()).isEqualTo(ows.tenantId());
        var numbered = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.VacancyService.getOptionLists\",\"params\":{\"1\":[\"statusId\"],\"0\":"
                + s() + "},\"id\":1}");
        assertThat(numbered.path("result").path("statusId").size()).isGreaterThan(1);

        // inside wrapRequest it used to read as no session at all: a false "Access denied" that made the client log in again
        var wrapped = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"nl\",{\"jsonrpc\":\"2.0\","
                + "\"method\":\"Otys.Services.VacancyService.getList\",\"params\":{\"0\":" + s() + ",\"what\":{\"title\":1}},\"id\":1}],\"id\":1}");
        assertThat(wrapped.has("error")).as(wrapped.toString()).isFalse();
        assertThat(wrapped.path("result")).hasSize(1);
        assertThat(wrapped.path("result").get(0).path("title").isNull()).as("no Dutch title").isTrue();

        var batch = ows.result("Otys.Services.MultiService.execute", "[[{\"method\":\"Otys.Services.VacancyService.getList\",\"args\":{\"0\":" + s()
                + ",\"what\":{\"title\":1}}}]]");
        assertThat(batch.get(0).path("data").get(0).path("title").asText()).isEqualTo("Welder");

        // anything else keyed is not an array of parameters
        for (var params : List.of("{\"a\":1}", "{\"1\":" + s() + "}", "{\"0\":" + s() + ",\"2\":[\"statusId\"]}")) {
            var refused = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.VacancyService.getOptionLists\",\"params\":" + params + ",\"id\":1}");
            assertThat(refused.path("error").path("code").asInt()).as(params).isEqualTo(-32602);
        }
        var wrappedBadly = ows.call("Otys.Services.LanguageService.wrapRequest", "[\"en\",{\"method\":\"check\",\"params\":{\"x\":" + s() + "}}]");
        assertThat(wrappedBadly.path("error").path("code").asInt()).isEqualTo(-32602);
        var argsBadly = ows.result("Otys.Services.MultiService.execute", "[[{\"method\":\"check\",\"args\":{\"x\":" + s() + "}}]]");
        assertThat(argsBadly.get(0).path("status").asText()).isEqualTo("error");
        assertThat(argsBadly.get(0).path("error").path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void multiService_keyedByNameAnswersByName_andAFailedCallFailsAlone() {
        var body = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.MultiService.execute\",\"params\":[{"
                + "\"me\":{\"method\":\"check\",\"args\":[" + s() + "]},"
                + "\"broken\":{\"method\":\"Otys.Services.CandidateService.getDetail\",\"args\":[" + s() + ",\"missing\"]},"
                + "\"statuses\":{\"method\":\"Otys.Services.CandidateService.getOptionLists\",\"args\":[" + s() + ",[\"statusId\"]]}}],\"id\":1}");
        var result = body.path("result");
        assertThat(result.fieldNames()).toIterable().containsExactly("me", "broken", "statuses");
        assertThat(result.path("me").path("status").asText()).isEqualTo("ok");
        assertThat(result.path("me").path("data").path("clientId").asLong()).isEqualTo(ows.tenantId());
        assertThat(result.path("broken").path("status").asText()).isEqualTo("error");
        assertThat(result.path("broken").path("error").path("code").asInt()).isEqualTo(404);
        assertThat(result.path("broken").has("data")).isFalse();
        assertThat(result.path("statuses").path("data").path("statusId").size()).isGreaterThan(1);
        assertThat(body.has("error")).isFalse();

        // a success never carries an "error" key, not even null: the client takes its presence as a failure
        var ok = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.MultiService.execute\",\"params\":[{\"me\":{\"method\":\"check\",\"args\":["
                + s() + "]}}],\"id\":1}");
        assertThat(ok.toString()).doesNotContain("\"error\"");
        assertThat(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[" + s() + "],\"id\":1}").toString()).doesNotContain("\"error\"");

        // the same batch as a list answers a list in order
        var list = ows.result("Otys.Services.MultiService.execute", "[[{\"method\":\"check\",\"args\":[" + s() + "]},"
                + "{\"method\":\"Otys.Services.NoSuchService.getList\",\"args\":[" + s() + "]}]]");
        assertThat(list.isArray()).isTrue();
        assertThat(list.get(0).path("data").path("clientId").asLong()).isEqualTo(ows.tenantId());
        assertThat(list.get(1).path("error").path("code").asInt()).isEqualTo(-32601);
    }

    @Test
    void crossTenant_proceduresSettingsWebsitesAndNumbersStayInTheirTenant() {
        var a = ows;
        var sa = session;
        var b = Ows.newTenant(TestServer.shared(), List.of("en"));
        var sb = b.login();
        var candidateOfA = candidate(a, sa, "OfA");
        var vacancyOfA = vacancy(a, sa, "Job of A");
        var candidateOfB = candidate(b, sb, "OfB");
        var vacancyOfB = vacancy(b, sb, "Job of B");

        // B cannot link A's candidate or vacancy in a procedure of its own
        for (var pair : List.of(List.of(candidateOfA, vacancyOfB), List.of(candidateOfB, vacancyOfA))) {
            var refused = b.call("Otys.Services.ProcedureService.add", "[\"" + sb + "\",{\"candidateUid\":\"" + pair.get(0) + "\",\"vacancyUid\":\""
                    + pair.get(1) + "\"}]");
            assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32602);
        }
        var ofA = a.result("Otys.Services.ProcedureService.add", "[\"" + sa + "\",{\"candidateUid\":\"" + candidateOfA + "\",\"vacancyUid\":\""
                + vacancyOfA + "\"}]").asText();
        assertThat(b.result("Otys.Services.ProcedureService.getListEx", "[\"" + sb + "\",{\"getTotalCount\":1}]").path("totalCount").asInt()).isZero();
        assertThat(b.call("Otys.Services.ProcedureService.getDetail", "[\"" + sb + "\",\"" + ofA + "\"]").path("error").path("code").asInt())
                .isEqualTo(404);
        assertThat(b.call("Otys.Services.ProcedureService.delete", "[\"" + sb + "\",\"" + ofA + "\"]").has("error")).isTrue();

        // numbered uids count per tenant; each sees its own websites and profiles only
        a.result("Otys.Services.WebsiteService.add", "[\"" + sa + "\",{\"siteId\":1,\"name\":\"A careers\"}]");
        assertThat(b.result("Otys.Services.WebsiteService.add", "[\"" + sb + "\",{\"siteId\":1,\"name\":\"B careers\"}]").asText()).isEqualTo("1");
        assertThat(b.result("Otys.Services.VacancyService.getOptionLists", "[\"" + sb + "\",[\"publishedWebsites\"]]").toString())
                .isEqualTo("{\"publishedWebsites\":{\"1\":\"B careers\"}}");
        var names = new ArrayList<String>();
        b.result("Otys.Services.WebsiteService.getList", "[\"" + sb + "\",{\"what\":{\"name\":1}}]").forEach(w -> names.add(w.path("name").asText()));
        assertThat(names).containsExactly("B careers");

        // client settings: the client id a caller names is not read; a session sees its own tenant
        a.server().server().dossier().tenantSettings().set(a.tenantId(), "gdpr.consent", true);
        JsonNode read = b.result("Otys.Services.CsmService.getValue", "[\"" + sb + "\",[\"DB103\",\"SE2995\"]," + a.tenantId() + "]");
        assertThat(read.path("DB103").path("value").asText()).isEqualTo(b.tenant());
        assertThat(read.path("SE2995").path("value").asBoolean()).isFalse();
        assertThat(a.result("Otys.Services.CsmService.getValue", "[\"" + sa + "\",\"SE2995\"]").path("value").asBoolean()).isTrue();

        // a document type of A's number is not B's to attach with
        a.result("Otys.Services.DocumentTypeService.add", "[\"" + sa + "\",{\"uid\":\"201\",\"name\":\"Other\",\"forDocuments\":true,\"forCandidates\":true}]");
        var attach = b.call("Otys.Services.AttachedDocumentsService.add", "[\"" + sb + "\",{\"candidateUid\":\"" + candidateOfB
                + "\",\"fileUid\":\"whatever\",\"typeId\":\"201\",\"description\":\"\"}]");
        assertThat(attach.path("error").path("message").asText()).contains("unknown document type 201");
    }
}

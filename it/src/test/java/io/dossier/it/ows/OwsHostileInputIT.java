package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.it.support.Ows;
import io.dossier.it.support.RawHttp;
import io.dossier.it.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls a fuzz run found answered with the internal error -32603, replayed: nulls where a client
 * should have sent a value are bad parameters (-32602), and concurrent calls on one session work.
 */
class OwsHostileInputIT {

    static final int INTERNAL_ERROR = -32603;
    static final int INVALID_PARAMS = -32602;

    Ows ows;
    String session;
    String uid;

    @BeforeEach
    void tenant() {
        ows = Ows.newTenant(TestServer.shared(), List.of("en", "nl"));
        session = ows.login();
        uid = ows.result("Otys.Services.CandidateService.add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"Null\"}}]").asText();
    }

    String s() {
        return "\"" + session + "\"";
    }

    void assertInvalidParams(String method, String params) {
        var response = ows.call(method, params);
        assertThat(response.path("error").path("code").asInt()).as(method + " " + params + " → " + response).isEqualTo(INVALID_PARAMS);
        assertThat(response.path("error").path("message").asText()).isNotBlank();
    }

    /** Whatever the answer, it is not the internal error. */
    void assertNotInternal(String method, String params) {
        var response = ows.call(method, params);
        assertThat(response.path("error").path("code").asInt(0)).as(method + " " + params + " → " + response).isNotEqualTo(INTERNAL_ERROR);
    }

    @Test
    void nullsInConditionsAreBadParameters() {
        var list = "Otys.Services.CandidateService.getListEx";
        for (var condition : List.of(
                "{\"type\":\"AND\",\"items\":{\"1\":null}}",
                "{\"type\":\"OR\",\"items\":{\"1\":{\"type\":\"COND\",\"field\":\"uid\",\"op\":\"EQ\",\"param\":\"x\"},\"2\":null}}",
                "{\"type\":\"AND\",\"items\":[null]}",
                "{\"type\":\"AND\",\"items\":null}",
                "{\"type\":null}",
                "{\"type\":\"COND\",\"field\":null,\"op\":\"EQ\",\"param\":\"x\"}",
                "{\"type\":\"COND\",\"field\":\"uid\",\"op\":null,\"param\":\"x\"}",
                "{\"type\":\"COND\",\"field\":\"Person.lastName\",\"op\":\"EQ\",\"param\":{\"a\":null}}",
                "{\"type\":\"COND\",\"field\":\"Person.lastName\",\"op\":\"EQ\",\"param\":[null]}")) {
            assertInvalidParams(list, "[" + s() + ",{\"condition\":" + condition + "}]");
        }
        // a null compared with a field is a fair question (no value), answered without an error
        for (var op : List.of("EQ", "NE", "GT", "LT", "LIKE", "NLIKE", "T", "F")) {
            assertNotInternal(list, "[" + s() + ",{\"condition\":{\"type\":\"COND\",\"field\":\"Person.lastName\",\"op\":\"" + op + "\",\"param\":null}}]");
        }
    }

    @Test
    void nullsInOptionListsAreBadParameters() {
        var method = "Otys.Services.CandidateService.getOptionLists";
        assertInvalidParams(method, "[" + s() + ",{\"a\":null}]");
        assertInvalidParams(method, "[" + s() + ",[null]]");
        assertInvalidParams(method, "[" + s() + ",[\"statusId\",null]]");
        assertInvalidParams(method, "[" + s() + ",null]");
    }

    @Test
    void nullsInMultiServiceCallsAreBadParameters() {
        var method = "Otys.Services.MultiService.execute";
        assertInvalidParams(method, "[{\"a\":null}]");
        assertInvalidParams(method, "[[null]]");
        assertInvalidParams(method, "[null]");
        assertInvalidParams(method, "[[{\"method\":null,\"args\":[]}]]");
        assertInvalidParams(method, "[{\"gdpr\":null}]");
        // a null inside one call's arguments fails that call only, in order
        var results = ows.result(method, "[[{\"method\":\"Otys.Services.CandidateService.getDetail\",\"args\":[" + s() + ",null]},"
                + "{\"method\":\"check\",\"args\":[" + s() + "]}]]");
        assertThat(results.get(0).path("error").path("code").asInt()).isEqualTo(INVALID_PARAMS);
        assertThat(results.get(1).path("data").path("clientId").asLong()).isEqualTo(ows.tenantId());
    }

    @Test
    void nullsInOtherParameterPositionsAreNeverInternalErrors() {
        var c = "Otys.Services.CandidateService.";
        var calls = new ArrayList<String[]>();
        for (var params : List.of("[null]", "[" + s() + ",null]", "[" + s() + ",null,null]", "[" + s() + ",\"" + uid + "\",null]",
                "[" + s() + ",{\"a\":null}]", "[" + s() + ",\"" + uid + "\",{\"a\":null}]", "[" + s() + ",[null]]", "null")) {
            for (var name : List.of("getListEx", "getList", "getDetail", "add", "update", "updateEx", "delete", "getOptionLists", "setLanguage")) {
                calls.add(new String[] {c + name, params});
            }
            for (var method : List.of("loginByUid", "check", "Otys.Services.LanguageService.wrapRequest",
                    "Otys.Services.MultiService.execute", "Otys.Services.AttachedDocumentsService.add",
                    "Otys.Services.AttachedDocumentsService.getDetail", "Otys.Services.AttachedDocumentsService.update",
                    "Otys.Services.DossierService.getList", "Otys.Services.DossierService.getCount")) {
                calls.add(new String[] {method, params});
            }
        }
        for (var fields : List.of("{\"what\":{\"uid\":null}}", "{\"what\":null}", "{\"sort\":{\"uid\":null}}", "{\"sort\":null}",
                "{\"limit\":null,\"offset\":null,\"getTotalCount\":null}", "{\"condition\":null}")) {
            calls.add(new String[] {c + "getListEx", "[" + s() + "," + fields + "]"});
        }
        for (var fields : List.of("{\"Person\":null}", "{\"Person\":{\"lastName\":null}}", "{\"PhoneNumbers\":{\"1\":null}}",
                "{\"PhoneNumbers\":{\"1\":{\"phoneNumber\":null}}}", "{\"PhoneNumbers\":{\"DELETE\":[null]}}", "{\"statusId\":null}",
                "{\"PhoneNumbers\":null}")) {
            calls.add(new String[] {c + "update", "[" + s() + ",\"" + uid + "\"," + fields + "]"});
            calls.add(new String[] {c + "add", "[" + s() + "," + fields + "]"});
        }
        calls.add(new String[] {"logout", "[null]"});
        calls.add(new String[] {"Otys.Services.LanguageService.wrapRequest", "[\"en\",{\"method\":null}]"});
        calls.add(new String[] {"Otys.Services.LanguageService.wrapRequest", "[\"en\",{\"method\":\"check\",\"params\":[null]}]"});
        calls.add(new String[] {"Otys.Services.LanguageService.wrapRequest", "[null,{\"method\":\"check\",\"params\":[" + s() + "]}]"});
        calls.add(new String[] {"Otys.Services.DossierService.getList", "[" + s() + ",{\"objectEntityId\":null,\"objectId\":null}]"});
        calls.add(new String[] {"Otys.Services.AttachedDocumentsService.add", "[" + s() + ",{\"candidateUid\":null,\"fileOuid\":null}]"});
        for (var call : calls) {
            assertNotInternal(call[0], call[1]);
        }
        assertThat(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":null,\"params\":null,\"id\":null}").path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(ows.rpc("[null]").get(0).path("error").path("code").asInt()).isEqualTo(-32600);
        // the session still works after all that
        assertThat(ows.result("check", "[" + s() + "]").path("clientId").asLong()).isEqualTo(ows.tenantId());
    }

    @Test
    void requestsOverTenMegabytesAreRefusedWhileReadingEvenWithoutALength() {
        var json = RawHttp.postChunked(ows.server(), "POST /ows/jservice.php HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nConnection: close", (byte) ' ', 64L * 1024 * 1024);
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().path("error").path("message").asText()).contains("too large");
        var xml = RawHttp.postChunked(ows.server(), "POST /ows/service.php HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: text/xml\r\nConnection: close", (byte) ' ', 64L * 1024 * 1024);
        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.body()).contains("<name>faultCode</name>").contains("too large");
    }

    @Test
    void setLanguageFromEightThreadsOnOneSessionAlwaysSucceeds() throws Exception {
        var threads = 8;
        var rounds = 40;   // 320 calls, as in the fuzz run
        var pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                // a fresh session each round, so that every round races on the first write of the setting
                var fresh = ows.login();
                var start = new CyclicBarrier(threads);
                var answers = new ArrayList<Future<JsonNode>>();
                for (int t = 0; t < threads; t++) {
                    var language = t % 2 == 0 ? "en" : "nl";
                    answers.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return ows.call("Otys.Services.VacancyService.setLanguage", "[\"" + fresh + "\",\"" + language + "\"]");
                    }));
                }
                for (var answer : answers) {
                    var response = answer.get(30, TimeUnit.SECONDS);
                    assertThat(response.has("error")).as(response.toString()).isFalse();
                    assertThat(response.path("result").asBoolean()).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

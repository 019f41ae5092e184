package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The field flags of manual §2.4 are enforced with clear errors; keyed collections; nested conditions. */
class OwsRulesIT {

    Ows ows;
    String session;
    String status;

    @BeforeEach
    void tenant() {
        ows = Ows.newTenant(TestServer.shared(), List.of("en"));
        session = ows.login();
        status = ows.result("Otys.Services.CandidateService.getOptionLists", "[\"" + session + "\",[\"statusId\"]]")
                .path("statusId").fieldNames().next();
    }

    String error(String method, String params) {
        var response = ows.call(method, params);
        assertThat(response.has("error")).as(response.toString()).isTrue();
        assertThat(response.path("error").path("code").asInt()).isEqualTo(-32602);
        return response.path("error").path("message").asText();
    }

    String add(String fields) {
        return ows.result("Otys.Services.CandidateService.add", "[\"" + session + "\"," + fields + "]").asText();
    }

    @Test
    void flagsAreEnforced() {
        var c = "Otys.Services.CandidateService.";
        assertThat(error(c + "add", "[\"" + session + "\",{\"Person\":{\"firstName\":\"No last name\"}}]"))
                .contains("Person.lastName").contains("obligatory");
        assertThat(error(c + "add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"X\"},\"shoeSize\":44}]")).contains("unknown field shoeSize");
        assertThat(error(c + "add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"X\"},\"uid\":\"mine\"}]")).contains("uid").contains("adding");
        assertThat(error(c + "add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"X\"},\"statusId\":\"99999\"}]")).contains("not an option");
        assertThat(error(c + "add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"X\"},\"statusId\":\"abc\"}]")).contains("statusId").contains("integer");
        assertThat(error(c + "add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"X\"},\"userId\":123456789}]")).contains("not an option");
        assertThat(error(c + "add", "[\"" + session + "\",{\"Person\":\"flat\"}]")).contains("Person").contains("object");
        assertThat(error(c + "add", "[\"" + session + "\",{\"Person\":{\"lastName\":\"\"}}]")).contains("Person.lastName").contains("empty");

        var uid = add("{\"Person\":{\"lastName\":\"Flags\"}}");
        assertThat(error(c + "update", "[\"" + session + "\",\"" + uid + "\",{\"uid\":\"other\"}]")).contains("uid").contains("cannot be updated");
        assertThat(error(c + "update", "[\"" + session + "\",\"" + uid + "\",{\"entryDateTime\":\"2020-01-01 00:00:00\"}]")).contains("cannot be updated");
        assertThat(error(c + "update", "[\"" + session + "\",\"" + uid + "\",{\"Person\":{\"lastName\":\"\"}}]")).contains("empty");

        assertThat(error(c + "getListEx", "[\"" + session + "\",{\"condition\":{\"type\":\"COND\",\"field\":\"remarks\",\"op\":\"EQ\",\"param\":\"x\"}}]"))
                .contains("remarks").contains("not filterable");
        assertThat(error(c + "getListEx", "[\"" + session + "\",{\"sort\":{\"remarks\":\"ASC\"}}]")).contains("remarks").contains("not sortable");
        assertThat(error(c + "getListEx", "[\"" + session + "\",{\"condition\":{\"type\":\"COND\",\"field\":\"nope\",\"op\":\"EQ\",\"param\":1}}]"))
                .contains("unknown field nope");
        assertThat(error(c + "getListEx", "[\"" + session + "\",{\"condition\":{\"type\":\"COND\",\"field\":\"statusId\",\"op\":\"LIKE\",\"param\":\"1%\"}}]"))
                .contains("LIKE");
        assertThat(error(c + "getListEx", "[\"" + session + "\",{\"condition\":{\"type\":\"COND\",\"field\":\"statusId\",\"op\":\"EQ\",\"param\":\"one\"}}]"))
                .contains("statusId");
        // real clients ask for long fixed field lists: unknown and non-listable fields are left out of lists
        var lenient = ows.result(c + "getListEx", "[\"" + session + "\",{\"what\":{\"uid\":1,\"remarks\":1,\"shoeSize\":1}}]");
        lenient.path("listOutput").forEach(item -> assertThat(item.fieldNames()).toIterable().containsExactly("uid"));

        var readOnly = ows.call("Otys.Services.UserService.add", "[\"" + session + "\",{\"username\":\"x\"}]");
        assertThat(readOnly.path("error").path("message").asText()).contains("read-only");
    }

    @Test
    void keyedCollectionsAddUpdateAndDeleteItems() {
        var uid = add("""
                {"Person":{"lastName":"Phones",
                 "PhoneNumbers":{"1":{"type":"mobile","phoneNumber":"0612345678"},"2":{"type":"work","phoneNumber":"0201234567"}}}}""");
        var c = "Otys.Services.CandidateService.";
        var what = "{\"Person\":{\"PhoneNumbers\":1}}";
        var phones = ows.result(c + "getDetail", "[\"" + session + "\",\"" + uid + "\"," + what + "]").path("Person").path("PhoneNumbers");
        assertThat(phones.size()).isEqualTo(2);
        assertThat(phones.path("2").path("phoneNumber").asText()).isEqualTo("0201234567");

        ows.result(c + "updateEx", "[\"" + session + "\",\"" + uid + "\",{\"Person\":{\"PhoneNumbers\":{\"2\":{\"phoneNumber\":\"0209999999\"},"
                + "\"3\":{\"type\":\"mobile\",\"phoneNumber\":\"0687654321\"},\"DELETE\":[]}}}]");
        phones = ows.result(c + "getDetail", "[\"" + session + "\",\"" + uid + "\"," + what + "]").path("Person").path("PhoneNumbers");
        assertThat(phones.size()).isEqualTo(3);
        assertThat(phones.path("2").path("phoneNumber").asText()).isEqualTo("0209999999");
        assertThat(phones.path("2").path("type").asText()).as("untouched fields of an updated item stay").isEqualTo("work");

        ows.result(c + "update", "[\"" + session + "\",\"" + uid + "\",{\"Person\":{\"PhoneNumbers\":{\"DELETE\":[\"1\",\"3\"]}}}]");
        phones = ows.result(c + "getDetail", "[\"" + session + "\",\"" + uid + "\",{\"Person\":{\"PhoneNumbers\":{\"phoneNumber\":1}}}]")
                .path("Person").path("PhoneNumbers");
        assertThat(phones.toString()).isEqualTo("{\"2\":{\"phoneNumber\":\"0209999999\"}}");

        var found = ows.result(c + "getListEx", "[\"" + session + "\",{\"what\":{\"uid\":1},\"condition\":"
                + "{\"type\":\"COND\",\"field\":\"Person.PhoneNumbers.phoneNumber\",\"op\":\"EQ\",\"param\":\"0209999999\"},\"getTotalCount\":1}]");
        assertThat(found.path("totalCount").asInt()).isEqualTo(1);
        var missingNumber = ows.call(c + "update", "[\"" + session + "\",\"" + uid + "\",{\"Person\":{\"PhoneNumbers\":{\"4\":{\"phoneNumber\":\"\"}}}}]");
        assertThat(missingNumber.path("error").path("message").asText()).contains("empty");
    }

    @Test
    void conditionsNestToAnyDepth() {
        add("{\"Person\":{\"firstName\":\"Ann\",\"lastName\":\"Alpha\"}}");
        add("{\"Person\":{\"firstName\":\"Ben\",\"lastName\":\"Beta\"}}");
        add("{\"Person\":{\"firstName\":\"Cas\",\"lastName\":\"Gamma\"}}");
        add("{\"Person\":{\"firstName\":\"Dan\",\"lastName\":\"Delta\"}}");
        var condition = """
                {"type":"OR","items":[
                  {"type":"AND","items":[
                    {"type":"COND","field":"Person.lastName","op":"LIKE","param":"A%"},
                    {"type":"OR","items":[{"type":"COND","field":"Person.firstName","op":"EQ","param":"Ann"},
                                          {"type":"COND","field":"Person.firstName","op":"EQ","param":"Nobody"}]}]},
                  {"type":"COND","field":"Person.lastName","op":"GE","param":"Delta"},
                  {"type":"AND","items":[{"type":"COND","field":"Person.lastName","op":"NLIKE","param":"%a"},
                                         {"type":"COND","field":"Person.firstName","op":"NE","param":"Ann"}]}]}""";
        var result = ows.result("Otys.Services.CandidateService.getListEx", "[\"" + session + "\",{\"what\":{\"Person\":{\"firstName\":1}},"
                + "\"condition\":" + condition + ",\"sort\":{\"Person.firstName\":\"ASC\"},\"getTotalCount\":\"true\"}]");
        var names = new java.util.ArrayList<String>();
        result.path("listOutput").forEach(item -> names.add(item.path("Person").path("firstName").asText()));
        assertThat(names).containsExactly("Ann", "Cas", "Dan");
        assertThat(result.path("totalCount").asInt()).isEqualTo(3);
    }

    @Test
    void limitsAboveTwoHundredGiveTwoHundred() {
        for (int batch = 0; batch < 3; batch++) {
            var calls = new StringBuilder("[[");
            for (int i = 0; i < 70; i++) {
                calls.append(i == 0 ? "" : ",").append("{\"method\":\"Otys.Services.CandidateService.add\",\"args\":[\"")
                        .append(session).append("\",{\"Person\":{\"lastName\":\"N").append(batch * 70 + i).append("\"}}]}");
            }
            var results = ows.result("Otys.Services.MultiService.execute", calls.append("]]").toString());
            results.forEach(r -> assertThat(r.path("data").isTextual()).as(r.toString()).isTrue());
        }
        var result = ows.result("Otys.Services.CandidateService.getListEx", "[\"" + session + "\",{\"what\":{\"uid\":1},\"limit\":1000,\"getTotalCount\":1}]");
        assertThat(result.path("listOutput").size()).isEqualTo(200);
        assertThat(result.path("totalCount").asInt()).isEqualTo(210);
        var tooMany = ows.call("Otys.Services.MultiService.execute", "[[" + "{\"method\":\"check\",\"args\":[]},".repeat(100) + "{\"method\":\"check\",\"args\":[]}]]");
        assertThat(tooMany.path("error").path("code").asInt()).isEqualTo(-32602);
    }
}

package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ACTONOMY search block of getListEx, with the request bodies the OTYS WordPress plugin sends
 * (PHP's json_encode of its VacanciesListModel and VacanciesApplyModel arrays, inside its
 * LanguageService.wrapRequest), asserting what the plugin reads back: listOutput, its uids and
 * titles, searchExtras.ACTONOMY.totalCount, and totalCount (which it divides by).
 */
class OwsActonomySearchIT {

    private static final String V = "Otys.Services.VacancyService.";
    private static final String C = "Otys.Services.CandidateService.";

    /** The plugin's vacancy list with a keyword search on website 1, its dates fixed (the list shows vacancies published on 2026-12-02). */
    static String vacancyListBody(String session, String keywords, int perPage, int offset) {
        return """
                {"jsonrpc":"2.0","method":"Otys.Services.LanguageService.wrapRequest","params":["en",{"jsonrpc":"2.0",\
                "method":"Otys.Services.VacancyService.getListEx","params":["%s",{"search":{"ACTONOMY":{"DATA":{"publiceer":\
                {"options":{"required":true,"persistent":false},"value":"1"},"public_publish_date":{"class":"CustomizedDateRangeField",\
                "value":{"from":null,"to":"2026-12-02T22:00:00.000Z","periodType":"custom","periodUnit":"month","period":1,\
                "operation":"GE","fromDp":null,"toDp":"2026-12-02T22:00:00.000Z"}},"public_end_date":{"class":"CustomizedDateRangeField",\
                "value":{"from":"2026-12-01T22:00:00.000Z","to":null,"periodType":"custom","periodUnit":"month","period":1,\
                "operation":"GE","fromDp":"2026-12-01T22:00:00.000Z","toDp":null}},"keywords":{"options":{"enableExpansion":false,\
                "required":true,"searchList":["title","chapo","description","external_reference","profile_culture","refs","salary",\
                "all_extra_fields"],"searchMode":"one"},"value":"%s"},"p_multi":{"options":{"required":true},"value":{"required":["1"]}}},\
                "OPTIONS":{"getTotalCount":1,"limit":%d,"offset":%d,"sort":{"SCORE":"DESC","public_publish_date":"DESC"},\
                "matchCriteriaNames":1,"facetsToUse":["p_multi","category","owner","pubstatus","procstatus","relation","vacancy_version",\
                "C_1","C_2","C_3","C_4","C_5","C_6","C_7","C_8","C_9","C_10","C_11","C_12","C_13","C_14","C_15","C_16","C_17","C_18"]},\
                "VERSION":2,"SUB_VERSION":0}},"limit":1000,"totalCount":1,"getTotalCount":true,"what":{"uid":1,"internalId":1,"title":1,\
                "location":1,"relation":1,"category":1,"status":1,"userEmail":1,"photoFileName":1,"textField_description":1,\
                "textField_companyProfile":1,"textField_requirements":1,"textField_salary":1,"textField_companyCulture":1,\
                "textField_summary":1,"textField_extra1":1,"textField_extra2":1,"textField_extra3":1,"textField_extra4":1,\
                "textField_extra5":1,"textField_extra6":1,"textField_extra7":1,"textField_extra8":1,"textField_extra9":1,\
                "textField_extra10":1,"applyCount":1,"PhotoGallery":1,"referenceNr":1,"externalReferenceNr":1,"entryDateTime":1,\
                "lastModified":1,"salaryCurrency":1,"salaryValue":1,"salaryUnit":1,"salaryMin":1,"salaryMax":1,\
                "publicationStartDate":1,"publicationEndDate":1,"publicationFirstDate":1,"publicationStatus":1,"publicationStatusId":1,\
                "showEmployer":1,"blockScanners":1,"removeApplyButton":1,"categoryId":1,"alternativeCategories":1,"statusId":1,"user":1,\
                "userInitials":1,"userId":1,"userPhoneMobile":1,"createdByUser":1,"locationAddress":1,"locationCity":1,\
                "locationCityId":1,"locationPostcode":1,"locationState":1,"locationCountry":1,"locationCountryCode":1,\
                "applyCountToday":1,"matchCriteriaNames":1,"matchCriteria_1":1,"matchCriteria_2":1,"matchCriteria_3":1,\
                "matchCriteria_4":1,"matchCriteria_5":1,"matchCriteria_6":1,"matchCriteria_7":1,"matchCriteria_8":1,\
                "matchCriteria_9":1,"matchCriteria_10":1,"matchCriteria_11":1,"matchCriteria_12":1,"matchCriteria_13":1,\
                "matchCriteria_14":1,"matchCriteria_15":1,"matchCriteria_16":1,"matchCriteria_17":1,"matchCriteria_18":1,\
                "locationLatitude":1,"locationLongitude":1,"applyUrls":1,"customApplyUrl":1,"customDetailUrl":1,"hoursType":1,\
                "hoursUnit":1,"hours":1,"housTotal":1,"tariffUnit":1,"tariff":1,"currencyId":1,"assignmentType":1,\
                "responsibleCustomerOfficeContactPersonName":1,"responsibleCustomerOfficeName":1,"responsibleWorkplaceName":1,\
                "responsibleWorkplaceContactPersonName":1,"responsibleContact":1,"workPlaceAddress":1,"workPlacePostalCode":1,\
                "workPlaceCity":1,"workPlacePhone":1,"workPlaceFax":1,"slug":1}}],"id":1}],"id":1}""".formatted(session, keywords, perPage, offset);
    }

    /** The plugin's candidate lookup by e-mail address before an application (json_encode escapes the quotes). */
    static String emailLookupBody(String session, String email) {
        return """
                {"jsonrpc":"2.0","method":"Otys.Services.LanguageService.wrapRequest","params":["en",{"jsonrpc":"2.0",\
                "method":"Otys.Services.CandidateService.getListEx","params":["%s",{"search":{"ACTONOMY":{"DATA":{"hasEmail":\
                {"options":{"required":true,"persistent":true},"value":"1"},"keywords":{"options":{"enableExpansion":false,\
                "required":true,"searchList":["emailAddress"],"searchMode":"one"},"value":"\\"%s\\""}},"OPTIONS":{"getTotalCount":1,\
                "limit":1,"offset":0,"sort":{"SCORE":"DESC","entryDateFull":"DESC"}},"VERSION":2,"SUB_VERSION":0}},"limit":1,\
                "excludeLimitCheck":1,"getTotalCount":1,"what":{"uid":1}}],"id":1}],"id":1}""".formatted(session, email);
    }

    private static String vacancy(Ows ows, String session, String title, String summary, String description, boolean published,
                                  String from, String to, int... websites) {
        var sites = new StringBuilder();
        for (int i = 0; i < websites.length; i++) {
            sites.append(i == 0 ? "" : ",").append("\"").append(websites[i]).append("\":{\"siteId\":").append(websites[i]).append("}");
        }
        return ows.result(V + "add", "[\"" + session + "\",{\"title\":\"" + title + "\",\"summary\":\"" + summary + "\",\"description\":\""
                + description + "\",\"published\":" + published + ",\"publishedFrom\":" + (from == null ? "null" : "\"" + from + "\"")
                + ",\"publishedTo\":" + (to == null ? "null" : "\"" + to + "\"") + ",\"publishedWebsites\":{" + sites + "}}]").asText();
    }

    private static List<String> uids(JsonNode result) {
        var out = new ArrayList<String>();
        result.path("listOutput").forEach(item -> out.add(item.path("uid").asText()));
        return out;
    }

    private static JsonNode ok(JsonNode response) {
        assertThat(response.has("error")).as("no error in %s", response).isFalse();
        return response.path("result");
    }

    @Test
    void theVacancyListSearchesPublishedVacanciesOfTheWebsiteByKeywordBestFirst() {
        var ows = Ows.newTenant(TestServer.shared(), List.of("en", "nl"));
        var s = ows.login();
        var best = vacancy(ows, s, "Senior Java Developer", "Developer wanted for our Java team", "Build services.", true,
                "2026-11-01", "2027-01-31", 1);
        var weaker = vacancy(ows, s, "Warehouse lead", "Lead a team of twelve", "You coach a developer of our tools.", true,
                null, null, 2, 1);
        vacancy(ows, s, "Java Developer", "Developer", "On another website only", true, "2026-11-01", "2027-01-31", 2);
        vacancy(ows, s, "Developer (draft)", "Developer", "Not published", false, "2026-11-01", "2027-01-31", 1);
        vacancy(ows, s, "Developer (ended)", "Developer", "Publication over", true, "2026-01-01", "2026-06-30", 1);
        vacancy(ows, s, "Developer (future)", "Developer", "Publication to come", true, "2027-03-01", null, 1);
        vacancy(ows, s, "Accountant", "Numbers", "No keyword here", true, "2026-11-01", "2027-01-31", 1);

        var page = ok(ows.rpc(vacancyListBody(s, "developer", 10, 0)));
        assertThat(uids(page)).containsExactly(best, weaker);
        assertThat(page.path("searchExtras").path("ACTONOMY").path("totalCount").asInt()).isEqualTo(2);
        assertThat(page.path("totalCount").asInt()).isEqualTo(2);
        assertThat(page.path("listOutput").get(0).path("title").asText()).isEqualTo("Senior Java Developer");

        // the plugin's second page of one: the engine's total stays 2, the list's own count is the page, never 0
        var second = ok(ows.rpc(vacancyListBody(s, "developer", 1, 1)));
        assertThat(uids(second)).containsExactly(weaker);
        assertThat(second.path("searchExtras").path("ACTONOMY").path("totalCount").asInt()).isEqualTo(2);
        assertThat(second.path("totalCount").asInt()).isEqualTo(1);

        // a quoted phrase must appear as such; two words in "one" mode find either
        assertThat(uids(ok(ows.rpc(vacancyListBody(s, "\\\"java developer\\\"", 10, 0))))).containsExactly(best);
        assertThat(uids(ok(ows.rpc(vacancyListBody(s, "warehouse java", 10, 0))))).containsExactlyInAnyOrder(best, weaker);
        assertThat(uids(ok(ows.rpc(vacancyListBody(s, "astronaut", 10, 0))))).isEmpty();
    }

    @Test
    void theEmailLookupFindsTheCandidateWithThatAddressNotTheFirstOne() {
        var ows = Ows.newTenant(TestServer.shared(), List.of("en"));
        var s = ows.login();
        // listed first without the search block: the candidate a client ignoring it would get
        ows.result(C + "add", "[\"" + s + "\",{\"Person\":{\"firstName\":\"First\",\"lastName\":\"Listed\",\"emailPrimary\":\"first@example.nl\"}}]");
        ows.result(C + "add", "[\"" + s + "\",{\"Person\":{\"firstName\":\"Anjan\",\"lastName\":\"Smit\",\"emailPrimary\":\"anjan@example.nl\"}}]");
        var jan = ows.result(C + "add", "[\"" + s + "\",{\"Person\":{\"firstName\":\"Jan\",\"lastName\":\"Jansen\",\"emailPrimary\":\"jan.jansen@example.nl\"}}]").asText();
        var other = ows.result(C + "add", "[\"" + s + "\",{\"Person\":{\"firstName\":\"Eva\",\"lastName\":\"de Wit\",\"emailPrimary\":\"eva@example.nl\","
                + "\"Emails\":{\"1\":{\"type\":\"work\",\"email\":\"e.dewit@work.example\"}}}}]").asText();
        ows.result(C + "add", "[\"" + s + "\",{\"Person\":{\"firstName\":\"No\",\"lastName\":\"Mail\"}}]");

        var found = ok(ows.rpc(emailLookupBody(s, "jan.jansen@example.nl")));
        assertThat(uids(found)).containsExactly(jan);
        assertThat(found.path("totalCount").asInt()).isEqualTo(1);
        assertThat(found.path("searchExtras").path("ACTONOMY").path("totalCount").asInt()).isEqualTo(1);
        // case does not matter, and a further address counts
        assertThat(uids(ok(ows.rpc(emailLookupBody(s, "Jan.Jansen@Example.NL"))))).containsExactly(jan);
        assertThat(uids(ok(ows.rpc(emailLookupBody(s, "e.dewit@work.example"))))).containsExactly(other);
        // an unknown address: nothing, so the plugin adds a new candidate
        var none = ok(ows.rpc(emailLookupBody(s, "nobody@example.nl")));
        assertThat(none.path("listOutput")).isEmpty();
        assertThat(none.path("totalCount").asInt()).isZero();
    }

    @Test
    void anotherTenantsCandidatesAndVacanciesAreNeverFound() {
        var a = Ows.newTenant(TestServer.shared(), List.of("en"));
        var b = Ows.newTenant(TestServer.shared(), List.of("en"));
        var sa = a.login();
        var sb = b.login();
        var mine = a.result(C + "add", "[\"" + sa + "\",{\"Person\":{\"lastName\":\"A\",\"emailPrimary\":\"same@example.nl\"}}]").asText();
        b.result(C + "add", "[\"" + sb + "\",{\"Person\":{\"lastName\":\"B\",\"emailPrimary\":\"same@example.nl\"}}]");
        var vacancy = vacancy(a, sa, "Unique astronomer", "Astronomer", "Stars", true, null, null, 1);

        assertThat(uids(ok(a.rpc(emailLookupBody(sa, "same@example.nl"))))).containsExactly(mine);
        var theirs = ok(b.rpc(emailLookupBody(sb, "same@example.nl")));
        assertThat(uids(theirs)).hasSize(1).doesNotContain(mine);
        var search = ok(b.rpc(vacancyListBody(sb, "astronomer", 10, 0)));
        assertThat(uids(search)).isEmpty();
        assertThat(search.path("searchExtras").path("ACTONOMY").path("totalCount").asInt()).isZero();
        assertThat(uids(ok(a.rpc(vacancyListBody(sa, "astronomer", 10, 0))))).containsExactly(vacancy);
    }

    @Test
    void listParametersTheClientSends() {
        var ows = Ows.newTenant(TestServer.shared(), List.of("en"));
        var s = ows.login();
        var one = ows.result(C + "add", "[\"" + s + "\",{\"Person\":{\"lastName\":\"One\"},\"statusId\":1}]").asText();
        ows.result(C + "add", "[\"" + s + "\",{\"Person\":{\"lastName\":\"Two\"},\"statusId\":2}]");
        var three = ows.result(C + "add", "[\"" + s + "\",{\"Person\":{\"lastName\":\"Three\"},\"statusId\":3}]").asText();

        // totalCount asks for the count as getTotalCount does; condition null and excludeLimitCheck are accepted
        var all = ows.result(C + "getListEx", "[\"" + s + "\",{\"condition\":null,\"excludeLimitCheck\":true,\"totalCount\":1,\"what\":{\"uid\":1}}]");
        assertThat(all.path("totalCount").asInt()).isEqualTo(3);
        assertThat(all.path("searchExtras").isArray()).isTrue();
        // EQ with a list of values: any of them
        var anyOf = ows.result(C + "getListEx", "[\"" + s + "\",{\"condition\":{\"type\":\"COND\",\"field\":\"statusId\",\"op\":\"EQ\",\"param\":[1,\"3\"]},"
                + "\"getTotalCount\":1,\"what\":{\"uid\":1},\"sort\":{\"statusId\":\"ASC\"}}]");
        assertThat(uids(anyOf)).containsExactly(one, three);
        assertThat(anyOf.path("totalCount").asInt()).isEqualTo(2);
    }

    @Test
    void badSearchInputIsAnInvalidParamsErrorNotAFailure() {
        var ows = Ows.newTenant(TestServer.shared(), List.of("en"));
        var s = ows.login();
        var cases = List.of(
                "{\"search\":{\"ACTONOMY\":{\"DATA\":{\"teleport\":{\"value\":\"1\"}}}}}",
                "{\"search\":{\"ACTONOMY\":{\"DATA\":{\"keywords\":{\"value\":\"x\",\"options\":{\"searchMode\":\"some\"}}}}}}",
                "{\"search\":{\"ACTONOMY\":{\"DATA\":{\"keywords\":{\"value\":42}}}}}",
                "{\"search\":{\"ACTONOMY\":{\"DATA\":{\"p_multi\":{\"value\":{\"required\":[\"1\"]}}}}}}",
                "{\"search\":{\"ELASTIC\":{}}}",
                "{\"search\":\"developer\"}",
                "{\"search\":{\"ACTONOMY\":{\"OPTIONS\":{\"sort\":{\"SCORE\":\"SIDEWAYS\"}}}}}",
                "{\"condition\":{\"type\":\"COND\",\"field\":\"statusId\",\"op\":\"GT\",\"param\":[1,2]}}",
                "{\"condition\":{\"type\":\"COND\",\"field\":\"statusId\",\"op\":\"EQ\",\"param\":[]}}");
        for (var request : cases) {
            var response = ows.call(C + "getListEx", "[\"" + s + "\"," + request + "]");
            assertThat(response.path("error").path("code").asInt()).as(request).isEqualTo(-32602);
        }
        // the candidate service has no websites to publish on (p_multi is the vacancies')
    }
}

package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import io.dossier.server.demo.DemoQuestionSets;
import io.dossier.server.demo.DemoStandardDocuments;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OWS methods OTYS's WordPress plugin calls beyond the data services, with the request bodies
 * it sends: wrapped in {@code LanguageService.wrapRequest} (its default), the session first in the
 * params. Each test asserts what the plugin reads from the answer, and that another tenant reaches
 * nothing of it.
 */
class OwsPluginMethodsIT {

    Ows ows;
    String session;

    @BeforeEach
    void tenant() {
        ows = Ows.newTenant(TestServer.shared(), List.of("en", "nl"));
        session = ows.login();
    }

    /** The plugin's default request: the call wrapped in the content language. */
    static JsonNode wrapped(Ows ows, String language, String method, String params) {
        return ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"" + language
                + "\",{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}],\"id\":1}");
    }

    JsonNode plugin(String method, String params) {
        return wrapped(ows, "en", method, params);
    }

    JsonNode pluginResult(String method, String params) {
        var response = plugin(method, params);
        assertThat(response.has("error")).as(method + " answered " + response).isFalse();
        return response.path("result");
    }

    void seedQuestionSets(Ows tenant) {
        var dossier = TestServer.shared().server().dossier();
        DemoQuestionSets.seed(dossier.records(), dossier.schemas(), tenant.tenantId());
    }

    String addVacancy(String title, String slug, String extra) {
        return ows.result("Otys.Services.VacancyService.add", "[\"" + session + "\",{\"title\":\"" + title + "\",\"slug\":\"" + slug
                + "\",\"statusId\":2" + extra + "}]").asText();
    }

    String addCandidate(Ows tenant, String tenantSession, String email) {
        return tenant.result("Otys.Services.CandidateService.add", "[\"" + tenantSession
                + "\",{\"Person\":{\"firstName\":\"Anna\",\"lastName\":\"Jansen\",\"emailPrimary\":\"" + email + "\"},\"statusId\":1}]").asText();
    }

    // ---- question sets

    static String questionSetQuery(String flag) {
        return """
                {"what":null,"limit":1,"offset":0,"getTotalCount":1,"sort":{"uid":"DESC"},"excludeLimitCheck":true,
                 "condition":{"type":"AND","items":[{"type":"OR","items":[{"type":"COND","field":"%s","op":"EQ","param":true}]}]}}"""
                .formatted(flag);
    }

    @Test
    void openApplicationQuestionSetIsFoundByItsFlagAndNamedByItsNumber() {
        seedQuestionSets(ows);
        var result = pluginResult("Otys.Services.CandidateQuestionSetService.getListEx",
                "[\"" + session + "\"," + questionSetQuery("openEntrySet") + "]");
        assertThat(result.path("listOutput").get(0).path("uid").isInt()).as("the plugin checks is_int(uid)").isTrue();
        assertThat(result.path("listOutput").get(0).path("uid").asLong()).isEqualTo(DemoQuestionSets.OPEN_APPLICATION);
        assertThat(result.path("totalCount").asInt()).isEqualTo(1);

        var mobile = pluginResult("Otys.Services.CandidateQuestionSetService.getListEx",
                "[\"" + session + "\"," + questionSetQuery("mobile") + "]");
        assertThat(mobile.path("listOutput")).isEmpty();
        assertThat(mobile.path("listOutput").path(0).path("uid").asInt(0)).as("the plugin reads ?? 0").isZero();
    }

    @Test
    void questionSetDetailHasPagesOfQuestionsAndTheConsentQuestionOnlyWhenAskedFor() {
        seedQuestionSets(ows);
        var withConsent = pluginResult("Otys.Services.QuestionSetService.getDetailWithGdprConsent", "[\"" + session + "\",1]");
        assertThat(withConsent.path("uid").asLong()).isEqualTo(DemoQuestionSets.BASIC);
        assertThat(withConsent.path("name").asText()).isEqualTo("Application");
        assertThat(withConsent.has("shortDescription")).isTrue();
        assertThat(withConsent.has("pageTitle")).isTrue();
        assertThat(withConsent.has("pageIntroText")).isTrue();
        var pages = new ArrayList<String>();
        withConsent.path("Pages").fieldNames().forEachRemaining(pages::add);
        assertThat(pages).containsExactly("1", "2");
        var first = withConsent.path("Pages").path("1");
        assertThat(first.path("pageTitle").asText()).isEqualTo("About you");
        var email = first.path("Questions").path("3");
        assertThat(email.path("fieldName").asText()).isEqualTo("Person.emailPrimary");
        assertThat(email.path("type").asText()).isEqualTo("textField");
        assertThat(email.path("Validation").path("mandatory").asBoolean()).isTrue();
        assertThat(email.path("Validation").path("email").asBoolean()).isTrue();
        assertThat(email.path("Validation").path("phone").isBoolean()).isTrue();
        assertThat(email.path("Validation").path("internationalPhone").isBoolean()).isTrue();
        var consent = withConsent.path("Pages").path("2").path("Questions").path("7");
        assertThat(consent.path("fieldName").asText()).isEqualTo("candidate_gdpr_accept");
        assertThat(consent.path("explanation").asText()).contains("{$gdprLongTermMonths}");

        var without = pluginResult("Otys.Services.QuestionSetService.getDetail", "[\"" + session + "\",1]");
        assertThat(without.path("Pages").path("2").path("Questions").has("7")).isFalse();
        assertThat(without.path("Pages").path("2").path("Questions").has("5")).isTrue();

        var missing = plugin("Otys.Services.QuestionSetService.getDetail", "[\"" + session + "\",99]");
        assertThat(missing.path("error").path("message").asText()).isEqualTo("no question set 99");
    }

    @Test
    void aVacancyNamesItsQuestionSetOrGetsTheBasicSet() {
        seedQuestionSets(ows);
        var plain = addVacancy("Welder", "welder-1", "");
        var own = addVacancy("Baker", "baker-2", ",\"questionSetNumber\":2");
        assertThat(pluginResult("Otys.Services.QuestionSetService.getVacancyQsIdByVacancyOuid", "[\"" + session + "\",\"" + plain + "\"]")
                .asLong()).isEqualTo(DemoQuestionSets.BASIC);
        assertThat(pluginResult("Otys.Services.QuestionSetService.getVacancyQsIdByVacancyOuid", "[\"" + session + "\",\"" + own + "\"]")
                .asLong()).isEqualTo(DemoQuestionSets.OPEN_APPLICATION);

        // another tenant sees neither the vacancy nor the question sets
        var other = Ows.newTenant(TestServer.shared(), List.of("en"));
        var otherSession = other.login();
        var foreign = wrapped(other, "en", "Otys.Services.QuestionSetService.getVacancyQsIdByVacancyOuid", "[\"" + otherSession + "\",\"" + own + "\"]");
        assertThat(foreign.path("error").path("code").asInt()).isEqualTo(404);
        var foreignSet = wrapped(other, "en", "Otys.Services.QuestionSetService.getDetail", "[\"" + otherSession + "\",1]");
        assertThat(foreignSet.path("error").path("message").asText()).isEqualTo("no question set 1");
        var foreignList = wrapped(other, "en", "Otys.Services.CandidateQuestionSetService.getListEx",
                "[\"" + otherSession + "\"," + questionSetQuery("openEntrySet") + "]");
        assertThat(foreignList.path("result").path("listOutput")).isEmpty();
        // a tenant without question sets: 0, and the plugin falls back to the open application
        var none = other.result("Otys.Services.VacancyService.add", "[\"" + otherSession + "\",{\"title\":\"X\",\"statusId\":2}]").asText();
        assertThat(wrapped(other, "en", "Otys.Services.QuestionSetService.getVacancyQsIdByVacancyOuid", "[\"" + otherSession + "\",\"" + none + "\"]")
                .path("result").asInt()).isZero();
    }

    // ---- vacancies

    @Test
    void vacancyDetailBySlugAndItsViewCount() {
        var uid = addVacancy("Senior Java developer", "senior-java-developer-utrecht", "");
        var what = "{\"uid\":1,\"title\":1,\"slug\":1,\"viewCount\":1,\"textField_description\":1,\"PhotoGallery\":{\"photoId\":1}}";
        var detail = pluginResult("Otys.Services.VacancyService.getDetailBySlug", "[\"" + session + "\",\"senior-java-developer-utrecht\"," + what + "]");
        assertThat(detail.path("uid").asText()).isEqualTo(uid);
        assertThat(detail.path("title").asText()).isEqualTo("Senior Java developer");
        assertThat(detail.path("viewCount").isNull() || detail.path("viewCount").asInt() == 0).isTrue();

        // the plugin counts a view without the language wrapper
        for (int i = 0; i < 3; i++) {
            assertThat(ows.result("Otys.Services.VacancyService.incrementViewCount", "[\"" + session + "\",\"" + uid + "\"]").asBoolean()).isTrue();
        }
        var again = pluginResult("Otys.Services.VacancyService.getDetailBySlug", "[\"" + session + "\",\"senior-java-developer-utrecht\"," + what + "]");
        assertThat(again.path("viewCount").asInt()).isEqualTo(3);

        var unknown = plugin("Otys.Services.VacancyService.getDetailBySlug", "[\"" + session + "\",\"no-such-job\"," + what + "]");
        assertThat(unknown.path("error").path("code").asInt()).isEqualTo(404);
        // the count is Dossier's: a client cannot set it
        var set = ows.call("Otys.Services.VacancyService.update", "[\"" + session + "\",\"" + uid + "\",{\"viewCount\":100}]");
        assertThat(set.has("error")).isTrue();

        var other = Ows.newTenant(TestServer.shared(), List.of("en"));
        var otherSession = other.login();
        assertThat(wrapped(other, "en", "Otys.Services.VacancyService.getDetailBySlug",
                "[\"" + otherSession + "\",\"senior-java-developer-utrecht\"," + what + "]").path("error").path("code").asInt()).isEqualTo(404);
        assertThat(other.call("Otys.Services.VacancyService.incrementViewCount", "[\"" + otherSession + "\",\"" + uid + "\"]")
                .path("error").path("code").asInt()).isEqualTo(404);
        assertThat(pluginResult("Otys.Services.VacancyService.getDetailBySlug", "[\"" + session + "\",\"senior-java-developer-utrecht\"," + what + "]")
                .path("viewCount").asInt()).isEqualTo(3);
    }

    @Test
    void vacancyTextsAndExtraFieldsAsTheDetailPageReadsThem() {
        var uid = ows.result("Otys.Services.VacancyService.add", "[\"" + session + "\",{\"title\":\"Nurse\",\"slug\":\"nurse-7\",\"statusId\":2,"
                + "\"description\":\"<p>Care for patients.</p>\",\"requirements\":\"<p>BIG registration</p>\",\"extraInfo2\":\"Night shifts\"}]").asText();
        assertThat(wrapped(ows, "nl", "Otys.Services.VacancyService.update", "[\"" + session + "\",\"" + uid + "\",{\"description\":\"<p>Zorg.</p>\"}]")
                .has("error")).isFalse();

        // getExtraFieldsList is sent without the language wrapper, the language as its parameter
        var extra = ows.result("Otys.Services.VacancyService.getExtraFieldsList", "[\"" + session + "\",\"en\"]");
        var numbers = new ArrayList<Integer>();
        extra.forEach(field -> numbers.add(field.path("fieldnum").asInt()));
        assertThat(numbers).containsExactly(1, 2, 3, 4, 5);

        var textFields = pluginResult("Otys.Services.VacancyTextFieldService.getList", "[\"" + session + "\"]");
        var byField = new java.util.HashMap<String, JsonNode>();
        textFields.forEach(field -> byField.put(field.path("field").asText(), field));
        assertThat(byField).containsKeys("functieo", "functiee", "sal_o", "chapo");
        assertThat(byField.get("functieo").path("published").asBoolean()).isTrue();
        assertThat(byField.get("functieo").path("uid").isInt()).isTrue();
        assertThat(byField.get("functieo").path("name").asText()).isEqualTo("Job description");

        var what = "{\"uid\":1,\"title\":1,\"textField_description\":1,\"textField_requirements\":1,\"textField_summary\":1,\"extraInfo2\":1,\"slug\":1}";
        var detail = pluginResult("Otys.Services.VacancyService.getDetail", "[\"" + session + "\",\"" + uid + "\"," + what + "]");
        assertThat(detail.path("textField_description").path("title").asText()).isEqualTo("Job description");
        assertThat(detail.path("textField_description").path("text").asText()).isEqualTo("<p>Care for patients.</p>");
        assertThat(detail.path("textField_requirements").path("text").asText()).isEqualTo("<p>BIG registration</p>");
        assertThat(detail.path("textField_summary").has("text")).isTrue();
        assertThat(detail.has("description")).as("only what was asked for").isFalse();
        assertThat(detail.path("extraInfo2").asText()).isEqualTo("Night shifts");

        var dutch = wrapped(ows, "nl", "Otys.Services.VacancyService.getDetailBySlug", "[\"" + session + "\",\"nurse-7\"," + what + "]").path("result");
        assertThat(dutch.path("textField_description").path("title").asText()).isEqualTo("Functieomschrijving");
        assertThat(dutch.path("textField_description").path("text").asText()).isEqualTo("<p>Zorg.</p>");

        var other = Ows.newTenant(TestServer.shared(), List.of("en"));
        var otherSession = other.login();
        assertThat(wrapped(other, "en", "Otys.Services.VacancyService.getDetail", "[\"" + otherSession + "\",\"" + uid + "\"," + what + "]")
                .path("error").path("code").asInt()).isEqualTo(404);
    }

    // ---- e-mail

    @Test
    void mailGoesToTheTenantsOutboxWhichTheAdminApiLists() {
        var candidate = addCandidate(ows, session, "anna@example.com");
        assertThat(pluginResult("Otys.Services.EmailService.setSendAs", "[\"" + session + "\",0]").asBoolean()).isTrue();
        var empty = pluginResult("Otys.Services.EmailService.getEmptyMessage", "[\"" + session + "\"]");
        assertThat(empty.path("htmlMessage").asText()).contains("<!--BODY-->");
        var forUser = pluginResult("Otys.Services.EmailService.getEmptyMessageForUser", "[\"" + session + "\"," + ows.tenantId() + "," + ows.userId() + "]");
        assertThat(forUser.path("htmlMessage").asText()).contains("<!--BODY-->");
        var html = empty.path("htmlMessage").asText().replace("<!--BODY-->", "<p>Thank you for applying, Anna.</p>");
        var sent = plugin("Otys.Services.EmailService.send", "[\"" + session + "\",{\"To\":[\"anna@example.com\"],\"Bindings\":{\"entityId\":2,\"uid\":\""
                + candidate + "\"},\"subject\":\"Your application\",\"htmlMessage\":\"" + html.replace("\"", "\\\"") + "\"}]");
        assertThat(sent.has("error")).as(sent.toString()).isFalse();
        assertThat(pluginResult("Otys.Services.EmailService.setSendAs", "[\"" + session + "\",0]").asBoolean()).isTrue();
        // a string recipient, and a sender given by From
        assertThat(plugin("Otys.Services.EmailService.send", "[\"" + session + "\",{\"To\":\"consultant@example.com\",\"From\":{\"name\":\"Jobs\","
                + "\"email\":\"jobs@example.com\"},\"subject\":\"New application\",\"htmlMessage\":\"<p>New</p>\"}]").has("error")).isFalse();

        var admin = TestServer.shared().http().bearer(TestServer.shared().adminToken());
        var outbox = admin.get("/admin/api/tenants/" + ows.tenant() + "/outbox");
        assertThat(outbox.status()).isEqualTo(200);
        var mails = outbox.json().path("mails");
        assertThat(mails).hasSize(2);
        assertThat(mails.get(0).path("to").toString()).isEqualTo("[\"anna@example.com\"]");
        assertThat(mails.get(0).path("from").asText()).isEqualTo(ows.tenant() + "@example.com");
        assertThat(mails.get(0).path("subject").asText()).isEqualTo("Your application");
        assertThat(mails.get(0).path("htmlBody").asText()).isEqualTo("<p>Thank you for applying, Anna.</p>");
        assertThat(mails.get(0).path("aboutUid").asText()).isEqualTo(candidate);
        assertThat(mails.get(0).path("status").asText()).isEqualTo("queued");
        assertThat(mails.get(1).path("from").asText()).isEqualTo("jobs@example.com");
        assertThat(mails.get(1).path("to").toString()).isEqualTo("[\"consultant@example.com\"]");
        var after = admin.get("/admin/api/tenants/" + ows.tenant() + "/outbox?after=" + mails.get(0).path("id").asLong() + "&limit=1");
        assertThat(after.json().path("mails")).hasSize(1);
        assertThat(after.json().path("mails").get(0).path("id").asLong()).isEqualTo(mails.get(1).path("id").asLong());
        assertThat(admin.get("/admin/api/tenants/" + ows.tenant() + "/outbox?limit=abc").status()).isEqualTo(400);
        assertThat(admin.get("/admin/api/tenants/" + ows.tenant() + "/outbox?limit=0").status()).isEqualTo(400);
        assertThat(TestServer.shared().http().get("/admin/api/tenants/" + ows.tenant() + "/outbox").status()).isEqualTo(401);

        // another tenant: its outbox is its own, and it cannot bind a mail to this tenant's candidate or send as its user
        var other = Ows.newTenant(TestServer.shared(), List.of("en"));
        var otherSession = other.login();
        var foreign = wrapped(other, "en", "Otys.Services.EmailService.send", "[\"" + otherSession + "\",{\"To\":[\"x@example.com\"],"
                + "\"Bindings\":{\"entityId\":2,\"uid\":\"" + candidate + "\"},\"subject\":\"S\",\"htmlMessage\":\"B\"}]");
        assertThat(foreign.path("error").path("code").asInt()).isEqualTo(404);
        assertThat(wrapped(other, "en", "Otys.Services.EmailService.setSendAs", "[\"" + otherSession + "\"," + ows.userId() + "]")
                .path("error").path("code").asInt()).isEqualTo(404);
        assertThat(wrapped(other, "en", "Otys.Services.EmailService.getEmptyMessageForUser", "[\"" + otherSession + "\"," + ows.tenantId()
                + "," + ows.userId() + "]").path("error").path("code").asInt()).isEqualTo(404);
        assertThat(wrapped(other, "en", "Otys.Services.EmailService.getEmptyMessageForUser", "[\"" + otherSession + "\"," + other.tenantId()
                + "," + ows.userId() + "]").path("error").path("code").asInt()).isEqualTo(404);
        assertThat(admin.get("/admin/api/tenants/" + other.tenant() + "/outbox").json().path("mails")).isEmpty();
    }

    @Test
    void badMailIsRefusedAndNothingIsQueued() {
        var noRecipient = plugin("Otys.Services.EmailService.send", "[\"" + session + "\",{\"subject\":\"S\",\"htmlMessage\":\"B\"}]");
        assertThat(noRecipient.path("error").path("message").asText()).isEqualTo("a message needs at least one recipient");
        var badAddress = plugin("Otys.Services.EmailService.send", "[\"" + session + "\",{\"To\":[\"not an address\"],\"subject\":\"S\",\"htmlMessage\":\"B\"}]");
        assertThat(badAddress.path("error").path("code").asInt()).isEqualTo(-32602);
        var noSubject = plugin("Otys.Services.EmailService.send", "[\"" + session + "\",{\"To\":[\"a@example.com\"],\"htmlMessage\":\"B\"}]");
        assertThat(noSubject.path("error").path("message").asText()).isEqualTo("a message needs a subject");
        var admin = TestServer.shared().http().bearer(TestServer.shared().adminToken());
        assertThat(admin.get("/admin/api/tenants/" + ows.tenant() + "/outbox").json().path("mails")).isEmpty();
    }

    // ---- website accounts of candidates

    @Test
    void aCandidateGetsAWebsiteAccountAndLogsInWithIt() {
        var candidate = addCandidate(ows, session, "anna@example.com");
        var account = plugin("Otys.Services.OCDService.createWebuserAndBind",
                "[\"" + session + "\",{\"role\":\"candidate\",\"uid\":\"" + candidate + "\",\"username\":\"anna@example.com\",\"allowLogin\":true}]");
        assertThat(account.path("result").isTextual()).as(account.toString()).isTrue();
        var accountUid = account.path("result").asText();
        assertThat(pluginResult("Otys.Services.WebusersService.setNewPassword", "[\"" + session + "\",\"" + accountUid + "\",\"Pw3xYz9q\"]")
                .asBoolean()).isTrue();

        var login = ows.result("Otys.Services.OCDService.loginUser", "[\"" + session + "\",\"anna@example.com\",\"Pw3xYz9q\",\"candidate\"]");
        assertThat(login.path("candidate_ouid").asText()).isEqualTo(candidate);
        assertThat(login.path("webuser_ouid").asText()).isEqualTo(accountUid);
        assertThat(login.path("allowLogin").asBoolean()).isTrue();
        assertThat(login.path("firstname").asText()).isEqualTo("Anna");
        assertThat(login.path("lastname").asText()).isEqualTo("Jansen");
        assertThat(login.path("email").asText()).isEqualTo("anna@example.com");

        var wrong = ows.result("Otys.Services.OCDService.loginUser", "[\"" + session + "\",\"anna@example.com\",\"wrong\",\"candidate\"]");
        assertThat(wrong.path("candidate_ouid").asBoolean(true)).isFalse();
        var unknown = ows.result("Otys.Services.OCDService.loginUser", "[\"" + session + "\",\"bob@example.com\",\"Pw3xYz9q\",\"candidate\"]");
        assertThat(unknown.path("candidate_ouid").asBoolean(true)).isFalse();

        // forgot password: the plugin finds the account by username, then sets a password by the candidate's uid
        var found = ows.result("Otys.Services.WebusersService.getListEx", """
                ["%s",{"what":{"uid":1,"roles":{"uid":1,"role":1,"targetName":1,"uidTarget":1,"entryDateTime":1,"active":1}},
                 "limit":1,"offset":0,"getTotalCount":true,"sort":{"uid":"DESC"},
                 "condition":{"type":"AND","items":[{"type":"COND","field":"username","op":"LIKE","param":"%%anna@example.com%%"}]}}]"""
                .formatted(session));
        assertThat(found.path("listOutput").get(0).path("uid").asText()).isEqualTo(accountUid);
        assertThat(found.path("listOutput").get(0).path("roles").get(0).path("uidTarget").asText()).isEqualTo(candidate);
        assertThat(found.path("listOutput").get(0).path("roles").get(0).path("role").asText()).isEqualTo("candidate");
        assertThat(found.path("totalCount").asInt()).isEqualTo(1);
        assertThat(pluginResult("Otys.Services.WebusersService.setNewPassword", "[\"" + session + "\",\"" + candidate + "\",\"N3wPassw0rd\"]")
                .asBoolean()).isTrue();
        assertThat(ows.result("Otys.Services.OCDService.loginUser", "[\"" + session + "\",\"ANNA@example.com\",\"N3wPassw0rd\",\"candidate\"]")
                .path("candidate_ouid").asText()).isEqualTo(candidate);

        var taken = plugin("Otys.Services.OCDService.createWebuserAndBind",
                "[\"" + session + "\",{\"role\":\"candidate\",\"uid\":\"" + candidate + "\",\"username\":\"Anna@example.com\",\"allowLogin\":true}]");
        assertThat(taken.path("error").path("code").asInt()).isEqualTo(409);

        // another tenant: cannot log in with the account, find it, set its password or bind to the candidate
        var other = Ows.newTenant(TestServer.shared(), List.of("en"));
        var otherSession = other.login();
        assertThat(other.result("Otys.Services.OCDService.loginUser", "[\"" + otherSession + "\",\"anna@example.com\",\"N3wPassw0rd\",\"candidate\"]")
                .path("candidate_ouid").asBoolean(true)).isFalse();
        assertThat(other.result("Otys.Services.WebusersService.getListEx", "[\"" + otherSession + "\",{\"limit\":10,\"getTotalCount\":1}]")
                .path("listOutput")).isEmpty();
        assertThat(other.call("Otys.Services.WebusersService.setNewPassword", "[\"" + otherSession + "\",\"" + accountUid + "\",\"x1234567\"]")
                .path("error").path("code").asInt()).isEqualTo(404);
        assertThat(other.call("Otys.Services.OCDService.createWebuserAndBind",
                "[\"" + otherSession + "\",{\"role\":\"candidate\",\"uid\":\"" + candidate + "\",\"username\":\"mallory@example.com\",\"allowLogin\":true}]")
                .path("error").path("code").asInt()).isEqualTo(404);
        // and the same username is free in another tenant
        var otherCandidate = addCandidate(other, otherSession, "anna@example.com");
        assertThat(other.result("Otys.Services.OCDService.createWebuserAndBind",
                "[\"" + otherSession + "\",{\"role\":\"candidate\",\"uid\":\"" + otherCandidate + "\",\"username\":\"anna@example.com\",\"allowLogin\":true}]")
                .isTextual()).isTrue();
    }

    @Test
    void passwordsAreStoredOnlyAsSlowHashes() throws Exception {
        var candidate = addCandidate(ows, session, "hash@example.com");
        var uid = ows.result("Otys.Services.OCDService.createWebuserAndBind",
                "[\"" + session + "\",{\"role\":\"candidate\",\"uid\":\"" + candidate + "\",\"username\":\"hash@example.com\",\"allowLogin\":true}]").asText();
        ows.result("Otys.Services.WebusersService.setNewPassword", "[\"" + session + "\",\"" + uid + "\",\"PlainSecret42\"]");
        var database = TestServer.shared().server().dossier().database();
        var stored = database.sql().fetchOne("select password_hash from portal_account where uid = ?", uid).get(0, String.class);
        assertThat(stored).startsWith("pbkdf2-sha256$").doesNotContain("PlainSecret42");
    }

    @Test
    void accountsThatMayNotLogInCannot() {
        var candidate = addCandidate(ows, session, "blocked@example.com");
        var uid = ows.result("Otys.Services.OCDService.createWebuserAndBind",
                "[\"" + session + "\",{\"role\":\"candidate\",\"uid\":\"" + candidate + "\",\"username\":\"blocked@example.com\",\"allowLogin\":false}]").asText();
        ows.result("Otys.Services.WebusersService.setNewPassword", "[\"" + session + "\",\"" + uid + "\",\"Secret123\"]");
        var login = ows.result("Otys.Services.OCDService.loginUser", "[\"" + session + "\",\"blocked@example.com\",\"Secret123\",\"candidate\"]");
        assertThat(login.path("candidate_ouid").asBoolean(true)).isFalse();
        var noPassword = addCandidate(ows, session, "new@example.com");
        ows.result("Otys.Services.OCDService.createWebuserAndBind",
                "[\"" + session + "\",{\"role\":\"candidate\",\"uid\":\"" + noPassword + "\",\"username\":\"new@example.com\",\"allowLogin\":true}]");
        assertThat(ows.result("Otys.Services.OCDService.loginUser", "[\"" + session + "\",\"new@example.com\",\"\",\"candidate\"]")
                .path("candidate_ouid").asBoolean(true)).isFalse();
    }

    // ---- standard documents: the e-mail sent on an application

    @Test
    void theApplicationMailIsAStandardDocumentMergedWithTheVacancyAndTheCandidate() {
        var dossier = TestServer.shared().server().dossier();
        DemoStandardDocuments.seed(dossier.records(), dossier.schemas(), ows.tenantId(), List.of("en", "nl"));
        var vacancy = addVacancy("Welder", "welder-1", "");
        assertThat(wrapped(ows, "nl", "Otys.Services.VacancyService.update", "[\"" + session + "\",\"" + vacancy + "\",{\"title\":\"Lasser\"}]")
                .has("error")).isFalse();
        var candidate = ows.result("Otys.Services.CandidateService.add", "[\"" + session
                + "\",{\"Person\":{\"firstName\":\"Anna <i>\",\"lastName\":\"Jansen\",\"emailPrimary\":\"anna@example.com\"},\"statusId\":1}]").asText();

        // the plugin's settings page lists the e-mail templates
        var list = pluginResult("Otys.Services.Sdv2StandardDocumentService.getListEx", """
                ["%s",{"what":{"uid":1,"name":1,"isGlobal":1,"entryDateTime":1,"addedByUserId":1,"addedByUser":1,"modifiedDateTime":1,
                  "modifiedByUserId":1,"modifiedByUser":1,"category":1,"categoryId":1,"defaultOutput":1},
                 "limit":500,"offset":0,"getTotalCount":true,"sort":{"name":"ASC"},
                 "condition":{"type":"AND","items":[{"type":"COND","field":"defaultOutput","op":"EQ","param":"Email"},
                                                    {"type":"COND","field":"name","op":"LIKE","param":"%%WordPress%%"}]}}]""".formatted(session));
        assertThat(list.path("totalCount").asInt()).isEqualTo(2);
        assertThat(list.path("listOutput").get(0).path("uid").isInt()).isTrue();
        assertThat(list.path("listOutput").get(0).path("name").asText()).isEqualTo("WordPress - Application confirmation");

        // DocumentsModel::get: the version in the site's language, then the merge, wrapped in that language
        var version = wrapped(ows, "nl", "Otys.Services.Sdv2StandardDocumentService.fetchLanguageVersionUid", "[\"" + session + "\",1,\"nl\"]");
        assertThat(version.path("result").asText()).isEqualTo("1");
        var merged = wrapped(ows, "nl", "Otys.Services.Sdv2StandardDocumentService.mergeDocument", "[\"" + session + "\",\""
                + version.path("result").asText() + "\",{\"relatedEntities\":[{\"entityId\":1,\"recordId\":\"" + vacancy + "\"},"
                + "{\"entityId\":2,\"recordId\":\"" + candidate + "\"}],\"answers\":[]}]").path("result");
        assertThat(merged.path("subject").asText()).isEqualTo("Je sollicitatie op Lasser");
        assertThat(merged.path("htmlBody").asText()).startsWith("<p>Beste Anna &lt;i&gt;,</p><p>Bedankt voor je sollicitatie op Lasser.");
        var english = pluginResult("Otys.Services.Sdv2StandardDocumentService.mergeDocument", "[\"" + session + "\",2,{\"relatedEntities\":"
                + "[{\"entityId\":2,\"recordId\":\"" + candidate + "\"}],\"answers\":{\"password\":\"x\"}}]");
        assertThat(english.path("subject").asText()).isEqualTo("New application: Anna <i> Jansen");

        // MailModel::send
        pluginResult("Otys.Services.EmailService.setSendAs", "[\"" + session + "\",0]");
        var empty = pluginResult("Otys.Services.EmailService.getEmptyMessage", "[\"" + session + "\"]");
        var body = empty.path("htmlMessage").asText().replace("<!--BODY-->", merged.path("htmlBody").asText());
        pluginResult("Otys.Services.EmailService.send", "[\"" + session + "\"," + Ows.json(java.util.Map.of("subject", merged.path("subject").asText(),
                "htmlMessage", body, "To", candidateEmail())) + "]");
        pluginResult("Otys.Services.EmailService.setSendAs", "[\"" + session + "\",0]");
        var admin = TestServer.shared().http().bearer(TestServer.shared().adminToken());
        var mail = admin.get("/admin/api/tenants/" + ows.tenant() + "/outbox").json().path("mails").get(0);
        assertThat(mail.path("subject").asText()).isEqualTo("Je sollicitatie op Lasser");
        assertThat(mail.path("htmlBody").asText()).isEqualTo(merged.path("htmlBody").asText());
        assertThat(mail.path("to").toString()).isEqualTo("[\"anna@example.com\"]");

        // another tenant merges neither this tenant's documents nor its records
        var other = Ows.newTenant(TestServer.shared(), List.of("en"));
        var otherSession = other.login();
        assertThat(wrapped(other, "en", "Otys.Services.Sdv2StandardDocumentService.mergeDocument", "[\"" + otherSession + "\",1,{}]")
                .path("error").path("code").asInt()).isEqualTo(404);
        DemoStandardDocuments.seed(dossier.records(), dossier.schemas(), other.tenantId(), List.of("en"));
        assertThat(wrapped(other, "en", "Otys.Services.Sdv2StandardDocumentService.mergeDocument", "[\"" + otherSession + "\",1,"
                + "{\"relatedEntities\":[{\"entityId\":2,\"recordId\":\"" + candidate + "\"}]}]").path("error").path("code").asInt()).isEqualTo(404);
    }

    static String candidateEmail() {
        return "anna@example.com";
    }

    // ---- what Dossier does not do

    @Test
    void methodsDossierDoesNotDoSaySoRatherThanPretend() {
        for (var method : List.of("Otys.Services.Sdv2StandardDocumentService.delete", "Otys.Services.CandidateService.generateFoLoginToken",
                "Otys.Services.FreeInteractionAnswerSetService.update")) {
            var response = plugin(method, "[\"" + session + "\",1]");
            assertThat(response.path("error").path("code").asInt()).isEqualTo(-32601);
            assertThat(response.path("error").path("message").asText()).isEqualTo("Method not supported by Dossier: " + method);
        }
        assertThat(ows.call("Otys.Services.Sdv2StandardDocumentService.getListEx", "[\"0123456789abcdef0123456789abcdef\",{}]")
                .path("error").path("message").asText()).isEqualTo("Access denied; please login first");
    }
}

package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.settings.Settings;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page flows of OTYS's WordPress plugin ("OTYS Jobs &amp; Apply"), replayed: each request body is
 * the one the plugin's {@code OtysApi::post} builds (PHP's {@code json_encode}, slashes escaped, the
 * session put first by {@code array_unshift}, most calls inside {@code LanguageService.wrapRequest}),
 * and each test asserts what the plugin then reads from the answer. The tenant is set up as its
 * administrator would: two websites, procedure statuses, document types 1 (CV) and 201 (Other), a
 * sending profile, GDPR settings, and a vacancy published on the first website.
 */
class OwsWordPressPluginIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Ows ows;
    String session;
    long clientId;
    String vacancy;
    long owner;

    @BeforeEach
    void careerSite() {
        ows = Ows.newTenant(TestServer.shared(), List.of("en", "nl"));
        session = ows.login();
        clientId = ows.tenantId();
        owner = ows.userId();
        setUp(ows, session);
        vacancy = ows.result("Otys.Services.VacancyService.add", "[\"" + session + "\",{\"title\":\"Backend developer\",\"published\":true,"
                + "\"statusId\":2,\"publishedWebsites\":{\"1\":{\"siteId\":1}}}]").asText();
    }

    /** What the tenant's administrator sets up for the plugin's pages. */
    static void setUp(Ows ows, String session) {
        var s = "[\"" + session + "\",";
        ows.result("Otys.Services.WebsiteService.add", s + "{\"siteId\":1,\"name\":\"Careers\",\"website\":\"https://careers.example\"}]");
        ows.result("Otys.Services.WebsiteService.add", s + "{\"siteId\":2,\"name\":\"IT jobs\",\"website\":\"https://it.example\"}]");
        for (int step = 1; step <= 3; step++) {
            ows.result("Otys.Services.ProcedureStatus" + step + "Service.add", s + "{\"code\":\"Other\",\"automaticallySelectEvent\":0}]");
            ows.result("Otys.Services.ProcedureStatus" + step + "Service.add", s + "{\"code\":\"Via website\",\"automaticallySelectEvent\":1}]");
        }
        ows.result("Otys.Services.DocumentTypeService.add", s + "{\"uid\":\"1\",\"name\":\"CV\",\"forDocuments\":true,\"forCandidates\":true}]");
        ows.result("Otys.Services.DocumentTypeService.add", s + "{\"uid\":201,\"name\":\"Other\",\"forDocuments\":true,\"forCandidates\":true}]");
        ows.result("Otys.Services.SendingProfileService.add", s + "{\"name\":\"Careers\",\"email\":\"jobs@example.com\",\"siteId\":1,"
                + "\"isStandardProfile\":true}]");
        ows.server().server().dossier().tenantSettings().setAll(ows.tenantId(), Map.of(Settings.GDPR_CONSENT.key(), true,
                Settings.GDPR_CONSENT_ON_APPLICATION.key(), true, Settings.GDPR_KEEP_MONTHS_WITH_CONSENT.key(), 12));
    }

    /** {@code OtysApi::post} with its language wrap: the call inside {@code LanguageService.wrapRequest}. */
    JsonNode wrapped(String method, String params) {
        return ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"en\",{\"jsonrpc\":\"2.0\","
                + "\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}],\"id\":1}");
    }

    /** The result the plugin's {@code getResult} takes: a body without an {@code error} key. */
    static JsonNode result(JsonNode body) {
        assertThat(body.has("error")).as("the plugin treats any 'error' key as a failure: %s", body).isFalse();
        return body.path("result");
    }

    String s() {
        return "\"" + session + "\"";
    }

    @Test
    void startUp_theApiUserTheLanguagesAndTheWebsites() {
        var check = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"check\",\"params\":[" + s() + "],\"id\":1}"));
        assertThat(check.path("clientId").asLong()).isEqualTo(clientId);
        var clientCode = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.CsmService.getValue\",\"params\":[" + s()
                + ",[\"DB103\"]," + clientId + "],\"id\":1}"));
        assertThat(clientCode.path("DB103").path("value").asText()).isEqualTo(ows.tenant());

        var languages = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.CandidateService.getOptionLists\",\"params\":[" + s()
                + ",[\"Person.languageCode\"]],\"id\":1}"));
        assertThat(languages.path("cmsLanguages").has("en")).isTrue();
        assertThat(languages.path("cmsLanguages").has("nl")).isTrue();
        assertThat(languages.path("cmsLanguages").has("de")).isFalse();

        var websites = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.VacancyService.getOptionLists\",\"params\":[" + s()
                + ",[\"publishedWebsites\"]],\"id\":1}"));
        assertThat(websites.path("publishedWebsites").path("1").asText()).isEqualTo("Careers");
        assertThat(websites.path("publishedWebsites").size()).isEqualTo(2);

        // getWebsiteUrls: params from a PHP array with a named entry, so {"0":session,"what":{…}}
        var urls = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.WebsiteService.getList\",\"params\":{\"0\":" + s()
                + ",\"what\":{\"uid\":1,\"siteId\":1,\"website\":1}},\"id\":1}"));
        assertThat(urls).hasSize(2);
        assertThat(urls.get(0).path("siteId").isInt()).as("compared with === to an int").isTrue();
        assertThat(urls.get(0).path("website").asText()).isEqualTo("https://careers.example");
    }

    @Test
    void vacancyDetail_asTheDetailAndApplyPagesReadIt() {
        var detail = result(wrapped("Otys.Services.VacancyService.getDetail", "[" + s() + ",\"" + vacancy + "\",{\"uid\":1,\"textFieldTitles\":1,"
                + "\"internalId\":1,\"entryDateTime\":1,\"title\":1,\"referenceNr\":1,\"salaryMin\":1,\"salaryMax\":1,\"userId\":1,\"location\":1,"
                + "\"statusId\":1,\"published\":1,\"PhotoGallery\":{\"photoId\":1,\"filename\":1,\"thumbFilename\":1},\"showEmployer\":1,"
                + "\"removeApplyButton\":1,\"publicationStartDate\":1,\"publicationEndDate\":1,\"publishedWebsites\":1,"
                + "\"PublishedWebsitesEmails\":{\"siteId\":1,\"email\":1},\"matchCriteria_1\":1,\"slug\":1}]"));
        assertThat(detail.path("uid").asText()).isEqualTo(vacancy);
        assertThat(detail.path("title").asText()).isEqualTo("Backend developer");
        assertThat(detail.path("published").asBoolean()).isTrue();
        // with more than one website, the detail and apply pages 404 unless isset($vacancy["publishedWebsites"][$siteId])
        assertThat(detail.path("publishedWebsites").has("1")).isTrue();
        assertThat(detail.path("publishedWebsites").has("2")).isFalse();
        assertThat(detail.path("userId").asLong()).isEqualTo(owner);
        assertThat(detail.has("removeApplyButton")).as("fields this tenant does not have are left out").isFalse();
    }

    @Test
    void applyWithCv_aNewCandidateGetsTheCvAttachedAndAProcedureForTheVacancy() throws Exception {
        // CandidateModel::createCandidate
        var candidate = result(wrapped("Otys.Services.CandidateService.add", "[" + s() + ",{\"pointOfEntry\":\"web\",\"varCopy\":null,"
                + "\"vcaCopy\":null,\"currencyId\":1,\"statusId\":-1,\"originSiteId\":1,\"source\":\"website\",\"Person\":{\"languageCode\":\"en\","
                + "\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"emailPrimary\":\"ada@example.com\",\"PhoneNumbers\":{\"1\":{\"phoneNumber\":"
                + "\"+31 20 123 4567\",\"type\":\"primary\"},\"2\":{\"phoneNumber\":\"+31 6 1234 5678\",\"type\":\"mobile\"}}},\"UtmTags\":[],"
                + "\"acceptTermsTs\":\"2026\\/12\\/02 04:12:11\",\"acceptTermsIp\":\"203.0.113.7\",\"acceptTerms\":\"true\",\"userId\":" + owner + "}]"));
        assertThat(candidate.isTextual()).as("createCandidate checks is_string").isTrue();

        // FilesModel::upload: the file part first, then the session as a raw application/json part; an unquoted boundary
        var boundary = "Xk!9@q#W$e%R^t&Y*u(I)o1P";
        var pdf = "%PDF-1.4\n% a CV\n".getBytes(StandardCharsets.US_ASCII);
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ada-cv.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(pdf);
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"sessionId\"\r\nContent-Type: application/json\r\n\r\n"
                + session + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        var upload = CLIENT.send(HttpRequest.newBuilder(ows.server().uri("/ows/fileService.php"))
                .header("accept", "application/json").header("content-type", "multipart/form-data;boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        var uploaded = JSON.readTree(upload.body()).elements().next();   // reset($responseBody)
        assertThat(uploaded.path("ouid").asText()).isNotBlank();

        // FilesModel::attach: type 1 (CV) because the question's field is the CV, customerRightsLevel and an empty description
        var attached = result(wrapped("Otys.Services.AttachedDocumentsService.add", "[" + s() + ",{\"subject\":\"ada-cv.pdf\",\"private\":\"false\","
                + "\"customerRightsLevel\":0,\"alwaysOnTop\":\"false\",\"description\":\"\",\"fileUid\":\"" + uploaded.path("ouid").asText()
                + "\",\"typeId\":\"1\",\"candidateUid\":\"" + candidate.asText() + "\",\"applicationUid\":\"" + vacancy + "\"}]"));
        assertThat(attached.isTextual()).isTrue();

        // ProceduresModel::getStatusAutoSelect: the three status lists in one MultiService batch, each read as ["data"]
        var statuses = result(ows.rpc(procedureStatusLists()));
        var chosen = new ArrayList<String>();
        for (int step = 0; step < 3; step++) {
            for (var option : statuses.get(step).path("data")) {
                if (option.path("automaticallySelectEvent").asInt() == 1) {
                    chosen.add((step + 1) + "_" + option.path("uid").asText());
                }
            }
        }
        assertThat(chosen).containsExactly("1_2", "2_2", "3_2");

        // ProceduresModel::add
        var procedure = result(wrapped("Otys.Services.ProcedureService.add", "[" + s() + ",{\"candidateUid\":\"" + candidate.asText()
                + "\",\"vacancyUid\":\"" + vacancy + "\",\"ProcedureStatus1\":{\"uid\":\"" + chosen.get(0) + "\"},\"ProcedureStatus2\":{\"uid\":\""
                + chosen.get(1) + "\"},\"ProcedureStatus3\":{\"uid\":\"" + chosen.get(2) + "\"},\"UtmTags\":[],\"KillerQuestions\":[{\"answer\":"
                + "\"I love engines\",\"questionId\":\"12\"}]}]"));
        assertThat(procedure.isTextual()).isTrue();

        // a second application is refused by the plugin when ProceduresModel::procedureExists finds this one
        assertThat(procedureExists(candidate.asText(), vacancy)).isTrue();
        assertThat(procedureExists(candidate.asText(), "another-vacancy")).isFalse();

        // what the recruiter sees in Dossier: the candidate, with the CV in the dossier, and the procedure
        var person = ows.result("Otys.Services.CandidateService.getDetail", "[" + s() + ",\"" + candidate.asText() + "\"]");
        assertThat(person.path("Person").path("emailPrimary").asText()).isEqualTo("ada@example.com");
        assertThat(person.path("Person").path("PhoneNumbers").path("2").path("type").asText()).isEqualTo("mobile");
        assertThat(person.path("statusId").isNull()).as("-1: the default, no status chosen").isTrue();
        assertThat(person.path("acceptTerms").asBoolean()).isTrue();
        var dossier = ows.result("Otys.Services.DossierService.getList", "[" + s() + ",{\"objectEntityId\":2,\"objectUid\":\"" + candidate.asText() + "\"}]");
        assertThat(dossier).hasSize(1);
        assertThat(dossier.get(0).path("typeId").asText()).isEqualTo("1");
        assertThat(dossier.get(0).path("type").asText()).isEqualTo("CV");
        assertThat(dossier.get(0).path("applicationUid").asText()).isEqualTo(vacancy);
        assertThat(dossier.get(0).path("description").asText()).isEmpty();
        var stored = ows.result("Otys.Services.ProcedureService.getDetail", "[" + s() + ",\"" + procedure.asText() + "\"]");
        assertThat(stored.path("candidateUid").asText()).isEqualTo(candidate.asText());
        assertThat(stored.path("vacancyUid").asText()).isEqualTo(vacancy);
        assertThat(stored.path("ProcedureStatus1").path("uid").asText()).isEqualTo("1_2");
        assertThat(stored.path("KillerQuestions").path("1").path("answer").asText()).isEqualTo("I love engines");
        assertThat(stored.path("userId").asLong()).isEqualTo(owner);

        // an applicant who is known already: CandidateModel::updateCandidate, which checks is_string on the answer
        var updated = result(wrapped("Otys.Services.CandidateService.updateEx", "[" + s() + ",\"" + candidate.asText() + "\",{\"Person\":"
                + "{\"firstName\":\"Augusta Ada\",\"PhoneNumbers\":{\"1\":{\"phoneNumber\":\"+31 20 765 4321\",\"type\":\"primary\"},\"DELETE\":[]}},"
                + "\"acceptTerms\":\"true\",\"acceptTermsTs\":\"2026\\/12\\/02 04:20:00\",\"acceptTermsIp\":\"203.0.113.7\"}]"));
        assertThat(updated.asText()).isEqualTo(candidate.asText());
    }

    String procedureStatusLists() {
        var calls = new ArrayList<String>();
        for (int step = 1; step <= 3; step++) {
            calls.add("{\"method\":\"Otys.Services.ProcedureStatus" + step + "Service.getList\",\"args\":[" + s() + ",{\"limit\":500,"
                    + "\"condition\":null,\"excludeLimitCheck\":true,\"what\":{\"uid\":true,\"code\":true,\"automaticallySelectEvent\":true}}]}");
        }
        return "{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.MultiService.execute\",\"params\":[[" + String.join(",", calls) + "]],\"id\":1}";
    }

    boolean procedureExists(String candidate, String vacancy) {
        var found = result(wrapped("Otys.Services.ProcedureService.getListEx", "[" + s() + ",{\"what\":{\"uid\":1},\"limit\":1,\"offset\":0,"
                + "\"getTotalCount\":true,\"sort\":{\"entryDateTime\":\"DESC\"},\"excludeLimitCheck\":true,\"condition\":{\"type\":\"AND\",\"items\":["
                + "{\"type\":\"COND\",\"field\":\"candidateUid\",\"op\":\"EQ\",\"param\":\"" + candidate + "\"},"
                + "{\"type\":\"COND\",\"field\":\"vacancyUid\",\"op\":\"EQ\",\"param\":\"" + vacancy + "\"}]}}]"));
        return !found.path("listOutput").isEmpty();
    }

    @Test
    void procedures_aProcedureNeedsTheCandidateAndTheVacancyToExist() {
        var candidate = ows.result("Otys.Services.CandidateService.add", "[" + s() + ",{\"Person\":{\"lastName\":\"Hopper\"}}]").asText();
        var missingCandidate = wrapped("Otys.Services.ProcedureService.add", "[" + s() + ",{\"candidateUid\":\"nobody\",\"vacancyUid\":\"" + vacancy + "\"}]");
        assertThat(missingCandidate.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(missingCandidate.path("error").path("message").asText()).contains("candidateUid").contains("nobody");
        var missingVacancy = wrapped("Otys.Services.ProcedureService.add", "[" + s() + ",{\"candidateUid\":\"" + candidate + "\",\"vacancyUid\":\"none\"}]");
        assertThat(missingVacancy.path("error").path("message").asText()).contains("vacancyUid");
        var noVacancy = wrapped("Otys.Services.ProcedureService.add", "[" + s() + ",{\"candidateUid\":\"" + candidate + "\"}]");
        assertThat(noVacancy.path("error").path("message").asText()).contains("vacancyUid").contains("obligatory");
        assertThat(ows.result("Otys.Services.ProcedureService.getListEx", "[" + s() + ",{\"getTotalCount\":1}]").path("totalCount").asInt()).isZero();
    }

    @Test
    void gdprSettings_readInOneKeyedMultiServiceCall() {
        // QuestionsetModel::getGDPRSettings: a batch keyed by name answers an object with the same names, each read as ["data"]
        var names = List.of("gdpr_enabled", "gdpr_enabled_application", "gdpr_enabled_open_application", "gdpr_declined", "gdpr_accepted");
        var codes = List.of("SE2995", "SE3004", "SE3348", "SE2997", "SE2999");
        var calls = new ArrayList<String>();
        for (int i = 0; i < names.size(); i++) {
            calls.add("\"" + names.get(i) + "\":{\"method\":\"Otys.Services.CsmService.getValue\",\"args\":[" + s() + ",[\"" + codes.get(i) + "\"],"
                    + clientId + "]}");
        }
        var body = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.MultiService.execute\",\"params\":[{" + String.join(",", calls)
                + "}],\"id\":1}");
        assertThat(body.toString()).doesNotContain("\"error\"");
        var settings = result(body);
        assertThat(settings.fieldNames()).toIterable().containsExactlyElementsOf(names);
        assertThat(settings.path("gdpr_enabled").path("status").asText()).isEqualTo("ok");
        assertThat(settings.path("gdpr_enabled").path("data").path("SE2995").path("value").asBoolean()).as("true == 1 in PHP").isTrue();
        assertThat(settings.path("gdpr_enabled_application").path("data").path("SE3004").path("value").asBoolean()).isTrue();
        assertThat(settings.path("gdpr_enabled_open_application").path("data").path("SE3348").path("value").asBoolean()).isFalse();
        assertThat(settings.path("gdpr_declined").path("data").path("SE2997").path("value").asInt()).isEqualTo(30);
        assertThat(settings.path("gdpr_accepted").path("data").path("SE2999").path("value").asInt()).isEqualTo(12);

        // QuestionsetModel::isGdprEnabled: one code as a string answers {"value":…}; the client id it passes is OTYS's own
        var enabled = result(wrapped("Otys.Services.CsmService.getValue", "[" + s() + ",\"SE2995\",3210,0,0]"));
        assertThat(enabled.path("value").asBoolean()).isTrue();

        var unknown = ows.call("Otys.Services.CsmService.getValue", "[" + s() + ",[\"SE0001\"]," + clientId + "]");
        assertThat(unknown.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(unknown.path("error").path("message").asText()).contains("SE0001").contains("SE2995");
    }

    @Test
    void mail_theSendingProfileOfTheWebsite() {
        // MailModel::getSendingProfile: {"0":session,"what":{…}} inside wrapRequest, which used to read as no session at all
        var profiles = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"en\","
                + "{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.SendingProfileService.getList\",\"params\":{\"0\":" + s() + ",\"what\":"
                + "{\"uid\":1,\"name\":1,\"email\":1,\"siteId\":1,\"signatureId\":1}},\"id\":1}],\"id\":1}"));
        assertThat(profiles).hasSize(1);
        assertThat(profiles.get(0).path("siteId").isInt()).as("compared with === to the site id").isTrue();
        assertThat(profiles.get(0).path("siteId").asInt()).isEqualTo(1);
        assertThat(profiles.get(0).path("email").asText()).isEqualTo("jobs@example.com");
        assertThat(profiles.get(0).has("isStandardProfile")).as("only what was asked for").isFalse();
    }
}

package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.query.Condition;
import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import io.dossier.server.demo.DemoJobAlerts;
import io.dossier.server.demo.DemoStandardDocuments;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OTYS's WordPress plugin against a career site set up as the demo tenant of {@code dossier dev} is: every method the
 * plugin calls answers, and its flows run end to end with the request bodies its {@code OtysApi::post}
 * builds (PHP's {@code json_encode}; the session put first; most calls inside
 * {@code LanguageService.wrapRequest}, those the plugin posts with {@code $languageWrap = false} not):
 * the vacancy list, a vacancy by its slug, keyword search, an application with a CV, the job alert
 * form (sign-up, confirmation mail, confirm, unsubscribe), the e-mail templates its settings page
 * makes, GDPR due dates, search filters, Google for Jobs, referrer portals and assignments. Each
 * thing added is tried from another tenant and through a client filter.
 */
class OwsPluginDemoIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String FORM_NAME = "WordPress JobAlert (Do not edit or remove)";

    /**
     * Every method the plugin's code names (73, with the two question set methods it names by a
     * variable), but the one Dossier answers "not supported". The WebhooksService methods and the
     * two it only receives in webhook notifications ({@code VacancyService.setExtraFieldValue},
     * {@code MatchCriteriaSettingsService.update}) are tested with its bytes in OwsWebhooksServiceIT.
     */
    static final List<String> PLUGIN_METHODS = List.of(
            "AttachedDocumentsService.add", "CandidateQuestionSetService.getListEx", "CandidateService.add",
            "CandidateService.getDetail", "CandidateService.getListEx", "CandidateService.getOptionLists",
            "CandidateService.setGdprDueDatePartner", "CandidateService.updateEx", "CsmService.getValue", "EmailService.getEmptyMessage",
            "EmailService.getEmptyMessageForUser", "EmailService.send", "EmailService.setSendAs", "FreeInteractionAnswerSetService.getDetail",
            "FreeInteractionService.add", "FreeInteractionService.getListEx", "FreeInteractionService.getOptionListsEx",
            "FreeInteractionService.sessionCommit", "FreeInteractionService.sessionStart", "FreeInteractionService.sessionSubmit",
            "FreeInteractionService.update", "FreeInteractionService.updateWithVersioning", "GoogleForJobsService.getMappingValues",
            "JobSearchAgentService.getDetail", "JobSearchAgentService.getListEx", "LanguageService.wrapRequest", "MultiService.execute",
            "OCDService.createWebuserAndBind", "OCDService.loginUser", "ProcedureService.add", "ProcedureService.getListEx",
            "ProcedureStatus1Service.getList", "ProcedureStatus2Service.getList", "ProcedureStatus3Service.getList",
            "QuestionSetService.getDetail", "QuestionSetService.getDetailWithGdprConsent", "QuestionSetService.getVacancyQsIdByVacancyOuid",
            "ReferrerPortalService.getListEx", "RelationService.getList", "Sdv2QuestionService.add", "Sdv2QuestionService.getList",
            "Sdv2SnippetService.add", "Sdv2StandardDocumentService.add", "Sdv2StandardDocumentService.fetchLanguageVersionUid",
            "Sdv2StandardDocumentService.fetchMultiLangOuid", "Sdv2StandardDocumentService.getListEx",
            "Sdv2StandardDocumentService.mergeDocument", "Sdv2StandardDocumentService.update",
            "Sdv2StandardDocumentSnippetService.addRecursive", "SendingProfileService.getList", "UserService.getDetail", "UserService.getList",
            "VacancyService.getDetail", "VacancyService.getDetailBySlug", "VacancyService.getExtraFieldsList", "VacancyService.getListEx",
            "VacancyService.getOptionLists", "VacancyService.getSearchFacilityInfoNoCache", "VacancyService.incrementViewCount",
            "VacancyService.saveUrlFormat", "VacancyTextFieldService.getList", "WebsiteService.getList", "WebusersService.getListEx",
            "WebusersService.setNewPassword",
            "WebhooksService.add", "WebhooksService.delete", "WebhooksService.getList", "WebhooksService.getLogs",
            // named in the webhook notifications it handles, and answered too
            "VacancyService.delete", "MatchCriteriaService.update", "VacancyService.setExtraFieldValue",
            "MatchCriteriaSettingsService.update");
    /** What Dossier answers "not supported" among them, and says so in the README. */
    static final Set<String> NOT_SUPPORTED = Set.of("CandidateService.generateFoLoginToken");

    static TestServer server;
    static Ows ows;
    static String session;

    @BeforeAll
    static void careerSite() {
        // the demo tenant's career-site data, on a tenant of its own (seeding all of the demo takes minutes on a busy machine)
        server = TestServer.shared();
        ows = Ows.newTenant(server, List.of("en", "nl")).withoutRateLimit();
        session = ows.login();
        OwsWordPressPluginIT.setUp(ows, session);
        var s = "[\"" + session + "\",";
        var titles = List.of("Senior Java developer", "Warehouse team lead", "Payroll administrator");
        for (var title : titles) {
            ows.result("Otys.Services.CandidateService.add", s + "{\"Person\":{\"lastName\":\"Placed " + title + "\"}}]");
            ows.result("Otys.Services.RelationService.add", s + "{\"name\":\"Customer of " + title + "\"}]");
        }
        var dossier = server.server().dossier();
        DemoStandardDocuments.seed(dossier.records(), dossier.schemas(), ows.tenantId(), List.of("en", "nl"));
        DemoJobAlerts.seed(dossier.records(), dossier.schemas(), ows.tenantId());
        var sectors = List.of("1:1", "1:3", "1:2");   // IT, Logistics, Finance: terms of the demo's match criterion 1 (Sector)
        for (int i = 0; i < titles.size(); i++) {
            var title = titles.get(i);
            ows.result("Otys.Services.VacancyService.add", s + "{\"title\":\"" + title + "\",\"published\":true,\"publishedFrom\":\"2026-11-01\","
                    + "\"slug\":\"" + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "\",\"publishedWebsites\":{\"1\":{\"siteId\":1}},"
                    + "\"MatchCriteria\":{\"1\":{\"term\":\"" + sectors.get(i) + "\"}}}]");
        }
    }

    /** {@code OtysApi::post} with its language wrap. */
    static JsonNode wrapped(String method, String params) {
        return ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"en\",{\"jsonrpc\":\"2.0\","
                + "\"method\":\"Otys.Services." + method + "\",\"params\":" + params + ",\"id\":1}],\"id\":1}");
    }

    /** {@code OtysApi::post} with {@code $languageWrap = false}. */
    static JsonNode plain(String method, String params) {
        return ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services." + method + "\",\"params\":" + params + ",\"id\":1}");
    }

    static JsonNode result(JsonNode body) {
        assertThat(body.has("error")).as("the plugin treats any 'error' key as a failure: %s", body).isFalse();
        return body.path("result");
    }

    static String s() {
        return "\"" + session + "\"";
    }

    // ---- every method answers

    @Test
    void everyMethodThePluginCallsIsOneDossierAnswers() {
        var missing = new ArrayList<String>();
        for (var method : PLUGIN_METHODS) {
            var body = plain(method, "[" + s() + "]");
            var code = body.path("error").path("code").asInt(0);
            var message = body.path("error").path("message").asText("");
            if (code == -32601 || message.startsWith("Method not")) {
                missing.add(method + ": " + message);
            }
        }
        assertThat(missing).isEmpty();
        for (var method : NOT_SUPPORTED) {
            assertThat(plain(method, "[" + s() + ",\"x\",1]").path("error").path("message").asText())
                    .isEqualTo("Method not supported by Dossier: Otys.Services." + method);
        }
    }

    // ---- the demo career site: list, show, search, apply

    @Test
    void demoVacancies_listedShownFoundByKeywordAndAppliedForWithACv() throws Exception {
        var list = result(ows.rpc(OwsActonomySearchIT.vacancyListBody(session, "", 10, 0).replace(
                "\"keywords\":{\"options\":{\"enableExpansion\":false,\"required\":true,\"searchList\":[\"title\",\"chapo\",\"description\","
                        + "\"external_reference\",\"profile_culture\",\"refs\",\"salary\",\"all_extra_fields\"],\"searchMode\":\"one\"},\"value\":\"\"},", "")));
        assertThat(list.path("listOutput").size()).isBetween(1, 10);
        var total = list.path("searchExtras").path("ACTONOMY").path("totalCount").asInt();
        assertThat(total).as("the plugin divides by it").isGreaterThanOrEqualTo(list.path("listOutput").size());
        var first = list.path("listOutput").get(0);
        var slug = first.path("slug").asText();
        assertThat(slug).isNotBlank();

        // VacanciesDetailModel::get by slug, the view counted
        var shown = result(wrapped("VacancyService.getDetailBySlug", "[" + s() + ",\"" + slug + "\",{\"uid\":1,\"textFieldTitles\":1,"
                + "\"title\":1,\"textField_description\":1,\"publishedWebsites\":1,\"slug\":1,\"userId\":1}]"));
        assertThat(shown.path("uid").asText()).isEqualTo(first.path("uid").asText());
        assertThat(shown.path("publishedWebsites").has("1")).isTrue();
        assertThat(result(wrapped("VacancyService.incrementViewCount", "[" + s() + ",\"" + first.path("uid").asText() + "\"]")).asBoolean()).isTrue();

        // keyword search: a word of the first vacancy's title finds it, ranked
        var word = first.path("title").asText().split("\\s+")[0];
        var found = result(ows.rpc(OwsActonomySearchIT.vacancyListBody(session, word, 50, 0)));
        var uids = new ArrayList<String>();
        found.path("listOutput").forEach(v -> uids.add(v.path("uid").asText()));
        assertThat(uids).contains(first.path("uid").asText());
        assertThat(found.path("totalCount").asInt()).isEqualTo(found.path("listOutput").size());

        // an application with a CV: e-mail lookup (none), add, upload, attach as type 1, procedure with the auto-selected statuses
        var email = "applicant-" + System.nanoTime() + "@example.com";
        assertThat(result(ows.rpc(OwsActonomySearchIT.emailLookupBody(session, email))).path("listOutput")).isEmpty();
        var candidate = result(wrapped("CandidateService.add", "[" + s() + ",{\"pointOfEntry\":\"web\",\"varCopy\":null,\"vcaCopy\":null,"
                + "\"statusId\":-1,\"originSiteId\":1,\"source\":\"website\",\"Person\":{\"languageCode\":\"en\",\"firstName\":\"Grace\","
                + "\"lastName\":\"Hopper\",\"emailPrimary\":\"" + email + "\"},\"acceptTerms\":\"true\"}]"));
        assertThat(candidate.isTextual()).isTrue();
        assertThat(result(ows.rpc(OwsActonomySearchIT.emailLookupBody(session, email))).path("listOutput").get(0).path("uid").asText())
                .isEqualTo(candidate.asText());
        var boundary = "Zq!1@2#3$4%5^6&7*8(9)0";
        var upload = new ByteArrayOutputStream();
        upload.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"grace-cv.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n% a CV\n\r\n--" + boundary + "\r\nContent-Disposition: form-data; "
                + "name=\"sessionId\"\r\nContent-Type: application/json\r\n\r\n" + session + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        var uploaded = CLIENT.send(HttpRequest.newBuilder(server.uri("/ows/fileService.php")).header("content-type",
                "multipart/form-data;boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(upload.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        var ouid = JSON.readTree(uploaded.body()).elements().next().path("ouid").asText();
        var vacancy = first.path("uid").asText();
        assertThat(result(wrapped("AttachedDocumentsService.add", "[" + s() + ",{\"subject\":\"grace-cv.pdf\",\"private\":\"false\","
                + "\"customerRightsLevel\":0,\"alwaysOnTop\":\"false\",\"description\":\"\",\"fileUid\":\"" + ouid + "\",\"typeId\":\"1\","
                + "\"candidateUid\":\"" + candidate.asText() + "\",\"applicationUid\":\"" + vacancy + "\"}]")).isTextual()).isTrue();
        var statuses = new ArrayList<String>();
        for (int step = 1; step <= 3; step++) {
            for (var option : result(plain("ProcedureStatus" + step + "Service.getList", "[" + s() + ",{\"limit\":500,\"condition\":null,"
                    + "\"excludeLimitCheck\":true,\"what\":{\"uid\":true,\"code\":true,\"automaticallySelectEvent\":true}}]"))) {
                if (option.path("automaticallySelectEvent").asInt() == 1) {
                    statuses.add(step + "_" + option.path("uid").asText());
                }
            }
        }
        assertThat(statuses).hasSize(3);
        var procedure = result(wrapped("ProcedureService.add", "[" + s() + ",{\"candidateUid\":\"" + candidate.asText() + "\",\"vacancyUid\":\""
                + vacancy + "\",\"ProcedureStatus1\":{\"uid\":\"" + statuses.get(0) + "\"},\"ProcedureStatus2\":{\"uid\":\"" + statuses.get(1)
                + "\"},\"ProcedureStatus3\":{\"uid\":\"" + statuses.get(2) + "\"},\"UtmTags\":[]}]"));
        assertThat(procedure.isTextual()).isTrue();
        var dossier = ows.result("Otys.Services.DossierService.getList", "[" + s() + ",{\"objectEntityId\":2,\"objectUid\":\"" + candidate.asText() + "\"}]");
        assertThat(dossier).hasSize(1);
        assertThat(dossier.get(0).path("type").asText()).isEqualTo("CV");
        assertThat(result(wrapped("ProcedureService.getListEx", "[" + s() + ",{\"what\":{\"uid\":1},\"limit\":1,\"getTotalCount\":true,"
                + "\"condition\":{\"type\":\"AND\",\"items\":[{\"type\":\"COND\",\"field\":\"candidateUid\",\"op\":\"EQ\",\"param\":\""
                + candidate.asText() + "\"},{\"type\":\"COND\",\"field\":\"vacancyUid\",\"op\":\"EQ\",\"param\":\"" + vacancy + "\"}]}}]"))
                .path("listOutput").get(0).path("uid").asText()).isEqualTo(procedure.asText());

        // QuestionsetModel::setGDPR: consent kept 12 months (SE2999) from today
        assertThat(plain("CandidateService.setGdprDueDatePartner", "[" + s() + ",\"" + candidate.asText() + "\",12,\"otherYes\",false,false]")
                .toString()).isEqualTo("{\"result\":true,\"id\":1}");
        var gdpr = ows.result("Otys.Services.CandidateService.getDetail", "[" + s() + ",\"" + candidate.asText() + "\",{\"gdprConsentUntil\":1,"
                + "\"gdprConsent\":1}]");
        assertThat(gdpr.path("gdprConsentUntil").asText()).isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusMonths(12).toString());
        assertThat(gdpr.path("gdprConsent").asBoolean()).isTrue();
        assertThat(plain("CandidateService.setGdprDueDatePartner", "[" + s() + ",\"" + candidate.asText() + "\",30,\"maybe\",false,false]")
                .path("error").path("code").asInt()).isEqualTo(-32602);
    }

    // ---- job alerts

    /** JobAlertModel::getJobAlertInteractionFormId's list of forms. */
    static JsonNode forms(Ows in, String session) {
        return result(in.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"en\",{\"jsonrpc\":"
                + "\"2.0\",\"method\":\"Otys.Services.FreeInteractionService.getListEx\",\"params\":[\"" + session + "\",{\"what\":{\"uid\":1,"
                + "\"name\":1,\"actionId\":1},\"limit\":999,\"sort\":{\"entryDateTime\":\"DESC\"},\"condition\":{\"type\":\"AND\",\"items\":"
                + "[{\"type\":\"COND\",\"field\":\"deleted\",\"op\":\"EQ\",\"param\":false}]}}],\"id\":1}],\"id\":1}"));
    }

    /** The job alert form as the plugin makes it on first use: add, the field catalogue, the fields added. */
    static String jobAlertForm(Ows in, String session) {
        var s = "\"" + session + "\"";
        var existing = new ArrayList<String>();
        forms(in, session).path("listOutput").forEach(f -> {
            if (f.path("name").asText().equals(FORM_NAME)) {
                existing.add(f.path("uid").asText());
            }
        });
        if (!existing.isEmpty()) {
            return existing.getFirst();
        }
        var form = result(in.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.FreeInteractionService.add\",\"params\":[" + s
                + ",{\"name\":\"" + FORM_NAME + "\"}],\"id\":1}"));
        assertThat(form.isTextual()).isTrue();
        var options = result(in.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"en\",{\"jsonrpc\":"
                + "\"2.0\",\"method\":\"Otys.Services.FreeInteractionService.getOptionListsEx\",\"params\":[" + s + ",[\"Fields.dbFieldId\"]],"
                + "\"id\":1}],\"id\":1}")).path("Fields.dbFieldId");
        var add = new ArrayList<String>();
        for (var option : options) {
            // getJobAlertInteractionFieldOptions: its fields, all mandatory but the criteria, e-mail checked as e-mail
            var criteria = option.path("typeUi").asText().equals("Criteria");
            var uid = option.path("uid").asInt();
            if (!option.path("category").asText().equals("JobSearchAgent")
                    || !criteria && !List.of(486, 463, 460, 461, 462, 464).contains(uid)) {
                continue;
            }
            add.add("{\"name\":" + JSON.valueToTree(option.path("value").asText()) + ",\"typeUi\":\"" + option.path("typeUi").asText()
                    + "\",\"dbFieldId\":" + uid + ",\"useInPdf\":false,\"Validation\":{\"mandatory\":" + !criteria + ",\"email\":" + (uid == 463)
                    + ",\"phone\":false}}");
        }
        assertThat(add).hasSizeGreaterThan(6);
        assertThat(result(in.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.FreeInteractionService.updateWithVersioning\",\"params\":["
                + s + "," + form + ",{\"actionId\":\"InsertJobSearchAgent\",\"Fields\":{\"ADD\":[" + String.join(",", add) + "]}}],\"id\":1}"))
                .asBoolean()).isTrue();
        return form.asText();
    }

    /** Signs up for a job alert as the form's page does: session, answers (as filterData completes them), commit. */
    static JsonNode signUp(Ows in, String session, String form, String email, List<String> sectors) {
        var s = "\"" + session + "\"";
        var started = result(in.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"en\",{"
                + "\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.FreeInteractionService.sessionStart\",\"params\":[" + s + "," + form
                + ",null,null,null],\"id\":1}],\"id\":1}"));
        var sessionId = started.path("sessionId").asText();
        var answers = new LinkedHashMap<String, Object>();
        started.path("form").path("Fields").properties().forEach(field -> {
            var f = field.getValue();
            switch (f.path("wsField").asText()) {
                case "email" -> answers.put(field.getKey(), email);
                case "class" -> answers.put(field.getKey(), "vacancyAdvancedSearchRequest");
                case "siteId" -> answers.put(field.getKey(), 1);
                case "name" -> answers.put(field.getKey(), "Jobalert");
                case "period" -> answers.put(field.getKey(), "7");
                case "cmsLanguage" -> f.path("Answers").forEach(a -> {
                    if (a.path("answer").asText().equals("EN")) {
                        answers.put(field.getKey(), a.path("uid").asText());
                    }
                });
                case "matchCriteria_1" -> {
                    var chosen = new ArrayList<String>();
                    f.path("Answers").forEach(a -> {
                        if (sectors.contains(a.path("value").path("answer").asText())) {
                            chosen.add(a.path("uid").path("answer").asText());
                        }
                    });
                    answers.put(field.getKey(), chosen);
                }
                default -> { }
            }
        });
        // InteractionsModel::submit is declared to return an array: an object, not true
        assertThat(result(in.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.FreeInteractionService.sessionSubmit\",\"params\":[" + s
                + ",\"" + sessionId + "\"," + JSON.valueToTree(answers) + "],\"id\":1}")).path("sessionId").asText()).isEqualTo(sessionId);
        return result(in.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.FreeInteractionService.sessionCommit\",\"params\":[" + s + ",\""
                + sessionId + "\"],\"id\":1}"));
    }

    @Test
    void jobAlert_signUpConfirmationMailConfirmAndUnsubscribe() {
        var form = jobAlertForm(ows, session);
        assertThat(jobAlertForm(ows, session)).as("found again, not made twice").isEqualTo(form);
        assertThat(plain("JobSearchAgentService.getListEx", "[" + s() + ",[\"Person.languageCode\"]]").has("error"))
                .as("AdminJobAlertModel::isEnabled").isFalse();

        // the form as the page shows it: the e-mail field checked as e-mail, the sectors as the criterion's answers
        var started = result(wrapped("FreeInteractionService.sessionStart", "[" + s() + "," + form + ",null,null,null]"));
        var fields = new ArrayList<JsonNode>();
        started.path("form").path("Fields").forEach(fields::add);
        var emailField = fields.stream().filter(f -> f.path("wsField").asText().equals("email")).findFirst().orElseThrow();
        assertThat(emailField.path("Validation").path("email").asBoolean()).isTrue();
        assertThat(emailField.path("Validation").path("mandatory").asBoolean()).isTrue();
        var sectors = fields.stream().filter(f -> f.path("wsField").asText().equals("matchCriteria_1")).findFirst().orElseThrow();
        assertThat(sectors.path("typeUi").asText()).isEqualTo("Criteria");
        assertThat(sectors.path("name").asText()).isEqualTo("Sector");
        assertThat(sectors.path("Answers").path("1").path("value").path("answer").asText()).isEqualTo("IT");

        // JobAlertController::successCallback
        var committed = signUp(ows, session, form, "alert@example.com", List.of("IT", "Finance"));
        var agentUid = committed.path("addedRecordUid").asText();
        assertThat(committed.path("answerSetId").isInt()).as("WebhooksModel checks is_int").isTrue();
        var agent = result(plain("JobSearchAgentService.getDetail", "[" + s() + ",\"" + agentUid + "\"]"));
        assertThat(agent.path("email").asText()).isEqualTo("alert@example.com");
        assertThat(agent.path("code").asText()).matches("[0-9a-f]{32}");
        assertThat(agent.path("active").asBoolean()).isFalse();
        assertThat(agent.path("siteId").asInt()).isEqualTo(1);
        assertThat(agent.path("languageCode").asText()).isEqualTo("en");
        assertThat(agent.path("Criteria")).hasSize(2);
        var answerSet = result(plain("FreeInteractionAnswerSetService.getDetail", "[" + s() + ",\"" + committed.path("answerSetId").asInt()
                + "\",{\"uid\":1,\"Bindings\":1}]"));
        assertThat(answerSet.path("uid").asText()).isEqualTo(committed.path("answerSetId").asText());
        var unanswered = plain("FreeInteractionService.sessionCommit", "[" + s() + ",\"" + started.path("sessionId").asText() + "\"]");
        assertThat(unanswered.path("error").path("code").asInt()).as("a job alert needs an address").isEqualTo(-32602);
        assertThat(unanswered.path("error").path("message").asText()).contains("e-mail");

        // the confirmation mail: standard document 3 with the links as answers, sent to the agent's address
        var code = agent.path("code").asText();
        var link = "https://careers.example/index.php/page/advsearchvacs/bb/1/command/activatesq/uid/" + code;
        var document = result(wrapped("Sdv2StandardDocumentService.mergeDocument", "[" + s() + ",3,{\"answers\":{\"activation_link\":\"" + link
                + "\",\"delete_link\":\"https://careers.example/x/deletesq/uid/" + code + "\",\"website_search_link\":\"https://wp.example/jobalert/"
                + code + "/\",\"website_link\":\"https://wp.example/\"},\"relatedEntities\":[]}]"));
        assertThat(document.path("htmlBody").asText()).contains("href=\"" + link + "\"").doesNotContain("«");
        assertThat(result(wrapped("EmailService.send", "[" + s() + ",{\"subject\":" + document.path("subject") + ",\"htmlMessage\":"
                + document.path("htmlBody") + ",\"To\":\"alert@example.com\"}]")).asBoolean()).isTrue();

        // confirm: the agent found by its code and made active; unsubscribe: deleted
        var byCode = "[" + s() + ",{\"what\":{\"uid\":1,\"active\":1},\"condition\":{\"type\":\"COND\",\"field\":\"code\",\"op\":\"EQ\",\"param\":\""
                + code + "\"}}]";
        assertThat(result(plain("JobSearchAgentService.getListEx", byCode)).path("listOutput").get(0).path("uid").asText()).isEqualTo(agentUid);
        assertThat(result(plain("JobSearchAgentService.update", "[" + s() + ",\"" + agentUid + "\",{\"active\":true}]")).asBoolean()).isTrue();
        assertThat(result(plain("JobSearchAgentService.getListEx", byCode)).path("listOutput").get(0).path("active").asBoolean()).isTrue();
        assertThat(result(plain("JobSearchAgentService.delete", "[" + s() + ",\"" + agentUid + "\"]")).asBoolean()).isTrue();
        assertThat(result(plain("JobSearchAgentService.getListEx", byCode)).path("listOutput")).isEmpty();

        // a session is committed once (the refused one above stayed open); a field the form does not have is refused
        assertThat(result(plain("FreeInteractionService.sessionSubmit", "[" + s() + ",\"" + started.path("sessionId").asText() + "\",{\""
                + emailField.path("uid").asText() + "\":\"late@example.com\"}]")).isObject()).isTrue();
        assertThat(result(plain("FreeInteractionService.sessionCommit", "[" + s() + ",\"" + started.path("sessionId").asText() + "\"]"))
                .path("addedRecordUid").asText()).isNotBlank();
        var again = plain("FreeInteractionService.sessionCommit", "[" + s() + ",\"" + started.path("sessionId").asText() + "\"]");
        assertThat(again.path("error").path("message").asText()).contains("committed already");
        var other = result(wrapped("FreeInteractionService.sessionStart", "[" + s() + "," + form + ",null,null,null]")).path("sessionId").asText();
        assertThat(plain("FreeInteractionService.sessionSubmit", "[" + s() + ",\"" + other + "\",{\"999\":\"x\"}]").path("error").path("code").asInt())
                .isEqualTo(-32602);
        assertThat(plain("FreeInteractionService.sessionCommit", "[" + s() + ",\"no-such-session\"]").path("error").path("code").asInt()).isEqualTo(404);

        // JobAlertModel::delete
        assertThat(result(plain("FreeInteractionService.update", "[" + s() + "," + form + ",{\"deleted\":true}]")).asBoolean()).isTrue();
        assertThat(forms(ows, session).path("listOutput").findValuesAsText("uid")).doesNotContain(form);
        assertThat(wrapped("FreeInteractionService.sessionStart", "[" + s() + "," + form + ",null,null,null]").path("error").path("code").asInt())
                .isEqualTo(404);
    }

    @Test
    void jobAlerts_anotherTenantAndAFilteredClientSeeNoneOfThem() {
        var form = jobAlertForm(ows, session);
        var agentUid = signUp(ows, session, form, "private@example.com", List.of("IT")).path("addedRecordUid").asText();
        var started = result(wrapped("FreeInteractionService.sessionStart", "[" + s() + "," + form + ",null,null,null]")).path("sessionId").asText();

        var other = Ows.newTenant(server, List.of("en"));
        var o = "\"" + other.login() + "\"";
        assertThat(other.call("Otys.Services.JobSearchAgentService.getDetail", "[" + o + ",\"" + agentUid + "\"]").path("error").path("code").asInt())
                .isEqualTo(404);
        assertThat(other.result("Otys.Services.JobSearchAgentService.getListEx", "[" + o + ",{\"getTotalCount\":1}]").path("totalCount").asInt())
                .isZero();
        assertThat(other.call("Otys.Services.FreeInteractionService.sessionSubmit", "[" + o + ",\"" + started + "\",{\"1\":\"x\"}]")
                .path("error").path("code").asInt()).isEqualTo(404);
        assertThat(other.call("Otys.Services.FreeInteractionService.sessionStart", "[" + o + "," + form + ",null,null,null]")
                .path("error").path("code").asInt()).isEqualTo(404);
        assertThat(other.call("Otys.Services.FreeInteractionService.updateWithVersioning", "[" + o + "," + form + ",{\"Fields\":{\"ADD\":[]}}]")
                .path("error").path("code").asInt()).isEqualTo(404);
        assertThat(other.result("Otys.Services.MatchCriteriaService.getListEx", "[" + o + ",{\"getTotalCount\":1}]").path("totalCount").asInt()).isZero();
        assertThat(other.result("Otys.Services.VacancyService.getSearchFacilityInfoNoCache", "[" + o + ",\"ACTONOMY\"]").path("matchcriteria"))
                .isEmpty();
        assertThat(other.result("Otys.Services.ReferrerPortalService.getListEx", "[" + o + ",{\"getTotalCount\":1}]").path("totalCount").asInt()).isZero();
        assertThat(other.result("Otys.Services.AssignmentService.getListEx", "[" + o + ",{\"getTotalCount\":1}]").path("totalCount").asInt()).isZero();
        assertThat(other.call("Otys.Services.Sdv2StandardDocumentService.mergeDocument", "[" + o + ",3,{}]").path("error").path("code").asInt())
                .isEqualTo(404);
        assertThat(other.call("Otys.Services.Sdv2StandardDocumentSnippetService.addRecursive", "[" + o + ",1,1]").path("error").path("code").asInt())
                .isEqualTo(404);

        // the other methods added, on this tenant's records, from the other tenant
        var candidate = ows.result("Otys.Services.CandidateService.add", "[" + s() + ",{\"Person\":{\"lastName\":\"Mine\"}}]").asText();
        var vacancy = ows.result("Otys.Services.VacancyService.add", "[" + s() + ",{\"title\":\"Mine\",\"published\":true,"
                + "\"publishedWebsites\":{\"1\":{\"siteId\":1}}}]").asText();
        assertThat(other.call("Otys.Services.CandidateService.setGdprDueDatePartner", "[" + o + ",\"" + candidate + "\",12,\"otherYes\",false,false]")
                .path("error").path("code").asInt()).isEqualTo(404);
        assertThat(other.call("Otys.Services.GoogleForJobsService.getMappingValues", "[" + o + ",\"" + vacancy + "\",1]").path("error").path("code")
                .asInt()).isEqualTo(404);
        assertThat(other.call("Otys.Services.VacancyService.saveUrlFormat", "[" + o + ",\"x\",1,\"en\",{\"domain\":\"https://evil.example\"}]")
                .path("error").path("code").asInt()).isEqualTo(404);
        assertThat(other.call("Otys.Services.Sdv2StandardDocumentService.update", "[" + o + ",3,{\"subject\":\"hijacked\"}]").path("error")
                .path("code").asInt()).isEqualTo(404);
        assertThat(other.call("Otys.Services.Sdv2StandardDocumentService.fetchLanguageVersionUid", "[" + o + ",3,\"en\"]").path("error")
                .path("code").asInt()).isEqualTo(404);
        assertThat(other.result("Otys.Services.Sdv2QuestionService.getList", "[" + o + ",{}]")).isEmpty();
        assertThat(other.result("Otys.Services.FreeInteractionAnswerSetService.getListEx", "[" + o + ",{\"getTotalCount\":1}]").path("totalCount")
                .asInt()).isZero();
        assertThat(ows.result("Otys.Services.CandidateService.getDetail", "[" + s() + ",\"" + candidate + "\",{\"gdprConsentUntil\":1}]")
                .path("gdprConsentUntil").isNull()).isTrue();

        // a client of the demo tenant whose filter shows only agents of website 2 sees none of website 1's
        var dossier = server.server().dossier();
        var key = dossier.identities().createClient(ows.tenantId(), ClientKind.OWS_API_KEY, "site 2", ows.userId(), Set.of());
        dossier.callers().setFilter(ows.tenantId(), key.client().id(), "recruiting.JobSearchAgent",
                new Condition.Compare("siteId", Condition.Op.EQ, 2L));
        var filtered = "\"" + ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"loginByUid\",\"params\":[\"" + key.secret() + "\"],\"id\":1}")
                .path("result").asText() + "\"";
        assertThat(ows.call("Otys.Services.JobSearchAgentService.getDetail", "[" + filtered + ",\"" + agentUid + "\"]").path("error").path("code")
                .asInt()).isEqualTo(404);
        assertThat(ows.call("Otys.Services.JobSearchAgentService.update", "[" + filtered + ",\"" + agentUid + "\",{\"active\":true}]")
                .path("error").path("code").asInt()).isEqualTo(404);
        // and what its job alert form makes must be inside its filter
        var outside = ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.FreeInteractionService.sessionCommit\",\"params\":[" + filtered
                + ",\"" + result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.FreeInteractionService.sessionStart\",\"params\":["
                + filtered + "," + form + "],\"id\":1}")).path("sessionId").asText() + "\"],\"id\":1}");
        assertThat(outside.has("error")).as("an agent without a website 2 is outside: %s", outside).isTrue();
    }

    // ---- what the plugin's settings page makes: e-mail templates from snippets and questions

    @Test
    void emailTemplates_aDocumentPerLanguageFromSnippetsWithQuestions() {
        // AdminSettingsModel::createDefaultDocuments, for "Candidate new password" in English then Dutch
        var en = result(plain("Sdv2StandardDocumentService.add", "[" + s() + ",{\"subject\":\"New password\",\"defaultOutput\":\"Email\","
                + "\"isGlobal\":true,\"defaultFormat\":\"Word\",\"languageCode\":\"en\",\"name\":\"WordPress | Candidate new password (default)\"}]"));
        assertThat(en.isInt()).isTrue();
        assertThat(result(plain("Sdv2StandardDocumentService.update", "[" + s() + "," + en + ",{\"defaultOutput\":\"Email\"}]")).asBoolean()).isTrue();
        var snippet = result(plain("Sdv2SnippetService.add", "[" + s() + ",{\"title\":\"WordPress | Candidate new password (default)\","
                + "\"categoryId\":0,\"content\":\"<p>Dear {{CandidateService.Person.firstName}},<\\/p><p>Your new password is: \\u00abpassword\\u00bb<\\/p>\","
                + "\"languageCode\":\"en\"}]"));
        var questions = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"en\",{"
                + "\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.Sdv2QuestionService.getList\",\"params\":[" + s() + ",{\"condition\":{\"type\":"
                + "\"COND\",\"field\":\"snippetId\",\"op\":\"EQ\",\"param\":" + snippet.asText() + "},\"sort\":{\"rank\":\"ASC\"},\"limit\":200}],"
                + "\"id\":1}],\"id\":1}"));
        assertThat(questions).isEmpty();
        assertThat(result(plain("Sdv2QuestionService.add", "[" + s() + ",{\"name\":\"password\",\"code\":\"password\",\"snippetId\":"
                + snippet.asText() + ",\"question\":\"Password\",\"type\":\"textField\"}]")).isTextual()).isTrue();
        assertThat(result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.Sdv2QuestionService.getList\",\"params\":[" + s()
                + ",{\"condition\":{\"type\":\"COND\",\"field\":\"snippetId\",\"op\":\"EQ\",\"param\":" + snippet.asText() + "}}],\"id\":1}"))
                .get(0).path("code").asText()).isEqualTo("password");
        assertThat(result(plain("Sdv2StandardDocumentSnippetService.addRecursive", "[" + s() + "," + snippet.asText() + "," + en + "]")).isObject())
                .isTrue();

        // the Dutch translation: fetchMultiLangOuid of the English one, then an add with it as parent, in Dutch
        var multi = result(plain("Sdv2StandardDocumentService.fetchMultiLangOuid", "[" + s() + "," + en + "]"));
        assertThat(multi.isTextual()).isTrue();
        var nl = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"nl\",{\"jsonrpc\":"
                + "\"2.0\",\"method\":\"Otys.Services.Sdv2StandardDocumentService.add\",\"params\":[" + s() + ",{\"subject\":\"Nieuw wachtwoord\","
                + "\"defaultOutput\":\"Email\",\"isGlobal\":true,\"defaultFormat\":\"Word\",\"languageCode\":\"nl\",\"multiLangOuid\":" + multi
                + ",\"parentUid\":" + en + ",\"name\":\"WordPress | Kandidaat nieuw wachtwoord (default)\"}],\"id\":1}],\"id\":1}"));
        assertThat(nl.asLong()).as("a version of its own, with its own name, as in OTYS").isNotEqualTo(en.asLong());
        assertThat(result(plain("Sdv2StandardDocumentService.fetchMultiLangOuid", "[" + s() + "," + nl + "]"))).isEqualTo(multi);
        assertThat(result(plain("Sdv2StandardDocumentService.fetchLanguageVersionUid", "[" + s() + "," + en + ",\"nl\"]")).asLong())
                .isEqualTo(nl.asLong());
        assertThat(result(plain("Sdv2StandardDocumentService.fetchLanguageVersionUid", "[" + s() + "," + nl + ",\"en\"]")).asLong())
                .isEqualTo(en.asLong());
        assertThat(result(plain("Sdv2StandardDocumentService.fetchLanguageVersionUid", "[" + s() + "," + en + ",\"de\"]")).asLong())
                .as("no German version: the document itself").isEqualTo(en.asLong());
        // re-running the settings page finds each version by its own name in the document list (nothing is made twice)
        var names = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"nl\",{\"jsonrpc\":"
                + "\"2.0\",\"method\":\"Otys.Services.Sdv2StandardDocumentService.getListEx\",\"params\":[" + s() + ",{\"what\":{\"uid\":1,\"name\":1},"
                + "\"limit\":500,\"condition\":{\"type\":\"AND\",\"items\":[{\"type\":\"COND\",\"field\":\"name\",\"op\":\"LIKE\",\"param\":"
                + "\"%WordPress |%\"}]}}],\"id\":1}],\"id\":1}")).path("listOutput").findValuesAsText("name");
        assertThat(names).contains("WordPress | Candidate new password (default)", "WordPress | Kandidaat nieuw wachtwoord (default)");

        // ForgotPasswordModel: the merged mail with the candidate and the new password
        var candidate = ows.result("Otys.Services.CandidateService.add", "[" + s() + ",{\"Person\":{\"firstName\":\"Ada <3\",\"lastName\":\"L\"}}]");
        var merged = result(wrapped("Sdv2StandardDocumentService.mergeDocument", "[" + s() + "," + en + ",{\"relatedEntities\":[{\"entityId\":2,"
                + "\"recordId\":" + candidate + "}],\"answers\":{\"password\":\"Pa55&word\"}}]"));
        assertThat(merged.path("subject").asText()).isEqualTo("New password");
        assertThat(merged.path("htmlBody").asText()).isEqualTo("<p>Dear Ada &lt;3,</p><p>Your new password is: Pa55&amp;word</p>");
        var dutch = result(ows.rpc("{\"jsonrpc\":\"2.0\",\"method\":\"Otys.Services.LanguageService.wrapRequest\",\"params\":[\"nl\",{\"jsonrpc\":"
                + "\"2.0\",\"method\":\"Otys.Services.Sdv2StandardDocumentService.mergeDocument\",\"params\":[" + s() + "," + nl + ",{}],\"id\":1}],\"id\":1}"));
        assertThat(dutch.path("subject").asText()).isEqualTo("Nieuw wachtwoord");
        assertThat(plain("Sdv2StandardDocumentSnippetService.addRecursive", "[" + s() + ",99999," + en + "]").path("error").path("code").asInt())
                .isEqualTo(404);
    }

    // ---- filters, addresses, Google for Jobs, referrer portals, assignments

    @Test
    void searchFiltersAddressesGoogleForJobsPortalsAndAssignments() {
        // VacanciesFiltersModel::getFilters
        var facilities = result(wrapped("VacancyService.getSearchFacilityInfoNoCache", "[" + s() + ",\"ACTONOMY\"]"));
        assertThat(facilities.path("matchcriteria").path("C_1").path("name").asText()).isEqualTo("Sector");
        assertThat(facilities.path("matchcriteria").path("C_1").path("valueOptions").path("2").asText()).isEqualTo("Finance");
        assertThat(facilities.path("category").path("name").asText()).isNotBlank();
        assertThat(facilities.path("category").path("valueOptions").size()).isPositive();
        assertThat(facilities.path("proximity").path("countryCodesObject").has("NL")).isTrue();

        // VacanciesListModel with the sector filter: DATA.matchcriteria.C_1 with the chosen terms' uids
        var filtered = result(ows.rpc(OwsActonomySearchIT.vacancyListBody(session, "", 10, 0).replace(
                "\"keywords\":{\"options\":{\"enableExpansion\":false,\"required\":true,\"searchList\":[\"title\",\"chapo\",\"description\","
                        + "\"external_reference\",\"profile_culture\",\"refs\",\"salary\",\"all_extra_fields\"],\"searchMode\":\"one\"},\"value\":\"\"},",
                "\"matchcriteria\":{\"C_1\":{\"options\":{\"required\":true},\"value\":{\"required\":[\"1\",\"2\"]}}},")));
        assertThat(filtered.path("listOutput").findValuesAsText("title")).containsExactlyInAnyOrder("Senior Java developer", "Payroll administrator");
        assertThat(filtered.path("searchExtras").path("ACTONOMY").path("totalCount").asInt()).isEqualTo(2);
        // VacanciesFiltersModel::get: the base list's facets, a term's frequency within the search (a term with none is hidden)
        var base = result(ows.rpc(OwsActonomySearchIT.vacancyListBody(session, "", 10, 0).replace(
                "\"keywords\":{\"options\":{\"enableExpansion\":false,\"required\":true,\"searchList\":[\"title\",\"chapo\",\"description\","
                        + "\"external_reference\",\"profile_culture\",\"refs\",\"salary\",\"all_extra_fields\"],\"searchMode\":\"one\"},\"value\":\"\"},", "")));
        var sectorFacet = base.path("searchExtras").path("ACTONOMY").path("facets").path("C_1");
        var frequencies = new LinkedHashMap<String, Integer>();
        sectorFacet.forEach(term -> frequencies.put(term.path("id").asText(), term.path("frequency").asInt()));
        assertThat(frequencies).containsEntry("1", 1).containsEntry("2", 1).containsEntry("3", 1).containsEntry("4", 0).containsEntry("5", 0);
        assertThat(base.path("searchExtras").path("ACTONOMY").path("facets").path("C_2")).as("a criterion no vacancy has a term of").isNotEmpty();
        assertThat(base.path("searchExtras").path("ACTONOMY").path("facets").has("C_18")).as("no such criterion").isFalse();
        assertThat(base.path("searchExtras").path("ACTONOMY").path("facets").path("category").isArray()).isTrue();
        assertThat(filtered.path("searchExtras").path("ACTONOMY").path("facets").path("C_1").get(2).path("frequency").asInt())
                .as("within the search: Logistics is filtered out").isZero();
        var badName = ows.rpc(OwsActonomySearchIT.vacancyListBody(session, "", 10, 0).replace("\"p_multi\":",
                "\"matchcriteria\":{\"sector\":{\"value\":{\"required\":[\"1\"]}}},\"p_multi\":"));
        assertThat(badName.path("error").path("code").asInt()).isEqualTo(-32602);

        // Routes::saveUrlFormat for each language
        var format = "{\"id\":\"1\",\"domain\":\"https:\\/\\/wp.example\",\"vacancy_apply\":\"https:\\/\\/wp.example\\/apply\\/{{slug}}\","
                + "\"vacancy_detail\":\"https:\\/\\/wp.example\\/jobs\\/{{slug}}\",\"vacancy_preview\":\"https:\\/\\/wp.example\\/jobs\\/{{slug}}?preview=true\"}";
        assertThat(result(plain("VacancyService.saveUrlFormat", "[" + s() + ",\"demo\",1,\"en\"," + format + "]")).asBoolean()).isTrue();
        var site = ows.result("Otys.Services.WebsiteService.getDetail", "[" + s() + ",\"1\",{\"UrlFormats\":1}]");
        assertThat(site.path("UrlFormats").path("en").path("vacancyDetail").asText()).isEqualTo("https://wp.example/jobs/{{slug}}");
        assertThat(plain("VacancyService.saveUrlFormat", "[" + s() + ",\"demo\",99,\"en\"," + format + "]").path("error").path("code").asInt())
                .isEqualTo(404);

        // VacanciesDetailController: the JobPosting of a vacancy on website 1
        var vacancy = ows.result("Otys.Services.VacancyService.add", "[" + s() + ",{\"title\":\"Welder\",\"published\":true,\"publishedWebsites\":"
                + "{\"1\":{\"siteId\":1}},\"location\":{\"city\":\"Utrecht\",\"countryCode\":\"NL\"},\"salaryMin\":2800,\"salaryMax\":3400,"
                + "\"salaryCurrency\":\"EUR\",\"salaryUnit\":\"month\",\"employmentTypeId\":1}]").asText();
        var posting = result(wrapped("GoogleForJobsService.getMappingValues", "[" + s() + ",\"" + vacancy + "\",1]"));
        assertThat(posting.path("title").asText()).isEqualTo("Welder");
        assertThat(posting.path("jobLocation___address___addressLocality").asText()).isEqualTo("Utrecht");
        assertThat(posting.path("baseSalary___value___unitText").asText()).isEqualTo("MONTH");
        assertThat(posting.path("employmentType").asText()).isEqualTo("FULL_TIME");
        assertThat(wrapped("GoogleForJobsService.getMappingValues", "[" + s() + ",\"" + vacancy + "\",2]").path("error").path("code").asInt())
                .as("not published on website 2").isEqualTo(404);

        // ProceduresModel: the referrer portals
        var portals = result(plain("ReferrerPortalService.getListEx", "[" + s() + ",{\"what\":{\"uid\":1,\"portal\":1,\"domain\":1,\"utmTags\":1,"
                + "\"alias1\":1,\"alias2\":1,\"alias3\":1,\"originalId\":1,\"CustomUtmTags\":1},\"condition\":null,\"limit\":500,\"offset\":0,"
                + "\"getTotalCount\":1}]"));
        assertThat(portals.path("listOutput").findValuesAsText("portal")).contains("Indeed", "LinkedIn");
        assertThat(portals.path("totalCount").asInt()).isEqualTo(portals.path("listOutput").size());

        // another public OWS client's assignments
        var assignments = ows.result("Otys.Services.AssignmentService.getListEx", "[" + s() + ",{\"what\":{\"uid\":1,\"title\":1,\"candidateUid\":1},"
                + "\"getTotalCount\":1}]");
        assertThat(assignments.path("totalCount").asInt()).isEqualTo(2);
        var assignment = assignments.path("listOutput").get(0);
        assertThat(ows.result("Otys.Services.AssignmentService.getDetail", "[" + s() + ",\"" + assignment.path("uid").asText() + "\"]")
                .path("candidateUid").asText()).isEqualTo(assignment.path("candidateUid").asText());
    }
}

package io.dossier.api.ows;

import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.mail.MailMessage;
import io.dossier.core.mail.MailService;
import io.dossier.core.paging.Page;
import io.dossier.core.portal.PortalAccount;
import io.dossier.core.portal.PortalAccountService;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.query.SortKey;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import io.dossier.core.session.Session;
import io.dossier.core.session.SessionService;
import io.dossier.core.template.TemplateMerge;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OWS methods beyond the data services that OTYS's website plugin calls: question sets, a
 * vacancy by its slug and its view count, e-mail, and the website accounts of candidates. Each
 * translates its wire shape to core calls ({@link RecordService}, {@link MailService},
 * {@link PortalAccountService}) and back. Methods OWS has that Dossier does not do answer
 * {@link #notSupported}, never a pretended success.
 */
final class OwsPluginMethods {

    static final String QUESTION_SET = "recruiting.QuestionSet";
    static final String VACANCY = "recruiting.Vacancy";
    static final String CANDIDATE = "recruiting.Candidate";
    static final String STANDARD_DOCUMENT = "documents.StandardDocument";
    /** The session attribute holding the user that {@code EmailService.setSendAs} chose. */
    static final String SEND_AS = "mail:sendAs";
    /** What the plugin replaces with its message in an empty message: Dossier adds no signature around it. */
    static final String BODY_MARK = "<!--BODY-->";
    /** The OWS methods of services that Dossier knows but does not do (yet): they answer {@link #notSupported}. */
    static final Set<String> NOT_SUPPORTED = Set.of("CandidateService.generateFoLoginToken");
    /** What {@code MatchCriteriaSettingsService.update} may change of a criterion: its settings, not its terms. */
    static final Set<String> CRITERION_SETTINGS = Set.of("name", "rank", "forVacancies", "forJobAlerts");
    /** Whole services Dossier does not do (yet): every method answers {@link #notSupported}. */
    static final Set<String> SERVICES_NOT_SUPPORTED = Set.of();
    /** The methods of {@code Sdv2StandardDocumentService} Dossier does; its others answer {@link #notSupported}. */
    static final Set<String> STANDARD_DOCUMENT_METHODS = Set.of("getListEx", "getDetail", "mergeDocument", "fetchLanguageVersionUid",
            "fetchMultiLangOuid", "add", "update");
    /** The methods of {@code Sdv2StandardDocumentSnippetService} Dossier does. */
    static final Set<String> DOCUMENT_SNIPPET_METHODS = Set.of("addRecursive");
    static final String SNIPPET = "documents.Snippet";
    static final String SNIPPET_QUESTION = "documents.SnippetQuestion";
    static final String WEBSITE = "publishing.Website";
    static final String CRITERION = "recruiting.MatchCriterion";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** Answered when a method is not one of these. */
    static final Object NOT_MINE = new Object();

    private final RecordService records;
    private final Schemas schemas;
    private final SessionService sessions;
    private final MailService mail;
    private final PortalAccountService accounts;
    private final OwsInteractions interactions;

    OwsPluginMethods(RecordService records, Schemas schemas, SessionService sessions, MailService mail, PortalAccountService accounts,
                     OwsInteractions interactions) {
        this.interactions = interactions;
        this.records = records;
        this.schemas = schemas;
        this.sessions = sessions;
        this.mail = mail;
        this.accounts = accounts;
    }

    /** Runs {@code service.name} if it is one of these methods, else answers {@link #NOT_MINE}. */
    Object call(String service, String name, Params params, Session session, Caller caller, String language) {
        var method = service + "." + name;
        if (NOT_SUPPORTED.contains(method) || SERVICES_NOT_SUPPORTED.contains(service)
                || service.equals("Sdv2StandardDocumentService") && !STANDARD_DOCUMENT_METHODS.contains(name)
                || service.equals("Sdv2StandardDocumentSnippetService") && !DOCUMENT_SNIPPET_METHODS.contains(name)) {
            throw notSupported(method);
        }
        if (service.equals("FreeInteractionAnswerSetService") && Set.of("add", "update", "updateEx", "delete").contains(name)) {
            // answer sets are written by their sessions only: a committed one stays committed
            throw notSupported(method);
        }
        var interaction = interactions.call(method, params, caller, language);
        if (interaction != NOT_MINE) {
            return interaction;
        }
        return switch (method) {
            case "Sdv2StandardDocumentService.add" -> addStandardDocument(caller, params.object(1, "fields", false), language);
            case "Sdv2StandardDocumentService.update" -> {
                var type = type(STANDARD_DOCUMENT);
                var uid = numbered(caller, type, number(params.get(1), "uid"));
                records.update(caller, type, uid, OwsRecordInput.of(type, documentFields(params.object(2, "fields", false))), language);
                yield true;
            }
            case "Sdv2StandardDocumentSnippetService.addRecursive" -> addSnippet(caller, params, language);
            case "Sdv2SnippetService.add" -> {
                // languageCode repeats the call's language, in which the snippet's text is written
                var values = new LinkedHashMap<String, Object>(params.object(1, "fields", false));
                values.remove("languageCode");
                var type = type(SNIPPET);
                yield records.add(caller, type, OwsRecordInput.of(type, values), language);
            }
            case "JobSearchAgentService.getListEx" -> {
                // the plugin asks with a list of field names to learn whether the service answers at all
                if (params.get(1) instanceof List<?> fields) {
                    var what = new LinkedHashMap<String, Object>();
                    fields.forEach(f -> what.put(String.valueOf(f), 1));
                    yield agentList(caller, Map.of("what", what), language);
                }
                yield NOT_MINE;
            }
            case "CandidateService.setGdprDueDatePartner" -> {
                gdprDueDate(caller, params);
                yield true;
            }
            case "VacancyService.getSearchFacilityInfoNoCache" -> searchFacilities(caller, params, language);
            case "VacancyService.saveUrlFormat" -> {
                saveUrlFormat(caller, params);
                yield true;
            }
            case "GoogleForJobsService.getMappingValues" -> OwsGoogleForJobs.mapping(records, caller, type(VACANCY), type(WEBSITE),
                    params.string(1, "vacancyUid"), params.get(2), language);
            case "QuestionSetService.getDetail" -> questionSet(caller, params, false);
            case "QuestionSetService.getDetailWithGdprConsent" -> questionSet(caller, params, true);
            case "QuestionSetService.getVacancyQsIdByVacancyOuid" -> vacancyQuestionSet(caller, params.string(1, "vacancyUid"));
            case "CandidateQuestionSetService.getListEx" -> numberedList(caller, type(QUESTION_SET), params.object(1, "search", true), language);
            case "Sdv2StandardDocumentService.getListEx" -> numberedList(caller, type(STANDARD_DOCUMENT), params.object(1, "search", true), language);
            case "Sdv2StandardDocumentService.getDetail" -> {
                var number = number(params.get(1), "uid");
                var detail = records.detail(caller, type(STANDARD_DOCUMENT), numbered(caller, type(STANDARD_DOCUMENT), number),
                        OwsQueries.what(params.get(2)), language);
                yield numberAsUid(detail);
            }
            case "Sdv2StandardDocumentService.mergeDocument" -> merge(caller, params, language);
            case "Sdv2StandardDocumentService.fetchLanguageVersionUid" ->
                    languageVersion(caller, number(params.get(1), "uid"), params.get(2) instanceof String s ? s : language);
            case "Sdv2StandardDocumentService.fetchMultiLangOuid" -> multiLang(caller, number(params.get(1), "uid"));
            case "VacancyService.getDetailBySlug" -> vacancyBySlug(caller, params, language);
            case "VacancyService.getDetail" -> {
                var what = OwsQueries.what(params.get(2));
                yield OwsVacancyTexts.answer(records.detail(caller, type(VACANCY), params.string(1, "uid"),
                        OwsVacancyTexts.fieldsToRead(what), language), what, language);
            }
            case "VacancyService.getExtraFieldsList" -> OwsVacancyTexts.extraFields(type(VACANCY));
            case "VacancyService.setExtraFieldValue" -> {
                setExtraFields(caller, params, language);
                yield true;
            }
            case "MatchCriteriaSettingsService.update" -> {
                updateCriterionSettings(caller, params, language);
                yield true;
            }
            case "VacancyTextFieldService.getList" -> OwsVacancyTexts.textFields(type(VACANCY), language);
            case "VacancyService.incrementViewCount" -> {
                records.increment(caller, type(VACANCY), params.string(1, "uid"), "viewCount");
                yield true;
            }
            case "EmailService.getEmptyMessage" -> emptyMessage();
            case "EmailService.getEmptyMessageForUser" -> {
                var client = number(params.get(1), "clientId");
                if (client != caller.tenantId()) {
                    throw Failure.notFound("no client " + client);
                }
                var user = number(params.get(2), "userId");
                mail.requireSender(caller, user);
                yield emptyMessage();
            }
            case "EmailService.setSendAs" -> {
                var user = number(params.get(1), "userId");
                if (user != 0) {
                    mail.requireSender(caller, user);
                }
                sessions.setAttribute(session, SEND_AS, user == 0 ? "" : Long.toString(user));
                yield true;
            }
            case "EmailService.send" -> send(caller, session, params.object(1, "message", false));
            case "OCDService.createWebuserAndBind" -> createAccount(caller, params.object(1, "webuser", false));
            case "OCDService.loginUser" -> login(caller, params);
            case "WebusersService.setNewPassword" -> {
                accounts.setPassword(caller, params.string(1, "uid"), params.string(2, "password"));
                yield true;
            }
            case "WebusersService.getListEx" -> accountList(caller, params.object(1, "search", true));
            default -> NOT_MINE;
        };
    }

    private Map<String, Object> agentList(Caller caller, Map<String, Object> search, String language) {
        var type = type("recruiting.JobSearchAgent");
        var query = OwsQueries.listQuery(search, language);
        var out = new LinkedHashMap<String, Object>();
        out.put("listOutput", records.list(caller, type, query).items());
        out.put("searchExtras", List.of());
        return out;
    }

    // ---- vacancies' extra fields and match criteria's settings

    /**
     * setExtraFieldValue(vacancyUid, fieldnum, value), or (vacancyUid, {fieldnum: value, …}): the
     * vacancy's extra fields as getExtraFieldsList numbers them ({@code fieldnum}, or its
     * {@code fieldName}); an empty value or null clears one.
     */
    private void setExtraFields(Caller caller, Params params, String language) {
        var vacancy = type(VACANCY);
        var uid = params.string(1, "vacancyUid");
        var values = new LinkedHashMap<String, Object>();
        if (params.get(2) instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                throw OwsError.invalidParams("name at least one extra field to set");
            }
            map.forEach((key, value) -> values.put(extraField(vacancy, key), extraValue(value)));
        } else {
            values.put(extraField(vacancy, params.get(2)), extraValue(params.get(3)));
        }
        records.update(caller, vacancy, uid, values, language);
    }

    private static String extraField(RecordType vacancy, Object key) {
        var text = key == null ? "" : key.toString().strip();
        var field = text.matches("[0-9]{1,3}") ? "extraInfo" + Integer.parseInt(text) : text;
        if (OwsVacancyTexts.extraFields(vacancy).stream().noneMatch(f -> f.get("fieldName").equals(field))) {
            throw OwsError.invalidParams("no extra field '" + text + "'; VacancyService.getExtraFieldsList names them by fieldnum");
        }
        return field;
    }

    private static Object extraValue(Object value) {
        if (value == null || value instanceof String) {
            return value == null || ((String) value).isEmpty() ? null : value;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw OwsError.invalidParams("an extra field's value is text");
    }

    /** MatchCriteriaSettingsService.update(criterionId, {name, rank, forVacancies, forJobAlerts}): the settings of criterion C_n. */
    private void updateCriterionSettings(Caller caller, Params params, String language) {
        var id = number(params.get(1), "matchCriteriaId");
        var settings = params.object(2, "settings", false);
        if (settings.isEmpty()) {
            throw OwsError.invalidParams("name at least one setting to change: " + String.join(", ", new java.util.TreeSet<>(CRITERION_SETTINGS)));
        }
        for (var key : settings.keySet()) {
            if (!CRITERION_SETTINGS.contains(key)) {
                throw OwsError.invalidParams("'" + key + "' is not a setting of a match criterion; they are "
                        + String.join(", ", new java.util.TreeSet<>(CRITERION_SETTINGS)) + " (its terms change with MatchCriteriaService.update)");
            }
        }
        records.update(caller, type(CRITERION), Long.toString(id), settings, language);
    }

    // ---- GDPR

    /**
     * setGdprDueDatePartner(candidateUid, period, status, …): with consent ({@code otherYes}) the data is
     * kept {@code period} months, without it ({@code cron}) {@code period} days, from today.
     */
    private void gdprDueDate(Caller caller, Params params) {
        var candidate = type(CANDIDATE);
        var uid = params.string(1, "candidateUid");
        var period = number(params.get(2), "period");
        var status = params.string(3, "status");
        if (period < 0 || period > 1200) {
            throw OwsError.invalidParams("'period' must be a whole number from 0 to 1200");
        }
        var today = java.time.LocalDate.now(ZoneOffset.UTC);
        var until = switch (status) {
            case "otherYes" -> today.plusMonths(period);
            case "cron" -> today.plusDays(period);
            default -> throw OwsError.invalidParams("'status' must be otherYes (consent) or cron (no consent)");
        };
        var values = new LinkedHashMap<String, Object>();
        values.put("gdprConsentUntil", until.toString());
        values.put("gdprConsent", status.equals("otherYes"));
        records.update(caller, candidate, uid, values, null);
    }

    // ---- search filters and website addresses

    /** getSearchFacilityInfoNoCache("ACTONOMY"): the filters a vacancy search offers: match criteria as C_n, and the categories. */
    private Map<String, Object> searchFacilities(Caller caller, Params params, String language) {
        if (params.get(1) != null && !"ACTONOMY".equals(params.get(1))) {
            throw OwsError.invalidParams("the search facility is ACTONOMY");
        }
        var criteria = new LinkedHashMap<String, Object>();
        var found = records.list(caller, type(CRITERION), new Query(new Condition.Compare("forVacancies", Condition.Op.TRUE, null),
                List.of(new SortKey("rank", false), new SortKey("uid", false)), Set.of("uid", "name", "Options"), new Page(0, 200, false),
                language)).items();
        for (var criterion : found) {
            var options = new LinkedHashMap<String, Object>();
            for (var option : sortedItems(criterion.get("Options"))) {
                options.put(option.getKey(), option.getValue().get("value"));
            }
            var item = new LinkedHashMap<String, Object>();
            item.put("name", criterion.get("name"));
            item.put("valueOptions", options);
            criteria.put("C_" + criterion.get("uid"), item);
        }
        var category = new LinkedHashMap<String, Object>();
        category.put("name", "Category");
        category.put("valueOptions", records.optionLists(caller, type(VACANCY), List.of("categoryId")).get("categoryId"));
        var out = new LinkedHashMap<String, Object>();
        out.put("matchcriteria", criteria);
        out.put("category", category);
        out.put("proximity", Map.of("countryCodesObject", records.optionLists(caller, type(VACANCY), List.of("location.countryCode"))
                .get("location.countryCode")));
        return out;
    }

    /** saveUrlFormat(clientCode, siteId, language, {domain, vacancy_detail, vacancy_apply, vacancy_preview}): kept on the website. */
    private void saveUrlFormat(Caller caller, Params params) {
        var site = number(params.get(2), "siteId");
        var language = params.string(3, "language");
        if (!language.matches("[a-z]{2}")) {
            throw OwsError.invalidParams("'language' must be a two-letter language code");
        }
        var format = params.object(4, "format", false);
        var websites = records.list(caller, type(WEBSITE), new Query(new Condition.Compare("siteId", Condition.Op.EQ, site), List.of(),
                Set.of("uid"), new Page(0, 1, false), null)).items();
        if (websites.isEmpty()) {
            throw Failure.notFound("no website " + site);
        }
        var item = new LinkedHashMap<String, Object>();
        for (var key : List.of("domain", "vacancy_detail", "vacancy_apply", "vacancy_preview")) {
            var value = format.get(key);
            if (value != null && !(value instanceof String)) {
                throw OwsError.invalidParams("'" + key + "' must be text");
            }
            item.put(switch (key) {
                case "vacancy_detail" -> "vacancyDetail";
                case "vacancy_apply" -> "vacancyApply";
                case "vacancy_preview" -> "vacancyPreview";
                default -> key;
            }, value);
        }
        records.update(caller, type(WEBSITE), (String) websites.getFirst().get("uid"),
                Map.of("UrlFormats", new io.dossier.core.record.CollectionEdit(Map.of(language, item), Set.of())), null);
    }

    // ---- standard documents and snippets, as the plugin's settings page makes its e-mail templates

    /** Fields OTYS has that Dossier keeps no copy of: {@code defaultFormat} (Word), {@code languageCode} (the call's language). */
    private static Map<String, Object> documentFields(Map<String, Object> input) {
        var out = new LinkedHashMap<String, Object>(input);
        out.remove("defaultFormat");
        out.remove("languageCode");
        out.remove("multiLangOuid");
        out.remove("parentUid");
        return out;
    }

    /**
     * A document's version in a language: the document of its group ({@code multiLangOuid}) written in
     * that language, else the document itself (which then holds every language, as the demo's do).
     */
    private long languageVersion(Caller caller, long number, String language) {
        var type = type(STANDARD_DOCUMENT);
        var group = multiLang(caller, number);
        var found = records.list(caller, type, new Query(new Condition.And(List.of(new Condition.Compare("multiLangOuid", Condition.Op.EQ, group),
                new Condition.Compare("languageCode", Condition.Op.EQ, language))), List.of(new SortKey("number", false)), Set.of("number"),
                new Page(0, 1, false), null)).items();
        return found.isEmpty() ? number : ((Number) found.getFirst().get("number")).longValue();
    }

    /** The id shared by a document's language versions: its multiLangOuid, or its own uid for a document of one version. */
    private String multiLang(Caller caller, long number) {
        var type = type(STANDARD_DOCUMENT);
        var document = records.detail(caller, type, numbered(caller, type, number), Set.of("uid", "multiLangOuid"), null);
        return document.get("multiLangOuid") instanceof String group && !group.isEmpty() ? group : (String) document.get("uid");
    }

    /**
     * add: a new document numbered after the highest, answered by its number, written in the call's
     * language. With {@code parentUid} (the plugin's translation of a document it made in another
     * language) it is that document's version in this language, as in OTYS: a document of its own,
     * with its own name, sharing the parent's {@code multiLangOuid}; the parent becomes a version too.
     */
    private long addStandardDocument(Caller caller, Map<String, Object> input, String language) {
        var type = type(STANDARD_DOCUMENT);
        var values = documentFields(input);
        values.put("languageCode", input.get("languageCode") instanceof String code && code.matches("[a-z]{2}") ? code : language);
        if (input.get("parentUid") != null) {
            var parent = number(input.get("parentUid"), "parentUid");
            var group = multiLang(caller, parent);
            var parentUid = numbered(caller, type, parent);
            if (group.equals(parentUid)) {
                records.update(caller, type, parentUid, Map.of("multiLangOuid", group), null);
            }
            values.put("multiLangOuid", group);
        }
        for (int attempt = 1; ; attempt++) {
            var highest = records.list(caller, type, new Query(null, List.of(new SortKey("number", true)), Set.of("number"),
                    new Page(0, 1, false), null)).items();
            long next = highest.isEmpty() ? 1 : ((Number) highest.getFirst().get("number")).longValue() + 1;
            values.put("number", next);
            try {
                records.add(caller, type, OwsRecordInput.of(type, values), language);
                return next;
            } catch (Failure failure) {
                if (failure.kind() != Failure.Kind.CONFLICT || attempt == 3) {
                    throw failure;
                }
            }
        }
    }

    /** addRecursive(snippetId, documentId): the snippet's text, in the call's language, becomes the document's body in that language. */
    private Map<String, Object> addSnippet(Caller caller, Params params, String language) {
        var snippetType = type(SNIPPET);
        var snippetId = number(params.get(1), "snippetId");
        var documentId = number(params.get(2), "documentId");
        var snippet = records.detail(caller, snippetType, Long.toString(snippetId), Set.of("uid", "content"), language);
        var documentType = type(STANDARD_DOCUMENT);
        var document = numbered(caller, documentType, documentId);
        var content = snippet.get("content") instanceof String s ? s : "";
        records.update(caller, documentType, document, Map.of("htmlBody", content), language);
        var out = new LinkedHashMap<String, Object>();
        out.put("snippetId", snippetId);
        out.put("documentId", documentId);
        out.put("languageCode", language);
        return out;
    }

    static OwsError notSupported(String method) {
        return new OwsError(OwsError.METHOD_NOT_FOUND, "Method not supported by Dossier: " + OwsService.SERVICE_PREFIX + method);
    }

    // ---- question sets: the wire names a set by its number, as OTYS does

    private Map<String, Object> questionSet(Caller caller, Params params, boolean withConsent) {
        var number = number(params.get(1), "questionSetId");
        var uid = questionSetUid(caller, number).orElseThrow(() -> Failure.notFound("no question set " + number));
        var set = records.detail(caller, type(QUESTION_SET), uid, Set.of(), null);
        var out = new LinkedHashMap<String, Object>();
        out.put("uid", set.get("number"));
        for (var key : List.of("name", "shortDescription", "pageTitle", "pageIntroText", "openEntrySet", "basicSet", "knownCandidateSet", "mobile")) {
            out.put(key, set.get(key));
        }
        var pages = new LinkedHashMap<String, Map<String, Object>>();
        for (var page : sortedItems(set.get("Pages"))) {
            var item = new LinkedHashMap<String, Object>();
            item.put("name", page.getValue().get("name"));
            item.put("pageTitle", page.getValue().get("pageTitle"));
            item.put("pageIntroText", page.getValue().get("pageIntroText"));
            item.put("Questions", new LinkedHashMap<String, Object>());
            pages.put(page.getKey(), item);
        }
        for (var question : sortedItems(set.get("Questions"))) {
            var q = question.getValue();
            if (Boolean.TRUE.equals(q.get("consent")) && !withConsent) {
                continue;
            }
            var page = pages.get(String.valueOf(q.get("page")));
            if (page == null) {
                continue;   // a question on a page the set does not have is not shown
            }
            var item = new LinkedHashMap<String, Object>();
            item.put("question", q.get("question"));
            item.put("type", q.get("type"));
            item.put("subtype", q.get("subtype"));
            item.put("fieldName", q.get("fieldName"));
            item.put("explanation", q.get("explanation"));
            var validation = new LinkedHashMap<String, Object>();
            var stored = q.get("Validation") instanceof Map<?, ?> m ? m : Map.of();
            for (var key : List.of("mandatory", "email", "phone", "internationalPhone")) {
                validation.put(key, Boolean.TRUE.equals(stored.get(key)));
            }
            item.put("Validation", validation);
            @SuppressWarnings("unchecked")
            var questions = (Map<String, Object>) page.get("Questions");
            questions.put(question.getKey(), item);
        }
        out.put("Pages", pages);
        return out;
    }

    /** The number of the vacancy's question set, else of the tenant's basic set, else 0 (none). */
    private long vacancyQuestionSet(Caller caller, String vacancyUid) {
        var vacancy = records.detail(caller, type(VACANCY), vacancyUid, Set.of("uid", "questionSetNumber"), null);
        if (vacancy.get("questionSetNumber") instanceof Number n && questionSetUid(caller, n.longValue()).isPresent()) {
            return n.longValue();
        }
        var basic = records.list(caller, type(QUESTION_SET), new Query(new Condition.Compare("basicSet", Condition.Op.TRUE, null),
                List.of(new SortKey("number", false)), Set.of("number"), new Page(0, 1, false), null)).items();
        return basic.isEmpty() ? 0 : ((Number) basic.getFirst().get("number")).longValue();
    }

    private Optional<String> questionSetUid(Caller caller, long number) {
        var found = records.list(caller, type(QUESTION_SET), new Query(new Condition.Compare("number", Condition.Op.EQ, number),
                List.of(), Set.of("uid"), new Page(0, 1, false), null)).items();
        return found.isEmpty() ? Optional.empty() : Optional.of((String) found.getFirst().get("uid"));
    }

    /** A getListEx on a type whose {@code uid} on the wire is its {@code number} (question sets, standard documents). */
    private Map<String, Object> numberedList(Caller caller, RecordType type, Map<String, Object> search, String language) {
        var renamed = new LinkedHashMap<String, Object>(search);
        renamed.remove("excludeLimitCheck");
        if (renamed.get("sort") instanceof Map<?, ?> sort) {
            var keys = new LinkedHashMap<Object, Object>();
            sort.forEach((k, v) -> keys.put("uid".equals(k) ? "number" : k, v));
            renamed.put("sort", keys);
        }
        if (renamed.get("condition") != null) {
            renamed.put("condition", uidAsNumber(renamed.get("condition"), 0));
        }
        var query = OwsQueries.listQuery(renamed, language);
        var fields = new java.util.LinkedHashSet<>(query.fields());
        if (!fields.isEmpty()) {
            if (fields.remove("uid")) {
                fields.add("number");
            }
        }
        var result = records.list(caller, type, new Query(query.condition(), query.sort(), fields, query.page(), language));
        var items = new ArrayList<Map<String, Object>>();
        for (var item : result.items()) {
            items.add(numberAsUid(item));
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("listOutput", items);
        out.put("searchExtras", List.of());
        if (query.page().count()) {
            out.put("totalCount", result.totalCount());
        }
        return out;
    }

    private static Map<String, Object> numberAsUid(Map<String, Object> item) {
        var out = new LinkedHashMap<String, Object>();
        out.put("uid", item.get("number"));
        item.forEach((k, v) -> {
            if (!k.equals("uid") && !k.equals("number")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The uid of the record of {@code type} with this number; not found when there is none the caller sees. */
    private String numbered(Caller caller, RecordType type, long number) {
        var found = records.list(caller, type, new Query(new Condition.Compare("number", Condition.Op.EQ, number),
                List.of(), Set.of("uid"), new Page(0, 1, false), null)).items();
        if (found.isEmpty()) {
            throw Failure.notFound("no " + type.name() + " " + number);
        }
        return (String) found.getFirst().get("uid");
    }

    // ---- standard documents

    /** mergeDocument: the document's subject and body in the call's language, placeholders filled from the related records and answers. */
    private Map<String, Object> merge(Caller caller, Params params, String language) {
        var documentType = type(STANDARD_DOCUMENT);
        var document = records.detail(caller, documentType, numbered(caller, documentType, number(params.get(1), "uid")),
                Set.of("subject", "htmlBody"), language);
        var args = params.object(2, "args", true);
        var sources = new LinkedHashMap<String, Map<String, Object>>();
        var related = args.get("relatedEntities");
        var entities = related instanceof List<?> list ? list : related instanceof Map<?, ?> map ? new ArrayList<>(map.values()) : List.of();
        if (entities.size() > 20) {
            throw OwsError.invalidParams("at most 20 relatedEntities");
        }
        for (var entity : entities) {
            if (!(entity instanceof Map<?, ?> e) || e.get("recordId") == null) {
                throw OwsError.invalidParams("each of relatedEntities needs an 'entityId' and a 'recordId'");
            }
            var entityId = number(e.get("entityId"), "entityId");
            var bound = OwsBindings.TABLE.stream().filter(b -> b.entityId() != null && b.entityId() == entityId).findFirst()
                    .orElseThrow(() -> OwsError.invalidParams("unknown entityId " + entityId));
            var type = type(bound.type());
            var record = records.detail(caller, type, String.valueOf(e.get("recordId")), Set.of(), language);
            sources.put(type.name(), record);
            sources.put(bound.service(), record);   // OTYS's own templates say {{CandidateService.Person.firstName}}
        }
        var answers = new LinkedHashMap<String, Object>();
        if (args.get("answers") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> answers.put(String.valueOf(k), v));
        }
        sources.put(TemplateMerge.ANSWERS, answers);
        var out = new LinkedHashMap<String, Object>();
        out.put("subject", TemplateMerge.merge((String) document.get("subject"), sources, false));
        out.put("htmlBody", TemplateMerge.merge((String) document.get("htmlBody"), sources, true));
        return out;
    }

    private static Object uidAsNumber(Object condition, int depth) {
        if (depth > 32 || !(condition instanceof Map<?, ?> node)) {
            return condition;
        }
        var out = new LinkedHashMap<Object, Object>(node);
        if ("uid".equals(node.get("field"))) {
            out.put("field", "number");
        }
        var items = node.get("items");
        if (items instanceof List<?> list) {
            out.put("items", list.stream().map(i -> uidAsNumber(i, depth + 1)).toList());
        } else if (items instanceof Map<?, ?> map) {
            out.put("items", map.values().stream().map(i -> uidAsNumber(i, depth + 1)).toList());
        }
        return out;
    }

    // ---- vacancies

    private Map<String, Object> vacancyBySlug(Caller caller, Params params, String language) {
        var slug = params.string(1, "slug");
        var vacancy = type(VACANCY);
        var found = records.list(caller, vacancy, new Query(new Condition.Compare("slug", Condition.Op.EQ, slug), List.of(),
                Set.of("uid"), new Page(0, 1, false), language)).items();
        if (found.isEmpty()) {
            throw Failure.notFound("no " + vacancy.name() + " with slug " + slug);
        }
        var what = OwsQueries.what(params.get(2));
        return OwsVacancyTexts.answer(records.detail(caller, vacancy, (String) found.getFirst().get("uid"), OwsVacancyTexts.fieldsToRead(what),
                language), what, language);
    }

    // ---- e-mail

    private static Map<String, Object> emptyMessage() {
        var out = new LinkedHashMap<String, Object>();
        out.put("subject", "");
        out.put("htmlMessage", BODY_MARK);
        return out;
    }

    private boolean send(Caller caller, Session session, Map<String, Object> message) {
        String fromAddress = null;
        String fromName = null;
        if (message.get("From") instanceof Map<?, ?> from) {
            fromAddress = from.get("email") instanceof String s && !s.isBlank() ? s : null;
            fromName = from.get("name") instanceof String s && !s.isBlank() ? s : null;
        }
        String aboutType = null;
        String aboutUid = null;
        var bindingsValue = message.get("Bindings");
        if (bindingsValue instanceof List<?> list && !list.isEmpty()) {
            bindingsValue = list.getFirst();
        }
        if (bindingsValue instanceof Map<?, ?> binding && binding.get("uid") != null) {
            var entityId = number(binding.get("entityId"), "Bindings.entityId");
            var bound = OwsBindings.TABLE.stream().filter(b -> b.entityId() != null && b.entityId() == entityId).findFirst()
                    .orElseThrow(() -> OwsError.invalidParams("unknown Bindings.entityId " + entityId));
            var type = type(bound.type());
            aboutUid = String.valueOf(binding.get("uid"));
            if (!records.exists(caller, type, aboutUid)) {
                throw Failure.notFound("no " + type.name() + " with uid " + aboutUid);
            }
            aboutType = type.qualifiedName();
        }
        var sendAs = session.attributes().get(SEND_AS);
        Long sender = sendAs == null || sendAs.isEmpty() ? null : Long.parseLong(sendAs);
        mail.send(caller, new MailMessage(fromAddress, fromName, addresses(message.get("To"), "To"), addresses(message.get("Cc"), "Cc"),
                addresses(message.get("Bcc"), "Bcc"), message.get("subject") instanceof String s ? s : null,
                message.get("htmlMessage") instanceof String s ? s : null, aboutType, aboutUid), sender);
        return true;
    }

    /** {@code "a@b.c"}, {@code ["a@b.c", …]} or {@code {"1":"a@b.c"}}; also items {@code {"email":…}}. */
    private static List<String> addresses(Object value, String name) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return List.of();
        }
        var items = value instanceof List<?> list ? list : value instanceof Map<?, ?> map && !map.containsKey("email")
                ? new ArrayList<>(map.values()) : List.of(value);
        var out = new ArrayList<String>();
        for (var item : items) {
            if (item instanceof String s) {
                out.add(s.strip());
            } else if (item instanceof Map<?, ?> m && m.get("email") instanceof String s) {
                out.add(s.strip());
            } else {
                throw OwsError.invalidParams("'" + name + "' must hold e-mail addresses");
            }
        }
        return out;
    }

    // ---- website accounts of candidates

    private String createAccount(Caller caller, Map<String, Object> input) {
        var role = input.get("role");
        if (!"candidate".equals(role)) {
            throw OwsError.invalidParams("role must be 'candidate'");
        }
        if (!(input.get("uid") instanceof String uid)) {
            throw OwsError.invalidParams("'uid' must be the uid of the candidate");
        }
        if (!(input.get("username") instanceof String username)) {
            throw OwsError.invalidParams("'username' must be a string");
        }
        var allowLogin = input.get("allowLogin") == null || OwsQueries.truthy(input.get("allowLogin"));
        return accounts.create(caller, type(CANDIDATE), uid, username, allowLogin).uid();
    }

    private Map<String, Object> login(Caller caller, Params params) {
        var username = params.get(1) instanceof String s ? s : null;
        var password = params.get(2) instanceof String s ? s : null;
        if (params.get(3) != null && !"candidate".equals(params.get(3))) {
            throw OwsError.invalidParams("the role must be 'candidate'");
        }
        var account = accounts.login(caller, username, password);
        var out = new LinkedHashMap<String, Object>();
        if (account.isEmpty()) {
            out.put("candidate_ouid", false);
            out.put("webuser_ouid", false);
            out.put("allowLogin", false);
            return out;
        }
        var candidate = records.detail(caller, type(CANDIDATE), account.get().recordUid(),
                Set.of("Person.firstName", "Person.infix", "Person.lastName", "Person.emailPrimary", "Person.gender"), null);
        var person = candidate.get("Person") instanceof Map<?, ?> m ? m : Map.of();
        out.put("candidate_ouid", account.get().recordUid());
        out.put("webuser_ouid", account.get().uid());
        out.put("allowLogin", account.get().allowLogin());
        out.put("firstname", person.get("firstName"));
        out.put("middleName", person.get("infix"));
        out.put("lastname", person.get("lastName"));
        out.put("email", person.get("emailPrimary"));
        out.put("gender", person.get("gender"));
        out.put("session_id", null);   // Dossier has no front-office session of its own
        return out;
    }

    /** WebusersService.getListEx: conditions on {@code username} (EQ, or LIKE with % around a fragment) only. */
    private Map<String, Object> accountList(Caller caller, Map<String, Object> search) {
        var page = OwsQueries.page(search.get("offset"), search.get("limit"), OwsQueries.truthy(search.get("getTotalCount")));
        var filter = new String[1];
        var exact = new boolean[1];
        usernameCondition(search.get("condition"), filter, exact, 0);
        if (search.get("sort") instanceof Map<?, ?> sort) {
            for (var entry : sort.entrySet()) {
                if (!"uid".equals(entry.getKey()) || !"DESC".equalsIgnoreCase(String.valueOf(entry.getValue()))) {
                    throw OwsError.invalidParams("WebusersService lists sort by uid DESC only");
                }
            }
        }
        var found = page.limit() == 0 ? new PortalAccountService.Page(List.of(), 0)
                : accounts.list(caller, filter[0], page.offset(), page.limit(), page.count());
        var items = found.items().stream().filter(a -> !exact[0] || a.username().equalsIgnoreCase(filter[0])).map(this::account).toList();
        var out = new LinkedHashMap<String, Object>();
        out.put("listOutput", items);
        out.put("searchExtras", List.of());
        if (page.count()) {
            out.put("totalCount", exact[0] ? items.size() : found.totalCount());
        }
        return out;
    }

    private static void usernameCondition(Object condition, String[] filter, boolean[] exact, int depth) {
        if (condition == null || condition instanceof List<?> l && l.isEmpty()) {
            return;
        }
        if (depth > 32 || !(condition instanceof Map<?, ?> node)) {
            throw OwsError.invalidParams("a condition must be an object with a 'type'");
        }
        var type = String.valueOf(node.get("type"));
        if (type.equalsIgnoreCase("AND")) {
            var items = node.get("items") instanceof List<?> list ? list : node.get("items") instanceof Map<?, ?> map
                    ? new ArrayList<>(map.values()) : List.of();
            for (var item : items) {
                usernameCondition(item, filter, exact, depth + 1);
            }
            return;
        }
        if (!type.equalsIgnoreCase("COND") || !"username".equals(node.get("field")) || !(node.get("param") instanceof String param)
                || filter[0] != null) {
            throw OwsError.invalidParams("WebusersService lists filter on one condition on username (EQ or LIKE) only");
        }
        var op = String.valueOf(node.get("op")).toUpperCase(java.util.Locale.ROOT);
        if (op.equals("EQ")) {
            filter[0] = param;
            exact[0] = true;
        } else if (op.equals("LIKE") && param.replaceAll("^%+|%+$", "").indexOf('%') < 0 && !param.contains("_")) {
            filter[0] = param.replaceAll("^%+|%+$", "");
        } else {
            throw OwsError.invalidParams("WebusersService lists filter on username with EQ, or LIKE '%fragment%'");
        }
    }

    private Map<String, Object> account(PortalAccount account) {
        var role = new LinkedHashMap<String, Object>();
        role.put("uid", account.uid());
        role.put("role", "candidate");
        role.put("targetName", null);
        role.put("uidTarget", account.recordUid());
        role.put("entryDateTime", DATE_TIME.format(account.createdAt()));
        role.put("active", account.allowLogin());
        var out = new LinkedHashMap<String, Object>();
        out.put("uid", account.uid());
        out.put("username", account.username());
        out.put("allowLogin", account.allowLogin());
        out.put("roles", List.of(role));
        return out;
    }

    // ---- helpers

    private RecordType type(String qualified) {
        return schemas.type(qualified).orElseThrow(() -> new IllegalStateException(qualified + " is not defined"));
    }

    static long number(Object value, String name) {
        return switch (value) {
            case Number n when n.doubleValue() == Math.rint(n.doubleValue()) -> n.longValue();
            case String s when s.strip().matches("-?\\d{1,18}") -> Long.parseLong(s.strip());
            case null, default -> throw OwsError.invalidParams("'" + name + "' must be a whole number");
        };
    }

    /** A collection's items in key order, numerically when the keys are numbers. */
    private static List<Map.Entry<String, Map<String, Object>>> sortedItems(Object collection) {
        var out = new ArrayList<Map.Entry<String, Map<String, Object>>>();
        if (collection instanceof Map<?, ?> map) {
            for (var entry : map.entrySet()) {
                if (entry.getValue() instanceof Map<?, ?> item) {
                    @SuppressWarnings("unchecked")
                    var fields = (Map<String, Object>) item;
                    out.add(Map.entry(String.valueOf(entry.getKey()), fields));
                }
            }
        }
        out.sort(Comparator.comparing((Map.Entry<String, Map<String, Object>> e) -> e.getKey().matches("\\d{1,18}") ? Long.parseLong(e.getKey()) : Long.MAX_VALUE)
                .thenComparing(Map.Entry::getKey));
        return out;
    }
}

package io.dossier.api.ows;

import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.identity.Secrets;
import io.dossier.core.paging.Page;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.query.SortKey;
import io.dossier.core.record.CollectionEdit;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import io.dossier.core.tenant.TenantService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code FreeInteractionService}'s questionnaire methods, as OTYS's website plugin uses them for its
 * job alert form: the catalogue of record fields a form field may fill ({@code getOptionListsEx} of
 * {@code Fields.dbFieldId}), adding fields to a form ({@code updateWithVersioning} with
 * {@code Fields.ADD}), and a filling-in session ({@code sessionStart}, {@code sessionSubmit},
 * {@code sessionCommit}). Forms ({@code forms.InteractionForm}) and their answer sets
 * ({@code forms.InteractionAnswerSet}) are records; committing runs the form's action once:
 * {@code InsertJobSearchAgent} makes an inactive job search agent with a random code for the links
 * of its confirmation mail. The field numbers ({@code dbFieldId} 460–464, 486) are OTYS's own.
 */
final class OwsInteractions {

    static final String FORM = "forms.InteractionForm";
    static final String ANSWER_SET = "forms.InteractionAnswerSet";
    static final String AGENT = "recruiting.JobSearchAgent";
    static final String CRITERION = "recruiting.MatchCriterion";
    static final String INSERT_AGENT = "InsertJobSearchAgent";
    /** The dbFieldId of the match criterion n is this plus n. */
    static final int CRITERION_FIELDS = 100_000;
    private static final int MAX_ANSWER = 10_000;

    /** A job search agent's field a form field may fill: OTYS's number, its name on the wire, and the agent's field (null: none). */
    record DbField(int id, String wsField, String value, String typeUi, String agentField) {
    }

    static final List<DbField> AGENT_FIELDS = List.of(
            new DbField(460, "name", "Name", "TextField", "name"),
            new DbField(461, "siteId", "Website", "TextField", "siteId"),
            new DbField(462, "cmsLanguage", "Language", "Select", "languageCode"),
            new DbField(463, "email", "E-mail address", "TextField", "email"),
            new DbField(464, "period", "Period", "Select", "period"),
            new DbField(486, "class", "Search class", "TextField", null));

    private final RecordService records;
    private final Schemas schemas;
    private final TenantService tenants;

    OwsInteractions(RecordService records, Schemas schemas, TenantService tenants) {
        this.records = records;
        this.schemas = schemas;
        this.tenants = tenants;
    }

    /** Runs one of these methods, or answers {@link OwsPluginMethods#NOT_MINE}. */
    Object call(String method, Params params, Caller caller, String language) {
        return switch (method) {
            case "FreeInteractionService.add" -> addForm(caller, params.object(1, "fields", false), language);
            case "FreeInteractionService.getOptionListsEx" -> optionLists(caller, params.list(1, "fields"), language);
            case "FreeInteractionService.updateWithVersioning" -> {
                updateForm(caller, params.string(1, "uid"), params.object(2, "fields", false), language);
                yield true;
            }
            case "FreeInteractionService.sessionStart" -> start(caller, params.string(1, "uid"), language);
            case "FreeInteractionService.sessionSubmit" -> submit(caller, params.string(1, "sessionId"), params.object(2, "answers", true));
            case "FreeInteractionService.sessionCommit" -> {
                var sessionId = params.string(1, "sessionId");
                yield records.together(() -> commit(caller, sessionId));
            }
            default -> OwsPluginMethods.NOT_MINE;
        };
    }

    // ---- forms

    /** add: a form nobody deleted, so that the plugin's list of forms ({@code deleted EQ false}) finds it. */
    private String addForm(Caller caller, Map<String, Object> input, String language) {
        var values = new LinkedHashMap<String, Object>(input);
        values.putIfAbsent("deleted", false);
        values.putIfAbsent("actionId", "None");
        var type = type(FORM);
        return records.add(caller, type, OwsRecordInput.of(type, values), language);
    }

    /** {@code {"actionId":…,"Fields":{"ADD":[field, …], "<uid>":{changes}, "DELETE":[uid, …]}}}. */
    private void updateForm(Caller caller, String uid, Map<String, Object> input, String language) {
        var type = type(FORM);
        var form = records.detail(caller, type, uid, Set.of("uid", "Fields"), language);
        var values = new LinkedHashMap<String, Object>(input);
        if (values.get("Fields") instanceof Map<?, ?> fields) {
            var existing = form.get("Fields") instanceof Map<?, ?> m ? m : Map.of();
            long next = existing.keySet().stream().mapToLong(k -> parse(String.valueOf(k))).max().orElse(0) + 1;
            var edited = new LinkedHashMap<String, Object>();
            for (var entry : fields.entrySet()) {
                var key = String.valueOf(entry.getKey());
                if (key.equals("ADD")) {
                    var added = entry.getValue() instanceof List<?> list ? list
                            : entry.getValue() instanceof Map<?, ?> map ? new ArrayList<>(map.values()) : null;
                    if (added == null) {
                        throw OwsError.invalidParams("Fields.ADD must be a list of fields");
                    }
                    for (var field : added) {
                        if (!(field instanceof Map<?, ?> item)) {
                            throw OwsError.invalidParams("each of Fields.ADD must be an object");
                        }
                        var copy = new LinkedHashMap<String, Object>();
                        item.forEach((k, v) -> copy.put(String.valueOf(k), v));
                        copy.putIfAbsent("rank", next);
                        edited.put(Long.toString(next++), copy);
                    }
                } else if (key.equals(OwsRecordInput.DELETE_KEY) || existing.containsKey(key)) {
                    edited.put(key, entry.getValue());
                } else {
                    throw Failure.notFound("the form has no field " + key);
                }
            }
            values.put("Fields", edited);
        }
        records.update(caller, type, uid, OwsRecordInput.of(type, values), language);
    }

    /** The fields a form field may fill: the job search agent's, and one per match criterion. */
    private Map<String, Object> optionLists(Caller caller, List<?> fields, String language) {
        var out = new LinkedHashMap<String, Object>();
        for (var field : fields) {
            if (!"Fields.dbFieldId".equals(field)) {
                throw OwsError.invalidParams("FreeInteractionService has the option list Fields.dbFieldId only, not " + field);
            }
            var options = new ArrayList<Map<String, Object>>();
            for (var db : AGENT_FIELDS) {
                options.add(option(db.id(), db.value(), db.typeUi(), db.wsField()));
            }
            for (var criterion : criteria(caller, language)) {
                long n = Long.parseLong((String) criterion.get("uid"));
                options.add(option(CRITERION_FIELDS + n, (String) criterion.get("name"), "Criteria", "matchCriteria_" + n));
            }
            out.put("Fields.dbFieldId", options);
        }
        return out;
    }

    private static Map<String, Object> option(long uid, String value, String typeUi, String wsField) {
        var out = new LinkedHashMap<String, Object>();
        out.put("uid", uid);
        out.put("value", value);
        out.put("category", "JobSearchAgent");
        out.put("typeUi", typeUi);
        out.put("wsField", wsField);
        out.put("Validation", validation(Map.of()));
        return out;
    }

    private List<Map<String, Object>> criteria(Caller caller, String language) {
        return records.list(caller, type(CRITERION), new Query(null, List.of(new SortKey("rank", false), new SortKey("uid", false)),
                Set.of("uid", "name", "Options"), new Page(0, 200, false), language)).items();
    }

    // ---- sessions

    /** sessionStart: an open answer set for the form, and the form as the page shows it. */
    private Map<String, Object> start(Caller caller, String formUid, String language) {
        var form = records.detail(caller, type(FORM), formUid, Set.of(), language);
        if (Boolean.TRUE.equals(form.get("deleted"))) {
            throw Failure.notFound("no " + type(FORM).name() + " with uid " + formUid);
        }
        var sessionId = Secrets.randomHex(16);
        records.add(caller, type(ANSWER_SET), Map.of("formUid", formUid, "sessionId", sessionId, "committed", false), language);
        var shown = new LinkedHashMap<String, Object>();
        shown.put("uid", parse(formUid));
        shown.put("name", form.get("name"));
        shown.put("description", form.get("description"));
        shown.put("actionId", form.get("actionId"));
        shown.put("Tabs", form.get("Tabs") instanceof Map<?, ?> tabs ? tabs : Map.of());
        var criteria = new LinkedHashMap<Long, Map<String, Object>>();
        for (var criterion : criteria(caller, language)) {
            criteria.put(Long.parseLong((String) criterion.get("uid")), criterion);
        }
        var fields = new LinkedHashMap<String, Object>();
        for (var entry : sorted(form.get("Fields"))) {
            fields.put(entry.getKey(), field(caller, entry.getKey(), entry.getValue(), criteria));
        }
        shown.put("Fields", fields);
        var out = new LinkedHashMap<String, Object>();
        out.put("sessionId", sessionId);
        out.put("form", shown);
        return out;
    }

    private Map<String, Object> field(Caller caller, String uid, Map<String, Object> stored, Map<Long, Map<String, Object>> criteria) {
        var out = new LinkedHashMap<String, Object>();
        out.put("uid", parse(uid));
        out.put("name", stored.get("name"));
        out.put("description", stored.get("description") == null ? "" : stored.get("description"));
        out.put("typeUi", stored.get("typeUi"));
        out.put("dbFieldId", stored.get("dbFieldId"));
        out.put("tabId", stored.get("tabId"));
        out.put("rank", stored.get("rank"));
        out.put("Validation", validation(stored.get("Validation") instanceof Map<?, ?> m ? m : Map.of()));
        String wsField = null;
        var answers = new LinkedHashMap<String, Object>();
        if (stored.get("dbFieldId") instanceof Number id) {
            var db = AGENT_FIELDS.stream().filter(f -> f.id() == id.intValue()).findFirst().orElse(null);
            if (db != null) {
                wsField = db.wsField();
                if (db.wsField().equals("cmsLanguage")) {
                    for (var language : tenants.byId(caller.tenantId()).contentLanguages()) {
                        answers.put(language, Map.of("uid", language, "answer", language.toUpperCase(Locale.ROOT)));
                    }
                } else if (db.wsField().equals("period")) {
                    var periods = type(AGENT).optionLists().get("alertPeriod");
                    if (periods != null) {
                        periods.values().forEach((k, v) -> answers.put(k, Map.of("uid", k, "answer", v)));
                    }
                }
            } else if (id.longValue() > CRITERION_FIELDS) {
                long n = id.longValue() - CRITERION_FIELDS;
                wsField = "matchCriteria_" + n;
                var criterion = criteria.get(n);
                if (criterion != null) {
                    for (var option : sorted(criterion.get("Options"))) {
                        // the plugin reads a criterion's answers as {"uid":{"answer":…},"value":{"answer":…},"rank":{"answer":…}}
                        answers.put(option.getKey(), Map.of("uid", Map.of("answer", option.getKey()),
                                "value", Map.of("answer", String.valueOf(option.getValue().get("value"))),
                                "rank", Map.of("answer", option.getValue().get("rank") == null ? 0 : option.getValue().get("rank"))));
                    }
                }
            }
        }
        out.put("wsField", wsField);
        out.put("Answers", answers);
        return out;
    }

    /**
     * sessionSubmit: the answers by field uid; a later submit changes the answers it names. Answers
     * an object (the plugin's {@code InteractionsModel::submit} must return an array): the session,
     * its answer set and the fields answered.
     */
    private Map<String, Object> submit(Caller caller, String sessionId, Map<String, Object> answers) {
        var set = openSet(caller, sessionId);
        var form = records.detail(caller, type(FORM), (String) set.get("formUid"), Set.of("uid", "Fields"), null);
        var fields = form.get("Fields") instanceof Map<?, ?> m ? m : Map.of();
        var items = new LinkedHashMap<String, Map<String, Object>>();
        for (var entry : answers.entrySet()) {
            if (!(fields.get(entry.getKey()) instanceof Map<?, ?> field)) {
                throw OwsError.invalidParams("the form has no field " + entry.getKey());
            }
            var text = answer(entry.getValue());
            if (text.length() > MAX_ANSWER) {
                throw OwsError.invalidParams("the answer to field " + entry.getKey() + " is longer than " + MAX_ANSWER + " characters");
            }
            var item = new LinkedHashMap<String, Object>();
            item.put("question", field.get("name"));
            item.put("answer", text);
            items.put(entry.getKey(), item);
        }
        records.update(caller, type(ANSWER_SET), (String) set.get("uid"), Map.of("Answers", new CollectionEdit(items, Set.of())), null);
        var out = new LinkedHashMap<String, Object>();
        out.put("sessionId", sessionId);
        out.put("answerSetId", parse((String) set.get("uid")));
        out.put("answered", new ArrayList<>(items.keySet()));
        return out;
    }

    /** A value as kept: text as it is, a list of chosen options comma-separated. */
    private static String answer(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            var parts = new ArrayList<String>();
            for (var item : list) {
                if (item instanceof Map<?, ?> || item instanceof List<?>) {
                    throw OwsError.invalidParams("an answer is a value or a list of values");
                }
                parts.add(String.valueOf(item));
            }
            return String.join(",", parts);
        }
        if (value instanceof Map<?, ?> map) {
            return answer(new ArrayList<>(map.values()));
        }
        return String.valueOf(value);
    }

    /** sessionCommit: runs the form's action once; the answer set is then closed. */
    private Map<String, Object> commit(Caller caller, String sessionId) {
        var set = openSet(caller, sessionId);
        var setUid = (String) set.get("uid");
        var form = records.detail(caller, type(FORM), (String) set.get("formUid"), Set.of("uid", "actionId", "Fields"), null);
        String added = null;
        if (INSERT_AGENT.equals(form.get("actionId"))) {
            added = insertAgent(caller, form, set.get("Answers") instanceof Map<?, ?> m ? m : Map.of());
        }
        var done = new LinkedHashMap<String, Object>();
        done.put("committed", true);
        if (added != null) {
            done.put("addedRecordUid", added);
        }
        records.update(caller, type(ANSWER_SET), setUid, done, null);
        var out = new LinkedHashMap<String, Object>();
        out.put("answerSetId", parse(setUid));
        out.put("addedRecordUid", added);
        return out;
    }

    /** A job search agent from the answers: its fields by dbFieldId, its criteria from the criterion fields; inactive until confirmed. */
    private String insertAgent(Caller caller, Map<String, Object> form, Map<?, ?> answers) {
        var fields = form.get("Fields") instanceof Map<?, ?> m ? m : Map.of();
        var values = new LinkedHashMap<String, Object>();
        var criteria = new LinkedHashMap<String, Map<String, Object>>();
        for (var entry : answers.entrySet()) {
            if (!(entry.getValue() instanceof Map<?, ?> answer) || !(fields.get(entry.getKey()) instanceof Map<?, ?> field)
                    || !(field.get("dbFieldId") instanceof Number id)) {
                continue;
            }
            var text = answer.get("answer") == null ? "" : String.valueOf(answer.get("answer")).strip();
            if (text.isEmpty()) {
                continue;
            }
            var db = AGENT_FIELDS.stream().filter(f -> f.id() == id.intValue()).findFirst().orElse(null);
            if (db != null && db.agentField() != null) {
                values.put(db.agentField(), text);
            } else if (db == null && id.longValue() > CRITERION_FIELDS) {
                for (var option : text.split(",")) {
                    if (!option.isBlank()) {
                        criteria.put(Integer.toString(criteria.size() + 1),
                                Map.of("criterionId", id.longValue() - CRITERION_FIELDS, "optionId", option.strip()));
                    }
                }
            }
        }
        if (values.get("email") == null) {
            throw OwsError.invalidParams("a job alert needs an e-mail address (field " + AGENT_FIELDS.get(3).id() + ")");
        }
        values.put("code", Secrets.randomHex(16));
        values.put("active", false);
        if (!criteria.isEmpty()) {
            values.put("Criteria", new CollectionEdit(criteria, Set.of()));
        }
        return records.add(caller, type(AGENT), values, null);
    }

    private Map<String, Object> openSet(Caller caller, String sessionId) {
        var found = records.list(caller, type(ANSWER_SET), new Query(new Condition.Compare("sessionId", Condition.Op.EQ, sessionId), List.of(),
                Set.of("uid", "formUid", "committed", "Answers"), new Page(0, 1, false), null)).items();
        if (found.isEmpty()) {
            throw Failure.notFound("no interaction session " + sessionId);
        }
        if (Boolean.TRUE.equals(found.getFirst().get("committed"))) {
            throw Failure.conflict("the interaction session " + sessionId + " is committed already");
        }
        return found.getFirst();
    }

    // ---- helpers

    private static Map<String, Object> validation(Map<?, ?> stored) {
        var out = new LinkedHashMap<String, Object>();
        for (var key : List.of("mandatory", "email", "phone")) {
            out.put(key, Boolean.TRUE.equals(stored.get(key)));
        }
        return out;
    }

    private static List<Map.Entry<String, Map<String, Object>>> sorted(Object collection) {
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
        out.sort(Comparator.comparingLong((Map.Entry<String, Map<String, Object>> e) -> parse(e.getKey())).thenComparing(Map.Entry::getKey));
        return out;
    }

    private static long parse(String key) {
        return key.matches("\\d{1,18}") ? Long.parseLong(key) : Long.MAX_VALUE;
    }

    private RecordType type(String qualified) {
        return schemas.type(qualified).orElseThrow(() -> new IllegalStateException(qualified + " is not defined"));
    }

    static Set<String> methods() {
        return new LinkedHashSet<>(List.of("add", "getOptionListsEx", "updateWithVersioning", "sessionStart", "sessionSubmit", "sessionCommit"));
    }
}

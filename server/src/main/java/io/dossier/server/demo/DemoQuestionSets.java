package io.dossier.server.demo;

import io.dossier.core.access.Caller;
import io.dossier.core.record.CollectionEdit;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.Schemas;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo tenant's application forms (question sets): number 1, the basic set for vacancies, and
 * number 2, the open application; both end with a consent question on keeping the applicant's data.
 */
public final class DemoQuestionSets {

    public static final long BASIC = 1;
    public static final long OPEN_APPLICATION = 2;

    private DemoQuestionSets() {
    }

    public static void seed(RecordService records, Schemas schemas, long tenantId) {
        var type = schemas.type("recruiting.QuestionSet").orElseThrow();
        var caller = new Caller.Internal(tenantId, "demo data");
        records.add(caller, type, set(BASIC, "Application", "Apply for this job", true, false), "en");
        records.add(caller, type, set(OPEN_APPLICATION, "Open application", "Send us your CV", false, true), "en");
    }

    private static Map<String, Object> set(long number, String name, String title, boolean basic, boolean open) {
        var values = new LinkedHashMap<String, Object>();
        values.put("number", number);
        values.put("name", name);
        values.put("shortDescription", title);
        values.put("pageTitle", title);
        values.put("pageIntroText", "Tell us who you are; we will contact you within a week.");
        values.put("basicSet", basic);
        values.put("openEntrySet", open);
        values.put("knownCandidateSet", false);
        values.put("mobile", false);
        values.put("Pages", CollectionEdit.of(Map.of(
                "1", Map.of("name", "You", "pageTitle", "About you"),
                "2", Map.of("name", "Your CV", "pageTitle", "Your CV and motivation"))));
        var questions = new LinkedHashMap<String, Map<String, Object>>();
        questions.put("1", question(1, "First name", "textField", "textfield", "Person.firstName", List.of("mandatory")));
        questions.put("2", question(1, "Last name", "textField", "textfield", "Person.lastName", List.of("mandatory")));
        questions.put("3", question(1, "E-mail address", "textField", "textfield", "Person.emailPrimary", List.of("mandatory", "email")));
        questions.put("4", question(1, "Mobile number", "textField", "textfield", "Person.phoneMobile", List.of("phone")));
        questions.put("5", question(2, "Your CV", "file", "file", "cv", List.of("mandatory")));
        questions.put("6", question(2, "Why this job?", "motivation", "textarea", "motivation", List.of()));
        var consent = question(2, "May we keep your data?", "checkbox", "checkbox", "candidate_gdpr_accept", List.of("mandatory"));
        consent.put("explanation", "We keep your data for {$gdprLongTermMonths} to contact you about other jobs.");
        consent.put("consent", true);
        questions.put("7", consent);
        values.put("Questions", CollectionEdit.of(questions));
        return values;
    }

    private static Map<String, Object> question(int page, String text, String type, String subtype, String fieldName, List<String> checks) {
        var q = new LinkedHashMap<String, Object>();
        q.put("page", page);
        q.put("question", text);
        q.put("type", type);
        q.put("subtype", subtype);
        q.put("fieldName", fieldName);
        var validation = new LinkedHashMap<String, Object>();
        for (var check : List.of("mandatory", "email", "phone", "internationalPhone")) {
            validation.put(check, checks.contains(check));
        }
        q.put("Validation", validation);
        return q;
    }
}

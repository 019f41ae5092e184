package io.dossier.server.demo;

import io.dossier.core.access.Caller;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.Schemas;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo tenant's e-mail templates for its website: a confirmation to an applicant (number 1) and
 * a notice to the consultant (number 2), in English and, where the tenant has it, Dutch.
 */
public final class DemoStandardDocuments {

    public static final long APPLICATION_CONFIRMATION = 1;
    public static final long NEW_APPLICATION_NOTICE = 2;

    private DemoStandardDocuments() {
    }

    public static void seed(RecordService records, Schemas schemas, long tenantId, List<String> languages) {
        var type = schemas.type("documents.StandardDocument").orElseThrow();
        var caller = new Caller.Internal(tenantId, "demo data");
        var confirmation = records.add(caller, type, document(APPLICATION_CONFIRMATION, "WordPress - Application confirmation",
                "Your application for {{Vacancy.title}}",
                "<p>Dear {{Candidate.Person.firstName}},</p><p>Thank you for applying for {{Vacancy.title}}. We will contact you within a week.</p>"),
                "en");
        var notice = records.add(caller, type, document(NEW_APPLICATION_NOTICE, "WordPress - New application",
                "New application: {{Candidate.Person.firstName}} {{Candidate.Person.lastName}}",
                "<p>{{Candidate.Person.firstName}} {{Candidate.Person.lastName}} ({{Candidate.Person.emailPrimary}}) applied for {{Vacancy.title}}.</p>"),
                "en");
        if (languages.contains("nl")) {
            records.update(caller, type, confirmation, Map.of("subject", "Je sollicitatie op {{Vacancy.title}}",
                    "htmlBody", "<p>Beste {{Candidate.Person.firstName}},</p><p>Bedankt voor je sollicitatie op {{Vacancy.title}}. "
                            + "We nemen binnen een week contact met je op.</p>"), "nl");
            records.update(caller, type, notice, Map.of("subject", "Nieuwe sollicitatie: {{Candidate.Person.firstName}} {{Candidate.Person.lastName}}",
                    "htmlBody", "<p>{{Candidate.Person.firstName}} {{Candidate.Person.lastName}} ({{Candidate.Person.emailPrimary}}) "
                            + "solliciteerde op {{Vacancy.title}}.</p>"), "nl");
        }
    }

    private static Map<String, Object> document(long number, String name, String subject, String body) {
        var values = new LinkedHashMap<String, Object>();
        values.put("number", number);
        values.put("name", name);
        values.put("subject", subject);
        values.put("htmlBody", body);
        values.put("defaultOutput", "Email");
        values.put("categoryId", 1);
        values.put("isGlobal", true);
        return values;
    }
}

package io.dossier.server.demo;

import io.dossier.core.access.Caller;
import io.dossier.core.paging.Page;
import io.dossier.core.query.Query;
import io.dossier.core.record.CollectionEdit;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.Schemas;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the demo tenant's career site needs beyond vacancies: match criteria to filter vacancies and
 * ask job alerts by, the job boards that send applicants (referrer portals), the job alert
 * confirmation mail (standard document 3, with its «activation_link» and «delete_link»), a sector
 * for the first vacancies, and a few assignments of placed candidates.
 */
public final class DemoJobAlerts {

    public static final long JOB_ALERT_CONFIRMATION = 3;
    /** How many of the demo's vacancies get a sector (match criterion 1). */
    public static final int TAGGED_VACANCIES = 60;
    /** The match criteria (name, options); their uids are 1, 2, … in this order. */
    public static final List<Map.Entry<String, List<String>>> CRITERIA = List.of(
            Map.entry("Sector", List.of("IT", "Finance", "Logistics", "Healthcare", "Engineering")),
            Map.entry("Hours a week", List.of("Up to 24", "24 to 32", "32 to 40")),
            Map.entry("Region", List.of("Noord-Holland", "Zuid-Holland", "Utrecht", "Noord-Brabant", "Elsewhere")));
    /** The referrer portals (name, domain, utm_source). */
    public static final List<List<String>> PORTALS = List.of(
            List.of("Indeed", "indeed.com", "indeed"),
            List.of("LinkedIn", "linkedin.com", "linkedin"),
            List.of("Google for Jobs", "google.com", "google_jobs_apply"),
            List.of("Nationale Vacaturebank", "nationalevacaturebank.nl", "nvb"));

    private DemoJobAlerts() {
    }

    public static void seed(RecordService records, Schemas schemas, long tenantId) {
        var caller = new Caller.Internal(tenantId, "demo data");
        var criterion = schemas.type("recruiting.MatchCriterion").orElseThrow();
        for (int i = 0; i < CRITERIA.size(); i++) {
            var options = new LinkedHashMap<String, Map<String, Object>>();
            var names = CRITERIA.get(i).getValue();
            for (int o = 0; o < names.size(); o++) {
                options.put(Integer.toString(o + 1), Map.of("value", names.get(o), "rank", o + 1));
            }
            records.add(caller, criterion, Map.of("name", CRITERIA.get(i).getKey(), "rank", i + 1, "forVacancies", true, "forJobAlerts", true,
                    "Options", new CollectionEdit(options, Set.of())), "en");
        }
        // the first vacancies get a sector, so that the website's sector filter (C_1) finds some
        var vacancyType = schemas.type("recruiting.Vacancy").orElseThrow();
        var vacancies = records.list(caller, vacancyType, new Query(null, List.of(), Set.of("uid"), new Page(0, TAGGED_VACANCIES, false), null)).items();
        for (int i = 0; i < vacancies.size(); i++) {
            var term = "1:" + (i % CRITERIA.getFirst().getValue().size() + 1);
            records.update(caller, vacancyType, (String) vacancies.get(i).get("uid"),
                    Map.of("MatchCriteria", new CollectionEdit(Map.of("1", Map.of("term", term)), Set.of())), "en");
        }
        var portal = schemas.type("recruiting.ReferrerPortal").orElseThrow();
        for (int i = 0; i < PORTALS.size(); i++) {
            var p = PORTALS.get(i);
            records.add(caller, portal, Map.of("portal", p.get(0), "domain", p.get(1), "utmTags", p.get(2), "originalId", i + 1), "en");
        }
        var documents = schemas.type("documents.StandardDocument").orElseThrow();
        var document = new LinkedHashMap<String, Object>();
        document.put("number", JOB_ALERT_CONFIRMATION);
        document.put("name", "WordPress - Confirm job alert");
        document.put("subject", "Confirm your job alert");
        document.put("htmlBody", "<p>Dear job seeker,</p><p>Click the link below to confirm your job alert.</p>"
                + "<p><a href=\"«activation_link»\">Activate the job alert</a></p><p><a href=\"«delete_link»\">Delete this job alert</a></p>");
        document.put("defaultOutput", "Email");
        document.put("categoryId", 2);
        document.put("isGlobal", true);
        records.add(caller, documents, document, "en");
        // two placements: the first candidates at the first customers
        var candidates = records.list(caller, schemas.type("recruiting.Candidate").orElseThrow(),
                new Query(null, List.of(), Set.of("uid"), new Page(0, 2, false), null)).items();
        var relations = records.list(caller, schemas.type("crm.Relation").orElseThrow(),
                new Query(null, List.of(), Set.of("uid"), new Page(0, 2, false), null)).items();
        var assignment = schemas.type("recruiting.Assignment").orElseThrow();
        for (int i = 0; i < Math.min(candidates.size(), relations.size()); i++) {
            var values = new LinkedHashMap<String, Object>();
            values.put("title", i == 0 ? "Interim controller" : "Warehouse team lead");
            values.put("candidateUid", candidates.get(i).get("uid"));
            values.put("relationUid", relations.get(i).get("uid"));
            values.put("statusId", 2);
            values.put("startDate", "2026-01-05");
            values.put("hoursPerWeek", i == 0 ? 32 : 40);
            values.put("purchaseRate", i == 0 ? 65.0 : 32.5);
            values.put("salesRate", i == 0 ? 89.0 : 45.0);
            records.add(caller, assignment, values, "en");
        }
    }
}

package io.dossier.api.ows;

import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.paging.Page;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.RecordType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GoogleForJobsService.getMappingValues(vacancyUid, siteId)}: a vacancy as schema.org's
 * JobPosting, in the flat form OTYS answers and its website plugin nests again: keys are paths with
 * {@code ___} between their parts ({@code jobLocation___address___addressLocality}). Only a vacancy
 * published on the website is answered; values the vacancy does not have are left out.
 */
final class OwsGoogleForJobs {

    private static final Map<Integer, String> EMPLOYMENT = Map.of(1, "FULL_TIME", 2, "TEMPORARY", 3, "CONTRACTOR", 4, "INTERN", 5, "FULL_TIME");
    private static final Map<String, String> UNITS = Map.of("hour", "HOUR", "month", "MONTH", "year", "YEAR");

    private OwsGoogleForJobs() {
    }

    static Map<String, Object> mapping(RecordService records, Caller caller, RecordType vacancyType, RecordType websiteType, String uid,
                                       Object siteId, String language) {
        var site = OwsPluginMethods.number(siteId, "siteId");
        var vacancy = records.detail(caller, vacancyType, uid, Set.of(), language);
        var published = vacancy.get("publishedWebsites") instanceof Map<?, ?> sites
                && sites.values().stream().anyMatch(s -> s instanceof Map<?, ?> m && m.get("siteId") instanceof Number n && n.longValue() == site);
        if (!Boolean.TRUE.equals(vacancy.get("published")) || !published) {
            throw Failure.notFound("no " + vacancyType.name() + " with uid " + uid + " published on website " + site);
        }
        var websites = records.list(caller, websiteType, new Query(new Condition.Compare("siteId", Condition.Op.EQ, site), List.of(),
                Set.of("uid", "name", "website"), new Page(0, 1, false), null)).items();
        var out = new LinkedHashMap<String, Object>();
        put(out, "title", vacancy.get("title"));
        var description = new StringBuilder();
        for (var text : List.of("summary", "description", "requirements", "offer")) {
            if (vacancy.get(text) instanceof String s && !s.isBlank()) {
                description.append(description.isEmpty() ? "" : "\n").append(s);
            }
        }
        put(out, "description", description.isEmpty() ? null : description.toString());
        put(out, "datePosted", vacancy.get("publishedFrom") != null ? vacancy.get("publishedFrom") : date(vacancy.get("entryDateTime")));
        put(out, "validThrough", vacancy.get("publishedTo"));
        put(out, "employmentType", vacancy.get("employmentTypeId") instanceof Number n ? EMPLOYMENT.get(n.intValue()) : null);
        put(out, "identifier___name", websites.isEmpty() ? null : websites.getFirst().get("name"));
        put(out, "identifier___value", vacancy.get("referenceNr") != null ? vacancy.get("referenceNr") : uid);
        if (!websites.isEmpty()) {
            put(out, "hiringOrganization___name", websites.getFirst().get("name"));
            put(out, "hiringOrganization___sameAs", websites.getFirst().get("website"));
        }
        if (vacancy.get("location") instanceof Map<?, ?> location) {
            put(out, "jobLocation___address___streetAddress", location.get("address"));
            put(out, "jobLocation___address___postalCode", location.get("postcode"));
            put(out, "jobLocation___address___addressLocality", location.get("city"));
            put(out, "jobLocation___address___addressRegion", location.get("region"));
            put(out, "jobLocation___address___addressCountry", location.get("countryCode"));
        }
        if (vacancy.get("salaryMin") != null || vacancy.get("salaryMax") != null) {
            put(out, "baseSalary___currency", vacancy.get("salaryCurrency"));
            put(out, "baseSalary___value___minValue", vacancy.get("salaryMin"));
            put(out, "baseSalary___value___maxValue", vacancy.get("salaryMax"));
            put(out, "baseSalary___value___unitText", vacancy.get("salaryUnit") instanceof String u ? UNITS.get(u) : null);
        }
        return out;
    }

    private static Object date(Object dateTime) {
        return dateTime instanceof String s && s.length() >= 10 ? s.substring(0, 10) : dateTime;
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null && !(value instanceof String s && s.isBlank())) {
            out.put(key, value);
        }
    }
}

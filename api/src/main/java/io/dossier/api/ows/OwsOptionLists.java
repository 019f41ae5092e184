package io.dossier.api.ows;

import io.dossier.core.access.Caller;
import io.dossier.core.paging.Page;
import io.dossier.core.query.Query;
import io.dossier.core.query.SortKey;
import io.dossier.core.record.RecordService;
import io.dossier.core.tenant.TenantService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code getOptionLists}: the option lists of the definitions by field (manual §2.7), and two lists
 * OTYS computes from the tenant's data, which its clients read under OTYS's own list names:
 * {@code Person.languageCode} of candidates (also answered as {@code cmsLanguages}: the tenant's
 * content languages) and {@code publishedWebsites} of vacancies (the tenant's websites by siteId).
 */
final class OwsOptionLists {

    private static final String WEBSITE = "publishing.Website";

    private final RecordService records;
    private final TenantService tenants;
    private final OwsBindings bindings;

    OwsOptionLists(RecordService records, TenantService tenants, OwsBindings bindings) {
        this.records = records;
        this.tenants = tenants;
        this.bindings = bindings;
    }

    Map<String, Map<String, String>> of(Caller caller, OwsBindings.Service bound, List<String> fields) {
        var declared = fields.stream().filter(field -> computedName(bound, field) == null).toList();
        var lists = declared.isEmpty() ? Map.<String, Map<String, String>>of() : records.optionLists(caller, bound.type(), declared);
        var out = new LinkedHashMap<String, Map<String, String>>();
        for (var field : fields) {
            var name = computedName(bound, field);
            if (name == null) {
                out.put(field, lists.get(field));
                continue;
            }
            var values = name.equals("cmsLanguages") ? languages(caller) : websites(caller);
            out.put(field, values);
            out.put(name, values);
        }
        return out;
    }

    /** The OTYS name of a list computed from data, or null for a declared one. */
    private static String computedName(OwsBindings.Service bound, String field) {
        return switch (bound.name() + "." + field) {
            case "CandidateService.Person.languageCode" -> "cmsLanguages";
            case "VacancyService.publishedWebsites" -> "publishedWebsites";
            default -> null;
        };
    }

    /** The tenant's content languages: code → the language's own name. */
    private Map<String, String> languages(Caller caller) {
        var out = new LinkedHashMap<String, String>();
        for (var code : tenants.byId(caller.tenantId()).contentLanguages()) {
            out.put(code, Locale.of(code).getDisplayLanguage(Locale.of(code)));
        }
        return out;
    }

    /** The tenant's websites: siteId → name. */
    private Map<String, String> websites(Caller caller) {
        var query = new Query(null, List.of(new SortKey("siteId", false)), Set.of("siteId", "name"),
                new Page(0, OwsQueries.PAGES.maximum(), false), null);
        var out = new LinkedHashMap<String, String>();
        for (var site : records.list(caller, bindings.type(WEBSITE), query).items()) {
            out.put(String.valueOf(site.get("siteId")), String.valueOf(site.get("name")));
        }
        return out;
    }
}

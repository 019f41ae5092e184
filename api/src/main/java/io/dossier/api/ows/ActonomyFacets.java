package io.dossier.api.ows;

import io.dossier.core.access.Caller;
import io.dossier.core.paging.Page;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.query.SortKey;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code searchExtras.ACTONOMY.facets} of a vacancy search: for each facet the request names in
 * {@code OPTIONS.facetsToUse} that Dossier keeps data for — a match criterion {@code C_n} and
 * {@code category} — each of its terms with the number of matching vacancies that have it
 * ({@code [{"id":"2","frequency":5},…]}), which the plugin's filter widget shows (and hides terms
 * with none). Counted with one count query per term, within the search's own conditions.
 */
final class ActonomyFacets {

    static final String CRITERION = "recruiting.MatchCriterion";
    private static final String TERMS = "MatchCriteria.term";
    private static final int MAX_TERMS = 200;

    private ActonomyFacets() {
    }

    static Map<String, Object> count(RecordService records, Schemas schemas, Caller caller, RecordType type, Query search, List<String> asked) {
        var out = new LinkedHashMap<String, Object>();
        if (asked.isEmpty()) {
            return out;
        }
        Map<Long, Map<String, Object>> criteria = new LinkedHashMap<>();
        if (type.field(TERMS).isPresent() && asked.stream().anyMatch(f -> ActonomySearch.criterion(f) != null)) {
            var criterionType = schemas.type(CRITERION).orElseThrow();
            for (var criterion : records.list(caller, criterionType, new Query(null, List.of(new SortKey("uid", false)),
                    Set.of("uid", "Options"), new Page(0, 200, false), null)).items()) {
                criteria.put(Long.valueOf((String) criterion.get("uid")), criterion);
            }
        }
        int terms = 0;
        for (var facet : asked) {
            var n = ActonomySearch.criterion(facet);
            var counts = new ArrayList<Map<String, Object>>();
            if (n != null && criteria.containsKey(n)) {
                if (!(criteria.get(n).get("Options") instanceof Map<?, ?> options)) {
                    continue;
                }
                for (var option : options.keySet()) {
                    if (++terms > MAX_TERMS) {
                        break;
                    }
                    counts.add(frequency(records, caller, type, search, String.valueOf(option),
                            new Condition.Compare(TERMS, Condition.Op.EQ, n + ":" + option)));
                }
            } else if (facet.equals("category") && type.field("categoryId").isPresent()) {
                var categories = records.optionLists(caller, type, List.of("categoryId")).get("categoryId");
                for (var id : categories == null ? Set.<String>of() : categories.keySet()) {
                    if (++terms > MAX_TERMS) {
                        break;
                    }
                    counts.add(frequency(records, caller, type, search, id, new Condition.Compare("categoryId", Condition.Op.EQ, Long.valueOf(id))));
                }
            } else {
                continue;   // a facet Dossier keeps no data for
            }
            out.put(facet, counts);
        }
        return out;
    }

    private static Map<String, Object> frequency(RecordService records, Caller caller, RecordType type, Query search, String id, Condition term) {
        var condition = search.condition() == null ? term : new Condition.And(List.of(search.condition(), term));
        var total = records.list(caller, type, new Query(condition, List.of(), Set.of("uid"), new Page(0, 1, true), search.language())).totalCount();
        var out = new LinkedHashMap<String, Object>();
        out.put("id", id);
        out.put("frequency", total == null ? 0 : total.intValue());
        return out;
    }
}

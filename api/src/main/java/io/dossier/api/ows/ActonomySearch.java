package io.dossier.api.ows;

import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.query.QueryCheck;
import io.dossier.core.query.SortKey;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.FieldDef;
import io.dossier.core.schema.RecordType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code search.ACTONOMY} block of {@code getListEx} (OTYS's search engine, as its WordPress
 * plugin sends it): {@code DATA} criteria, {@code OPTIONS} for the page and the order, and
 * {@code VERSION}/{@code SUB_VERSION}. Criteria become a core condition ANDed to the list's own:
 * {@code keywords} a full-text {@link Condition.Matches} over the fields its {@code searchList}
 * names (OTYS's search field names mapped here to ours), ranked when the sort asks for
 * {@code SCORE}. Criteria Dossier holds no data for are accepted and not applied (see README).
 */
final class ActonomySearch {

    static final String KEY = "ACTONOMY";

    /** Criteria read but not applied: Dossier keeps no premium flag, geodata or shortlists. */
    private static final Set<String> NOT_APPLIED = Set.of("premium", "proximity", "owner",
            "publiceer_shortlist", "p_shortlist_multi");
    /** A match criterion in the plugin's filters: C_ and the criterion's uid. */
    private static final Pattern CRITERION = Pattern.compile("C_([1-9][0-9]{0,8})");
    private static final Set<String> BLOCK_KEYS = Set.of("DATA", "OPTIONS", "VERSION", "SUB_VERSION");
    private static final int MAX_VALUES = 1000;
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern HAS_WORD = Pattern.compile("[\\p{L}\\p{N}]");

    /** OTYS search field names (keywords.options.searchList) → field paths, per data service. */
    private static final Map<String, Map<String, List<String>>> SEARCH_FIELDS = Map.of(
            "CandidateService", Map.of(
                    "emailAddress", List.of("Person.emailPrimary", "Person.Emails.email"),
                    "email", List.of("Person.emailPrimary", "Person.Emails.email"),
                    "name", List.of("Person.firstName", "Person.lastName"),
                    "firstName", List.of("Person.firstName"),
                    "lastName", List.of("Person.lastName"),
                    "function", List.of("currentJobTitle"),
                    "profile", List.of("promoText")),
            "VacancyService", Map.of(
                    "title", List.of("title"),
                    "chapo", List.of("summary"),
                    "description", List.of("description"),
                    "requirements", List.of("requirements"),
                    "external_reference", List.of("externalReferenceNr"),
                    "refs", List.of("referenceNr"),
                    "profile_culture", List.of("offer"),
                    "salary", List.of("offer"),
                    "all_extra_fields", List.of("requirements")));

    /** OTYS sort names → field paths; {@code SCORE} is the relevance. */
    private static final Map<String, String> SORT_FIELDS = Map.of(
            "entryDateFull", "entryDateTime",
            "entryDate", "entryDateTime",
            "public_publish_date", "publishedFrom",
            "lastModified", "lastModified",
            "title", "title");

    /** The list query with the block applied, and whether its result carries the block's total. */
    /** The query to run, whether all matches are counted, and the facets asked for ({@code OPTIONS.facetsToUse}). */
    record Applied(Query query, boolean countAll, List<String> facets) {
    }

    private ActonomySearch() {
    }

    /**
     * Applies {@code search} (the request's {@code search} parameter) to {@code query}; null when
     * it holds no ACTONOMY block. {@code topLimit} is the request's own limit, if it gave one.
     */
    static Applied apply(OwsBindings.Service bound, Object search, Query query, Integer topLimit) {
        if (search == null || search instanceof List<?> l && l.isEmpty()) {
            return null;
        }
        if (!(search instanceof Map<?, ?> outer)) {
            throw OwsError.invalidParams("'search' must be an object such as {\"ACTONOMY\":{…}}");
        }
        for (var key : outer.keySet()) {
            if (!KEY.equals(key)) {
                throw OwsError.invalidParams("unknown search engine '" + key + "' (known: ACTONOMY)");
            }
        }
        if (!(outer.get(KEY) instanceof Map<?, ?> block)) {
            throw OwsError.invalidParams("'search.ACTONOMY' must be an object with DATA and OPTIONS");
        }
        for (var key : block.keySet()) {
            if (!BLOCK_KEYS.contains(String.valueOf(key))) {
                throw OwsError.invalidParams("unknown key '" + key + "' in search.ACTONOMY (known: DATA, OPTIONS, VERSION, SUB_VERSION)");
            }
        }
        var options = object(block.get("OPTIONS"), "search.ACTONOMY.OPTIONS");
        var conditions = new ArrayList<Condition>();
        if (query.condition() != null) {
            conditions.add(query.condition());
        }
        boolean keywords = false;
        for (var entry : object(block.get("DATA"), "search.ACTONOMY.DATA").entrySet()) {
            var criterion = criterion(bound, entry.getKey(), entry.getValue());
            if (criterion != null) {
                conditions.add(criterion);
                keywords |= containsMatches(criterion);
            }
        }
        var condition = conditions.isEmpty() ? null : conditions.size() == 1 ? conditions.getFirst() : new Condition.And(conditions);

        var sort = new ArrayList<SortKey>();
        for (var key : OwsQueries.sort(options.get("sort"))) {
            if (key.path().equals("SCORE")) {
                if (keywords) {
                    sort.add(SortKey.relevance());
                }
            } else {
                var path = SORT_FIELDS.get(key.path());
                if (path != null && bound.type().field(path).isPresent()) {
                    sort.add(new SortKey(path, key.descending()));
                }
            }
        }
        sort.addAll(query.sort());

        // ACTONOMY picks the page; the request's own limit (the SQL step's) can only shorten it
        var offset = OwsQueries.number(options.get("offset"), "search.ACTONOMY.OPTIONS.offset", query.page().offset());
        Integer limit = options.get("limit") == null ? null : OwsQueries.number(options.get("limit"), "search.ACTONOMY.OPTIONS.limit", 0);
        if (topLimit != null) {
            limit = limit == null ? topLimit : Math.min(limit, topLimit);
        }
        boolean countAll = OwsQueries.truthy(options.get("getTotalCount")) || query.page().count();
        var page = OwsQueries.page(offset, limit, countAll);
        var facets = new ArrayList<String>();
        if (options.get("facetsToUse") instanceof List<?> names) {
            if (names.size() > 100) {
                throw OwsError.invalidParams("search.ACTONOMY.OPTIONS.facetsToUse names at most 100 facets");
            }
            names.forEach(n -> facets.add(String.valueOf(n)));
        }
        return new Applied(new Query(condition, sort, query.fields(), page, query.language()), countAll, facets);
    }

    /** {@code searchExtras.ACTONOMY}: the number of all matches (when counted) and no facets. */
    static Map<String, Object> extras(Long total, Map<String, Object> facets) {
        var out = new LinkedHashMap<String, Object>();
        if (total != null) {
            out.put("totalCount", total);
        }
        out.put("facets", facets);
        return out;
    }

    /** A match criterion facet's criterion uid ({@code C_3} → 3), or null for another name. */
    static Long criterion(String facet) {
        var matcher = CRITERION.matcher(facet);
        return matcher.matches() ? Long.valueOf(matcher.group(1)) : null;
    }

    private static boolean containsMatches(Condition condition) {
        return switch (condition) {
            case Condition.Matches m -> true;
            case Condition.And and -> and.items().stream().anyMatch(ActonomySearch::containsMatches);
            case Condition.Or or -> or.items().stream().anyMatch(ActonomySearch::containsMatches);
            case Condition.Not not -> containsMatches(not.item());
            case Condition.Compare c -> false;
            case Condition.Related r -> false;
        };
    }

    /** One DATA criterion as a condition; null when it selects nothing (empty, or not applied). */
    private static Condition criterion(OwsBindings.Service bound, String name, Object raw) {
        var where = "search.ACTONOMY.DATA." + name;
        if (NOT_APPLIED.contains(name)) {
            return null;
        }
        var criterion = object(raw, where);
        var type = bound.type();
        return switch (name) {
            case "keywords" -> keywords(bound, criterion, where);
            case "hasEmail" -> {
                var email = requireField(type, "Person.emailPrimary", name);
                var has = new Condition.And(List.of(new Condition.Compare(email, Condition.Op.NE, null),
                        new Condition.Compare(email, Condition.Op.NE, "")));
                yield OwsQueries.truthy(criterion.get("value")) ? has : new Condition.Not(has);
            }
            case "p_multi" -> anyOf(requireField(type, "publishedWebsites.siteId", name), required(criterion, where));
            case "category" -> anyOf(requireField(type, "categoryId", name), required(criterion, where));
            case "relation" -> anyOf(requireField(type, "relationUid", name), required(criterion, where));
            case "matchcriteria" -> matchCriteria(requireField(type, "MatchCriteria.term", name), criterion, where);
            case "publiceer" -> new Condition.Compare(requireField(type, "published", name),
                    OwsQueries.truthy(criterion.get("value")) ? Condition.Op.TRUE : Condition.Op.FALSE, null);
            // published from a day on or before value.to (or from no particular day)
            case "public_publish_date" -> dateRange(requireField(type, "publishedFrom", name), object(criterion.get("value"), where + ".value"), where);
            // published until a day on or after value.from (or without an end)
            case "public_end_date" -> dateRange(requireField(type, "publishedTo", name), object(criterion.get("value"), where + ".value"), where);
            default -> throw OwsError.invalidParams("unknown ACTONOMY criterion '" + name + "' for " + bound.name());
        };
    }

    private static String requireField(RecordType type, String path, String criterion) {
        if (type.field(path).isEmpty()) {
            throw OwsError.invalidParams("the ACTONOMY criterion '" + criterion + "' does not apply to this data service");
        }
        return path;
    }

    /** {@code value.required}: the values of which a record must have one. */
    private static List<Object> required(Map<String, Object> criterion, String where) {
        var value = criterion.get("value");
        if (value == null) {
            return List.of();
        }
        var required = object(value, where + ".value").get("required");
        if (required == null) {
            return List.of();
        }
        var list = required instanceof List<?> l ? l : required instanceof Map<?, ?> m ? List.copyOf(m.values()) : List.of(required);
        if (list.size() > MAX_VALUES) {
            throw OwsError.invalidParams(where + ".value.required takes at most " + MAX_VALUES + " values");
        }
        return new ArrayList<>(list);
    }

    /**
     * {@code {"C_1":{"value":{"required":["2","3"]}},"C_4":…}}: a record with one of the terms of each
     * criterion named; a record's terms are kept as {@code criterion:term} ({@code 1:2}).
     */
    private static Condition matchCriteria(String path, Map<String, Object> criteria, String where) {
        var all = new ArrayList<Condition>();
        for (var entry : criteria.entrySet()) {
            var matcher = CRITERION.matcher(entry.getKey());
            if (!matcher.matches()) {
                throw OwsError.invalidParams(where + ": a match criterion is named C_ and its number, not '" + entry.getKey() + "'");
            }
            var terms = new ArrayList<Object>();
            for (var value : required(object(entry.getValue(), where + "." + entry.getKey()), where + "." + entry.getKey())) {
                if (value instanceof Map<?, ?> || value instanceof List<?>) {
                    throw OwsError.invalidParams(where + "." + entry.getKey() + ".value.required holds the uids of terms");
                }
                terms.add(matcher.group(1) + ":" + value);
            }
            var any = anyOf(path, terms);
            if (any != null) {
                all.add(any);
            }
        }
        return all.isEmpty() ? null : all.size() == 1 ? all.getFirst() : new Condition.And(all);
    }

    private static Condition anyOf(String path, List<Object> values) {
        if (values.isEmpty()) {
            return null;
        }
        return new Condition.Or(values.stream().map(v -> (Condition) new Condition.Compare(path, Condition.Op.EQ, v)).toList());
    }

    private static Condition dateRange(String path, Map<String, Object> value, String where) {
        var from = date(value.get("from"), where + ".value.from");
        var to = date(value.get("to"), where + ".value.to");
        var within = new ArrayList<Condition>();
        if (from != null) {
            within.add(new Condition.Compare(path, Condition.Op.GE, from.toString()));
        }
        if (to != null) {
            within.add(new Condition.Compare(path, Condition.Op.LE, to.toString()));
        }
        if (within.isEmpty()) {
            return null;
        }
        return new Condition.Or(List.of(new Condition.Compare(path, Condition.Op.EQ, null),
                within.size() == 1 ? within.getFirst() : new Condition.And(within)));
    }

    /** The day of {@code 2026-12-02T22:00:00.000Z} (its first ten characters), or null. */
    private static LocalDate date(Object raw, String where) {
        if (raw == null || raw instanceof String s && s.isBlank()) {
            return null;
        }
        if (raw instanceof String s && s.length() >= 10) {
            try {
                return LocalDate.parse(s.substring(0, 10));
            } catch (java.time.format.DateTimeParseException e) {
                // refused below
            }
        }
        throw OwsError.invalidParams(where + " must be a date such as 2026-12-02T22:00:00.000Z");
    }

    /**
     * {@code {"value":"java \"project manager\"","options":{"searchList":[…],"searchMode":"one"|"all"}}}:
     * quoted parts are phrases, other words single terms; {@code one} finds records with any term,
     * {@code all} records with every term.
     */
    private static Condition keywords(OwsBindings.Service bound, Map<String, Object> criterion, String where) {
        if (!(criterion.get("value") instanceof String value)) {
            if (criterion.get("value") == null) {
                return null;
            }
            throw OwsError.invalidParams(where + ".value must be a string");
        }
        var terms = terms(value);
        if (terms.isEmpty()) {
            return null;
        }
        var options = criterion.get("options") == null ? Map.<String, Object>of() : object(criterion.get("options"), where + ".options");
        var mode = options.get("searchMode") == null ? "one" : String.valueOf(options.get("searchMode")).toLowerCase(Locale.ROOT);
        if (!mode.equals("one") && !mode.equals("all")) {
            throw OwsError.invalidParams(where + ".options.searchMode must be one or all");
        }
        if (terms.size() > QueryCheck.MAX_TERMS) {
            throw OwsError.invalidParams(where + ".value has more than " + QueryCheck.MAX_TERMS + " words and phrases");
        }
        return new Condition.Matches(fields(bound, options.get("searchList")), terms, mode.equals("all"));
    }

    static List<String> terms(String value) {
        var out = new ArrayList<String>();
        var matcher = QUOTED.matcher(value);
        var rest = new StringBuilder();
        int last = 0;
        while (matcher.find()) {
            rest.append(value, last, matcher.start()).append(' ');
            add(out, matcher.group(1).strip().replaceAll("\\s+", " "));
            last = matcher.end();
        }
        rest.append(value.substring(last).replace('"', ' '));
        for (var word : rest.toString().split("\\s+")) {
            add(out, word);
        }
        return out;
    }

    private static void add(List<String> terms, String term) {
        if (!term.isEmpty() && HAS_WORD.matcher(term).find() && !terms.contains(term)) {
            terms.add(term);
        }
    }

    /** The fields searchList names; all searchable fields when it names none we know. */
    private static List<String> fields(OwsBindings.Service bound, Object searchList) {
        var known = SEARCH_FIELDS.getOrDefault(bound.name(), Map.of());
        var out = new LinkedHashSet<String>();
        if (searchList instanceof List<?> list) {
            for (var name : list) {
                var paths = known.get(String.valueOf(name));
                if (paths != null) {
                    paths.stream().filter(p -> bound.type().field(p).isPresent()).forEach(out::add);
                }
            }
        } else if (searchList != null) {
            throw OwsError.invalidParams("keywords.options.searchList must be a list of field names");
        }
        if (out.isEmpty()) {
            RecordService.allFields(bound.type()).stream().filter(f -> f.flags().searchable()).map(FieldDef::path).forEach(out::add);
        }
        if (out.isEmpty()) {
            throw OwsError.invalidParams(bound.name() + " has no fields for a keyword search");
        }
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object raw, String where) {
        if (raw == null || raw instanceof List<?> l && l.isEmpty()) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw OwsError.invalidParams("'" + where + "' must be an object");
        }
        var out = new LinkedHashMap<String, Object>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}

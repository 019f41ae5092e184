package io.dossier.api.ows;

import io.dossier.core.paging.Page;
import io.dossier.core.paging.PageSize;
import io.dossier.core.query.Condition;
import io.dossier.core.query.Query;
import io.dossier.core.query.SortKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the OWS list parameters (manual §2.5.2) into a core {@link Query}: {@code what} becomes the
 * projection, {@code condition} the condition tree, {@code sort} the sort keys. The query is checked
 * against the definition afterwards, by core.
 */
final class OwsQueries {

    /**
     * OWS pages: 50 rows when a client asks for no limit, at most 200 (manual §2.5.2). A larger
     * limit is not refused but cut to 200, and a negative one gives an empty page, as OWS does.
     */
    static final PageSize PAGES = new PageSize(50, 200);
    private static final Set<String> KNOWN = Set.of("what", "condition", "sort", "limit", "offset", "getTotalCount",
            "totalCount", "searchExtras", "excludeLimitCheck", "search");
    /** At most this many values in one "any of" comparison (an EQ whose param is a list). */
    private static final int MAX_ANY_OF = 1000;
    private static final int MAX_DEPTH = 32;

    private OwsQueries() {
    }

    static Query listQuery(Map<String, Object> params, String language) {
        for (var key : params.keySet()) {
            if (!KNOWN.contains(key)) {
                throw OwsError.invalidParams("unknown list parameter '" + key
                        + "' (known: what, condition, sort, limit, offset, getTotalCount, totalCount, search, excludeLimitCheck)");
            }
        }
        var condition = params.get("condition");
        return new Query(
                condition == null || condition instanceof List<?> l && l.isEmpty() ? null : condition(condition, 0),
                sort(params.get("sort")),
                what(params.get("what")),
                // totalCount: another name some clients give getTotalCount
                page(params.get("offset"), params.get("limit"), truthy(params.get("getTotalCount")) || truthy(params.get("totalCount"))),
                language);
    }

    /** The page a list asks for: the limit capped to OWS's page size; a negative offset is refused. */
    static Page page(Object offset, Object limit, boolean count) {
        var from = number(offset, "offset", 0);
        Integer asked = limit == null ? null : number(limit, "limit", PAGES.standard());
        return new Page(from, PAGES.capped(asked), count);
    }

    /** {@code {"uid":1,"Person":{"firstName":1}}} → {@code uid, Person.firstName}; 1, true, "1" include. */
    static Set<String> what(Object what) {
        var out = new LinkedHashSet<String>();
        if (what == null || what instanceof List<?> l && l.isEmpty()) {
            return out;
        }
        if (!(what instanceof Map<?, ?> map)) {
            throw OwsError.invalidParams("'what' must be an object of field names");
        }
        collectWhat(map, "", out, 0);
        return out;
    }

    private static void collectWhat(Map<?, ?> map, String prefix, Set<String> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw OwsError.invalidParams("'what' is nested too deeply");
        }
        for (var entry : map.entrySet()) {
            var path = prefix + entry.getKey();
            var value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                if (nested.isEmpty()) {
                    out.add(path);
                } else {
                    collectWhat(nested, path + ".", out, depth + 1);
                }
            } else if (value instanceof List<?> list && list.isEmpty()) {
                out.add(path);
            } else if (truthy(value)) {
                out.add(path);
            }
        }
    }

    static Condition condition(Object raw, int depth) {
        if (depth > MAX_DEPTH) {
            throw OwsError.invalidParams("'condition' is nested too deeply");
        }
        if (!(raw instanceof Map<?, ?> node)) {
            throw OwsError.invalidParams("a condition must be an object with a 'type'");
        }
        var type = node.get("type") instanceof String s ? s.toUpperCase(Locale.ROOT) : null;
        if (type == null) {
            throw OwsError.invalidParams("a condition needs a 'type': AND, OR or COND");
        }
        return switch (type) {
            case "AND", "OR" -> {
                var items = node.get("items");
                var list = items instanceof List<?> l ? l : items instanceof Map<?, ?> m ? new ArrayList<>(m.values()) : null;
                if (list == null) {
                    throw OwsError.invalidParams("an " + type + " condition needs 'items'");
                }
                var children = new ArrayList<Condition>();
                for (var item : list) {
                    children.add(condition(item, depth + 1));
                }
                yield type.equals("AND") ? new Condition.And(children) : new Condition.Or(children);
            }
            case "COND" -> {
                if (!(node.get("field") instanceof String field) || field.isBlank()) {
                    throw OwsError.invalidParams("a COND condition needs a 'field'");
                }
                if (!(node.get("op") instanceof String op)) {
                    throw OwsError.invalidParams("a COND condition needs an 'op'");
                }
                var parsed = op(op);
                if (node.get("param") instanceof List<?> values) {
                    // EQ with a list: any of the values
                    if (parsed != Condition.Op.EQ) {
                        throw OwsError.invalidParams("only EQ takes a list of values (any of them); " + op + " takes one value");
                    }
                    if (values.isEmpty() || values.size() > MAX_ANY_OF) {
                        throw OwsError.invalidParams("an EQ condition on " + field + " takes 1 to " + MAX_ANY_OF + " values");
                    }
                    yield new Condition.Or(values.stream().map(v -> (Condition) new Condition.Compare(field, parsed, v)).toList());
                }
                yield new Condition.Compare(field, parsed, node.get("param"));
            }
            default -> throw OwsError.invalidParams("unknown condition type '" + node.get("type") + "' (AND, OR or COND)");
        };
    }

    private static Condition.Op op(String op) {
        return switch (op.toUpperCase(Locale.ROOT)) {
            case "EQ" -> Condition.Op.EQ;
            case "NE" -> Condition.Op.NE;
            case "GE" -> Condition.Op.GE;
            case "GT" -> Condition.Op.GT;
            case "LE" -> Condition.Op.LE;
            case "LT" -> Condition.Op.LT;
            case "T" -> Condition.Op.TRUE;
            case "F" -> Condition.Op.FALSE;
            case "LIKE" -> Condition.Op.LIKE;
            case "NLIKE" -> Condition.Op.NLIKE;
            default -> throw OwsError.invalidParams("unknown operator '" + op + "' (EQ NE GE GT LE LT T F LIKE NLIKE)");
        };
    }

    static List<SortKey> sort(Object raw) {
        if (raw == null || raw instanceof List<?> l && l.isEmpty()) {
            return List.of();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw OwsError.invalidParams("'sort' must be an object of field: ASC|DESC");
        }
        var keys = new ArrayList<SortKey>();
        for (var entry : map.entrySet()) {
            var direction = String.valueOf(entry.getValue()).toUpperCase(Locale.ROOT);
            if (!direction.equals("ASC") && !direction.equals("DESC")) {
                throw OwsError.invalidParams("sort direction of " + entry.getKey() + " must be ASC or DESC");
            }
            keys.add(new SortKey(String.valueOf(entry.getKey()), direction.equals("DESC")));
        }
        return keys;
    }

    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            case String s -> s.equals("1") || s.equalsIgnoreCase("true");
            default -> false;
        };
    }

    static int number(Object value, String name, int fallback) {
        return switch (value) {
            case null -> fallback;
            case Number n when n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < Integer.MAX_VALUE -> n.intValue();
            case String s when s.strip().matches("-?\\d{1,9}") -> Integer.parseInt(s.strip());
            default -> throw OwsError.invalidParams("'" + name + "' must be a whole number");
        };
    }
}

package io.dossier.core.query;

import io.dossier.core.Failure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A condition tree as plain values (maps, lists, strings, numbers, booleans), for storing it and
 * for the admin API: {@code {"and":[…]}}, {@code {"or":[…]}}, {@code {"not":{…}}} and
 * {@code {"field":"Person.city","op":"EQ","value":"Utrecht"}} with the operators of
 * {@link Condition.Op}. Values stay as given; checking against a record type types them.
 */
public final class ConditionValues {

    private static final int MAX_DEPTH = 32;

    private ConditionValues() {
    }

    public static Object toPlain(Condition condition) {
        return switch (condition) {
            case Condition.And and -> Map.of("and", and.items().stream().map(ConditionValues::toPlain).toList());
            case Condition.Or or -> Map.of("or", or.items().stream().map(ConditionValues::toPlain).toList());
            case Condition.Not not -> Map.of("not", toPlain(not.item()));
            case Condition.Matches matches -> Map.of("text", Map.of("fields", matches.paths(), "terms", matches.terms(),
                    "all", matches.all()));
            case Condition.Related related -> {
                // derived from a filter on the related type, never stored: shown for reading only
                var out = new LinkedHashMap<String, Object>();
                out.put("related", related.related().qualifiedName());
                out.put("field", related.path());
                out.put("relatedField", related.relatedPath());
                if (related.condition() != null) {
                    out.put("condition", toPlain(related.condition()));
                }
                yield Map.of("related", out);
            }
            case Condition.Compare compare -> {
                var out = new LinkedHashMap<String, Object>();
                out.put("field", compare.path());
                out.put("op", compare.op().name());
                if (compare.value() != null) {
                    out.put("value", plainValue(compare.value()));
                }
                yield out;
            }
        };
    }

    /** Reads a condition; anything else is {@code INVALID} naming what is wrong. */
    public static Condition fromPlain(Object plain) {
        return read(plain, 0);
    }

    private static Condition read(Object plain, int depth) {
        if (depth > MAX_DEPTH) {
            throw Failure.invalid("a condition may nest at most " + MAX_DEPTH + " levels");
        }
        if (!(plain instanceof Map<?, ?> map) || map.isEmpty()) {
            throw Failure.invalid("a condition is an object with and, or, not, or field and op");
        }
        if (map.size() == 1 && map.containsKey("and")) {
            return new Condition.And(items(map.get("and"), "and", depth));
        }
        if (map.size() == 1 && map.containsKey("or")) {
            return new Condition.Or(items(map.get("or"), "or", depth));
        }
        if (map.size() == 1 && map.containsKey("not")) {
            return new Condition.Not(read(map.get("not"), depth + 1));
        }
        if (map.size() == 1 && map.containsKey("text")) {
            return text(map.get("text"));
        }
        for (var key : map.keySet()) {
            if (!"field".equals(key) && !"op".equals(key) && !"value".equals(key)) {
                throw Failure.invalid("unknown key '" + key + "' in a condition");
            }
        }
        if (!(map.get("field") instanceof String field) || field.isBlank()) {
            throw Failure.invalid("a comparison needs a field");
        }
        if (!(map.get("op") instanceof String op)) {
            throw Failure.invalid("a comparison needs an op, one of " + List.of(Condition.Op.values()));
        }
        Condition.Op parsed;
        try {
            parsed = Condition.Op.valueOf(op.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Failure.invalid("unknown op '" + op + "', expected one of " + List.of(Condition.Op.values()));
        }
        var value = map.get("value");
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw Failure.invalid("the value of a comparison is a string, number or boolean");
        }
        return new Condition.Compare(field, parsed, value);
    }

    /** {@code {"fields":["Person.lastName"],"terms":["jansen"],"all":true}}. */
    private static Condition text(Object plain) {
        if (!(plain instanceof Map<?, ?> map) || !(map.get("fields") instanceof List<?> fields) || !(map.get("terms") instanceof List<?> terms)) {
            throw Failure.invalid("a text condition is {\"text\":{\"fields\":[…],\"terms\":[…],\"all\":true|false}}");
        }
        for (var key : map.keySet()) {
            if (!"fields".equals(key) && !"terms".equals(key) && !"all".equals(key)) {
                throw Failure.invalid("unknown key '" + key + "' in a text condition");
            }
        }
        var paths = new ArrayList<String>();
        for (var field : fields) {
            if (!(field instanceof String s)) {
                throw Failure.invalid("the fields of a text condition are field names");
            }
            paths.add(s);
        }
        var words = new ArrayList<String>();
        for (var term : terms) {
            if (!(term instanceof String s)) {
                throw Failure.invalid("the terms of a text condition are strings");
            }
            words.add(s);
        }
        return new Condition.Matches(paths, words, !Boolean.FALSE.equals(map.get("all")));
    }

    private static List<Condition> items(Object plain, String key, int depth) {
        if (!(plain instanceof List<?> list) || list.isEmpty()) {
            throw Failure.invalid("'" + key + "' takes a non-empty list of conditions");
        }
        var out = new ArrayList<Condition>();
        for (var item : list) {
            out.add(read(item, depth + 1));
        }
        return out;
    }

    /** Typed values (dates, decimals) as the strings and numbers they were read from. */
    private static Object plainValue(Object value) {
        return switch (value) {
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case BigDecimal d -> d;
            case Double d -> d;
            default -> value.toString();
        };
    }
}

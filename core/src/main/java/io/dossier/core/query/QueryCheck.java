package io.dossier.core.query;

import io.dossier.core.Failure;
import io.dossier.core.schema.FieldValues;
import io.dossier.core.schema.FieldDef;
import io.dossier.core.schema.FieldType;
import io.dossier.core.schema.RecordType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a query against a record type's definition and types its values: only filterable fields
 * in conditions, sortable fields in sorts, listable fields in lists, and every value coerced to its
 * field's type. What passes here is all storage ever sees.
 */
public final class QueryCheck {

    private QueryCheck() {
    }

    /** Checks and types a condition alone (for callers with their own paging and sorting). */
    public static Condition checkCondition(RecordType type, Condition condition) {
        return condition == null ? null : condition(type, condition);
    }

    public static Query check(RecordType type, Query query) {
        var condition = query.condition() == null ? null : condition(type, query.condition());
        var sort = query.sort().stream().map(key -> sortKey(type, key)).toList();
        var fields = fields(type, query.fields(), true);
        return new Query(condition, sort, fields, query.page(), query.language());
    }

    /**
     * The fields to return: as asked, or those shown in lists by default when none were asked for.
     * Asked-for fields that do not exist, or are not listable in a list, are left out rather than
     * refused: real clients ask for long fixed field lists across client configurations.
     */
    public static Set<String> fields(RecordType type, Set<String> asked, boolean list) {
        var out = new LinkedHashSet<String>();
        if (asked.isEmpty()) {
            collectDefaults(type.fields(), out, list);
            return out;
        }
        for (var path : asked) {
            type.field(path).filter(field -> !list || field.flags().listable()).ifPresent(field -> out.add(path));
        }
        return out;
    }

    private static void collectDefaults(List<FieldDef> fields, Set<String> out, boolean list) {
        for (var field : fields) {
            if (!list) {
                out.add(field.path());
            } else if (field.flags().inListByDefault() && field.flags().listable()) {
                out.add(field.path());
            }
        }
    }

    private static Condition condition(RecordType type, Condition condition) {
        return switch (condition) {
            case Condition.And and -> new Condition.And(and.items().stream().map(c -> condition(type, c)).toList());
            case Condition.Or or -> new Condition.Or(or.items().stream().map(c -> condition(type, c)).toList());
            case Condition.Not not -> new Condition.Not(condition(type, not.item()));
            case Condition.Compare compare -> compare(type, compare);
            case Condition.Matches matches -> matches(type, matches);
            case Condition.Related related -> related;
        };
    }

    /** At most this many terms in one full-text condition, each at most {@link #MAX_TERM} characters. */
    public static final int MAX_TERMS = 32;
    public static final int MAX_TERM = 200;

    private static Condition matches(RecordType type, Condition.Matches matches) {
        if (matches.paths().isEmpty()) {
            throw Failure.invalid("a text search needs at least one field");
        }
        for (var path : matches.paths()) {
            var field = known(type, path);
            if (!field.flags().searchable()) {
                throw Failure.invalid("field " + path + " is not searchable");
            }
        }
        if (matches.terms().isEmpty() || matches.terms().size() > MAX_TERMS) {
            throw Failure.invalid("a text search takes 1 to " + MAX_TERMS + " terms");
        }
        for (var term : matches.terms()) {
            if (term == null || term.isBlank() || term.length() > MAX_TERM || term.indexOf('\0') >= 0) {
                throw Failure.invalid("a search term is 1 to " + MAX_TERM + " characters of text");
            }
        }
        return new Condition.Matches(matches.paths().stream().distinct().toList(), matches.terms(), matches.all());
    }

    private static Condition compare(RecordType type, Condition.Compare compare) {
        var field = known(type, compare.path());
        if (!field.type().scalar()) {
            throw Failure.invalid("field " + compare.path() + " is a " + field.type().wireName() + "; filter on one of its fields");
        }
        if (!field.flags().filterable()) {
            throw Failure.invalid("field " + compare.path() + " is not filterable");
        }
        var text = field.type() == FieldType.STRING || field.type() == FieldType.TEXT;
        return switch (compare.op()) {
            case TRUE, FALSE -> {
                if (field.type() != FieldType.BOOLEAN) {
                    throw Failure.invalid("operator " + compare.op() + " needs a boolean field; " + compare.path() + " is " + field.type().wireName());
                }
                yield new Condition.Compare(compare.path(), compare.op(), null);
            }
            case LIKE, NLIKE, STARTS_WITH, ENDS_WITH, CONTAINS -> {
                if (!text) {
                    throw Failure.invalid("operator " + compare.op() + " needs a text field; " + compare.path() + " is " + field.type().wireName());
                }
                if (compare.value() == null) {
                    throw Failure.invalid("operator " + compare.op() + " on " + compare.path() + " needs a value");
                }
                yield new Condition.Compare(compare.path(), compare.op(), FieldValues.coerce(field, compare.value()));
            }
            case EQ, NE, GE, GT, LE, LT -> new Condition.Compare(compare.path(), compare.op(), FieldValues.coerce(field, compare.value()));
        };
    }

    private static SortKey sortKey(RecordType type, SortKey key) {
        if (key.isRelevance()) {
            return key;
        }
        var field = known(type, key.path());
        if (!field.type().scalar() || !field.flags().sortable()) {
            throw Failure.invalid("field " + key.path() + " is not sortable");
        }
        return key;
    }

    static FieldDef known(RecordType type, String path) {
        return type.field(path).orElseThrow(() -> Failure.invalid("unknown field " + path + " in " + type.qualifiedName()));
    }

    /** Paths of every condition in the tree (for tests and diagnostics). */
    public static List<String> paths(Condition condition) {
        var out = new ArrayList<String>();
        switch (condition) {
            case Condition.And and -> and.items().forEach(c -> out.addAll(paths(c)));
            case Condition.Or or -> or.items().forEach(c -> out.addAll(paths(c)));
            case Condition.Not not -> out.addAll(paths(not.item()));
            case Condition.Compare compare -> out.add(compare.path());
            case Condition.Matches matches -> out.addAll(matches.paths());
            case Condition.Related related -> out.add(related.path());
        }
        return out;
    }
}

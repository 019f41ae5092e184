package io.dossier.store.sql;

import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.trueCondition;

import io.dossier.core.query.Condition;
import io.dossier.store.sql.RecordTables.Column;
import io.dossier.store.sql.RecordTables.Location;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Compiles the core condition tree into a jOOQ condition over the record table aliased
 * {@value #ROW} (and the text table aliased {@value #TEXT}, joined for the query's language). Values
 * are always bound parameters; column names come only from {@link RecordTables}.
 */
final class ConditionCompiler {

    static final String ROW = "r";
    static final String TEXT = "t";
    static final String ITEM = "c";
    private static final char ESCAPE = '\\';

    private final RecordTables tables;
    private final String row;
    private final java.util.function.Function<io.dossier.core.schema.RecordType, RecordTables> related;
    private final Field<Long> tenant;
    private final Params params;
    private final FullTextSql fullText;
    private final List<Condition.Matches> matches = new ArrayList<>();
    private boolean usesText;
    private final SQLDialect dialect;

    /**
     * @param row      the alias of the record table this condition is about
     * @param tenant   the tenant's parameter, as {@code params} holds it
     * @param params   where every value of the condition is put, a named parameter
     * @param fullText how this database answers {@link Condition.Matches}
     * @param related  the tables of another record type, for {@link Condition.Related}
     * @param dialect  the database's, for how a list of uids is written ({@link RecordTables#oneOf}); null: as an IN list
     */
    ConditionCompiler(RecordTables tables, String row, Field<Long> tenant, Params params, FullTextSql fullText,
                      java.util.function.Function<io.dossier.core.schema.RecordType, RecordTables> related, SQLDialect dialect) {
        this.dialect = dialect;
        this.tables = tables;
        this.row = row;
        this.related = related;
        this.tenant = tenant;
        this.params = params;
        this.fullText = fullText;
    }

    /**
     * How well a row matches the text searches of the compiled condition (their sum), for sorting
     * by relevance; 0 when there are none. Call after {@link #compile}.
     */
    Field<Double> relevance() {
        Field<Double> sum = null;
        for (var match : matches) {
            var score = fullText.score(locations(match), match.terms(), params);
            sum = sum == null ? score : sum.plus(score);
        }
        return sum == null ? FullTextSql.ZERO : sum;
    }

    /** Whether a compiled condition holds a text search. */
    boolean searchesText() {
        return !matches.isEmpty();
    }

    /** Whether a compiled condition refers to a translatable field, so the text table must be joined. */
    boolean usesText() {
        return usesText;
    }

    /**
     * What of {@code condition} decides the text {@link #compile} makes of it, for a statement
     * rendered once per shape ({@link Database#read(Database.Plan, Object, java.util.function.Supplier,
     * java.util.Map, String, Database.Rows)}): its tree; each comparison's path, operator, and whether
     * its value is null and of which class; each text search's paths, number of terms and whether
     * all must match; each related type's tables. Never a value: every value is a named parameter
     * ({@link Params}), so one text serves every condition of a shape. H2's text searches write the
     * ids its index found into the text, so no statement with one is rendered once there.
     */
    static Object shapeOf(Condition condition, java.util.function.Function<io.dossier.core.schema.RecordType, RecordTables> related) {
        return switch (condition) {
            case null -> "all";
            case Condition.And and -> List.of("and", and.items().stream().map(item -> shapeOf(item, related)).toList());
            case Condition.Or or -> List.of("or", or.items().stream().map(item -> shapeOf(item, related)).toList());
            case Condition.Not not -> List.of("not", shapeOf(not.item(), related));
            case Condition.Compare c -> new Condition.Compare(c.path(), c.op(), c.value() == null ? "null" : c.value().getClass().getName());
            case Condition.Matches m -> List.of("matches", m.paths(), m.terms().size(), m.all());
            case Condition.Related r -> List.of("related", related.apply(r.related()), r.path(), r.relatedPath(), shapeOf(r.condition(), related));
        };
    }

    org.jooq.Condition compile(Condition condition) {
        if (condition == null) {
            return trueCondition();
        }
        return switch (condition) {
            case Condition.And and -> DSL.and(and.items().stream().map(this::compile).toList());
            case Condition.Or or -> or.items().isEmpty() ? falseCondition() : or(or);
            case Condition.Not not -> DSL.not(compile(not.item()));
            case Condition.Compare compare -> compare(compare);
            case Condition.Matches match -> matches(match);
            case Condition.Related relation -> related(relation);
        };
    }

    /**
     * An OR; one of equalities of a row field (or the uid) with values, such as a page of records
     * looked up by uid, becomes one {@code IN}: PostgreSQL plans 1,000 ORed equalities as a filter
     * over the tenant's rows (600 ms for a Youforce walk page), an {@code IN} list as one index probe each.
     */
    private org.jooq.Condition or(Condition.Or or) {
        var first = or.items().getFirst() instanceof Condition.Compare c ? c : null;
        if (first != null && or.items().size() > 1 && or.items().stream().allMatch(item -> item instanceof Condition.Compare c
                && c.op() == Condition.Op.EQ && c.value() != null && c.path().equals(first.path()))) {
            var values = or.items().stream().map(item -> ((Condition.Compare) item).value()).toList();
            switch (tables.locate(first.path())) {
                case Location.Uid uid -> {
                    var uids = values.stream().map(String::valueOf).toList();
                    return RecordTables.oneOf(DSL.field(DSL.name(row, "uid"), SQLDataType.VARCHAR(40)), uids, String[]::new, dialect, params);
                }
                case Location.Row r -> {
                    return r.column().in(row).in(values.stream().map(v -> params.next(RecordTables.toDb(r.column(), v))).toList());
                }
                default -> {
                }
            }
        }
        return DSL.or(or.items().stream().map(this::compile).toList());
    }

    /** EXISTS a record of the related type, in the tenant, whose field equals this one's and that meets the condition. */
    private org.jooq.Condition related(Condition.Related relation) {
        var other = related.apply(relation.related());
        var alias = row + "r";
        var inner = new ConditionCompiler(other, alias, tenant, params, fullText, related, dialect);
        var where = new ArrayList<org.jooq.Condition>();
        where.add(DSL.field(DSL.name(alias, "tenant_id"), Long.class).eq(tenant));
        where.add(rowField(other, alias, relation.relatedPath()).eq(rowField(tables, row, relation.path())));
        where.add(inner.compile(relation.condition()));
        if (inner.usesText()) {
            throw new IllegalArgumentException("a related condition may not name translatable fields");
        }
        return exists(selectOne().from(other.mainTable().as(alias)).where(where));
    }

    private static Field<Object> rowField(RecordTables tables, String alias, String path) {
        return switch (tables.locate(path)) {
            case Location.Uid uid -> RecordTables.typed(DSL.name(alias, "uid"), SQLDataType.VARCHAR(40));
            case Location.Row row -> row.column().in(alias);
            default -> throw new IllegalArgumentException("a related condition joins on row fields, not " + path);
        };
    }

    private org.jooq.Condition matches(Condition.Matches match) {
        if (fullText == null) {
            throw new IllegalStateException("a text search needs the database's full-text support");
        }
        matches.add(match);
        var locations = locations(match);
        var terms = match.terms().stream().map(term -> fullText.term(tables, locations, term, tenant, params)).toList();
        return match.all() ? DSL.and(terms) : DSL.or(terms);
    }

    private List<Location> locations(Condition.Matches match) {
        var out = new ArrayList<Location>();
        for (var path : match.paths()) {
            var location = tables.locate(path);
            if (location instanceof Location.Text) {
                usesText = true;
            }
            if (location instanceof Location.Uid) {
                throw new IllegalArgumentException("uid is not searchable");
            }
            out.add(location);
        }
        return out;
    }

    private org.jooq.Condition compare(Condition.Compare compare) {
        return switch (tables.locate(compare.path())) {
            case Location.Uid uid -> test(RecordTables.typed(DSL.name(row, "uid"), SQLDataType.VARCHAR(40)), true, compare, compare.value());
            case Location.Row r -> test(r.column().in(row), r.column().text(), compare, value(r.column(), compare));
            case Location.Text text -> {
                usesText = true;
                yield test(text.column().in(TEXT), text.column().text(), compare, value(text.column(), compare));
            }
            case Location.Item item -> exists(selectOne()
                    .from(item.table().table().as(ITEM))
                    .where(DSL.field(DSL.name(ITEM, "record_id"), Long.class).eq(DSL.field(DSL.name(row, "id"), Long.class)),
                            DSL.field(DSL.name(ITEM, "tenant_id"), Long.class).eq(tenant),
                            test(item.column().in(ITEM), item.column().text(), compare, value(item.column(), compare))));
        };
    }

    private static Object value(Column column, Condition.Compare compare) {
        return switch (compare.op()) {
            case LIKE, NLIKE, STARTS_WITH, ENDS_WITH, CONTAINS -> compare.value();
            default -> RecordTables.toDb(column, compare.value());
        };
    }

    private org.jooq.Condition test(Field<Object> field, boolean textColumn, Condition.Compare compare, Object value) {
        return switch (compare.op()) {
            case EQ -> value == null ? field.isNull() : field.eq(params.next(value));
            // "status NE 3" includes records without a status, as a person reading it expects
            case NE -> value == null ? field.isNotNull() : field.ne(params.next(value)).or(field.isNull());
            case GE -> value == null ? falseCondition() : field.ge(params.next(value));
            case GT -> value == null ? falseCondition() : field.gt(params.next(value));
            case LE -> value == null ? falseCondition() : field.le(params.next(value));
            case LT -> value == null ? falseCondition() : field.lt(params.next(value));
            case TRUE -> field.eq(params.next(Boolean.TRUE));
            case FALSE -> field.eq(params.next(Boolean.FALSE));
            case LIKE -> text(field, textColumn).like(params.next(String.valueOf(value))).escape(ESCAPE);
            case NLIKE -> text(field, textColumn).notLike(params.next(String.valueOf(value))).escape(ESCAPE).or(field.isNull());
            case STARTS_WITH -> text(field, textColumn).like(params.next(escapeLike(String.valueOf(value)) + "%")).escape(ESCAPE);
            case ENDS_WITH -> text(field, textColumn).like(params.next("%" + escapeLike(String.valueOf(value)))).escape(ESCAPE);
            case CONTAINS -> text(field, textColumn).like(params.next("%" + escapeLike(String.valueOf(value)) + "%")).escape(ESCAPE);
        };
    }

    private static Field<String> text(Field<Object> field, boolean textColumn) {
        return textColumn ? field.coerce(String.class) : field.cast(SQLDataType.VARCHAR);
    }

    /** The value as a LIKE pattern that matches only itself: {@code \}, {@code %} and {@code _} escaped. */
    static String escapeLike(String value) {
        var out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (c == ESCAPE || c == '%' || c == '_') {
                out.append(ESCAPE);
            }
            out.append(c);
        }
        return out.toString();
    }
}

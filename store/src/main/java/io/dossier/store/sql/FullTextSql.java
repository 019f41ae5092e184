package io.dossier.store.sql;

import static io.dossier.store.sql.ConditionCompiler.ITEM;
import static io.dossier.store.sql.ConditionCompiler.ROW;
import static io.dossier.store.sql.ConditionCompiler.TEXT;
import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.selectOne;

import io.dossier.store.sql.RecordTables.Location;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * How one database answers a full-text term over some searchable columns, and scores a match:
 * PostgreSQL from the generated {@code tsvector} columns and their GIN indexes; H2 by asking its
 * native full-text index for the records that hold the term's words, then checking the term in
 * the asked-for columns (case-insensitive, as a whole word or phrase) on those records only.
 */
abstract sealed class FullTextSql {

    /**
     * The double constants of scores, as plain SQL: jOOQ renders an inlined double through its
     * number formatter on every query, a measurable share of a search's CPU.
     */
    static final Field<Double> ZERO = DSL.field("cast(0 as double precision)", SQLDataType.DOUBLE);
    static final Field<Double> ONE = DSL.field("cast(1 as double precision)", SQLDataType.DOUBLE);


    /** @param withoutIndex H2: the tables whose full-text index is not built yet */
    static FullTextSql of(DSLContext sql, Set<String> withoutIndex) {
        return sql.dialect().family() == SQLDialect.POSTGRES ? new Postgres() : new H2(sql, withoutIndex);
    }

    /** The term (a word, or a phrase of words in order) in any of {@code locations}. */
    abstract org.jooq.Condition term(RecordTables tables, List<Location> locations, String term, Field<Long> tenant, Params params);

    /** How well a record matches {@code terms} in {@code locations}: higher is better, 0 for none. */
    abstract Field<Double> score(List<Location> locations, List<String> terms, Params params);

    /** A column of the record or its text row; null for collection items (they are tested, not scored). */
    static Field<Object> scored(Location location, boolean vector) {
        return switch (location) {
            case Location.Row row -> vector ? row.column().vectorIn(ROW) : row.column().in(ROW);
            case Location.Text text -> vector ? text.column().vectorIn(TEXT) : text.column().in(TEXT);
            default -> null;
        };
    }

    static org.jooq.Condition inItems(Location.Item item, Field<Long> tenant, org.jooq.Condition test) {
        return exists(selectOne()
                .from(item.table().table().as(ITEM))
                .where(DSL.field(DSL.name(ITEM, "record_id"), Long.class).eq(DSL.field(DSL.name(ROW, "id"), Long.class)),
                        DSL.field(DSL.name(ITEM, "tenant_id"), Long.class).eq(tenant),
                        test));
    }

    static final class Postgres extends FullTextSql {

        private static org.jooq.Condition matches(Field<Object> vector, Field<String> term) {
            return DSL.condition("{0} @@ phraseto_tsquery('simple'::regconfig, {1})", vector, term);
        }

        /**
         * Over the record's own columns: an OR of index matches, which PostgreSQL answers with a
         * BitmapOr of their GIN indexes. With collection items too, an OR with a subquery would read
         * every row of the tenant, so the record's ids are gathered instead from each index (a UNION
         * of index scans), which the planner turns into a semi-join on the primary key.
         */
        @Override
        org.jooq.Condition term(RecordTables tables, List<Location> locations, String words, Field<Long> tenant, Params params) {
            var term = params.next(words);
            var own = new ArrayList<org.jooq.Condition>();
            var items = new ArrayList<Location.Item>();
            boolean translated = false;
            for (var location : locations) {
                switch (location) {
                    case Location.Item item -> items.add(item);
                    case Location.Text text -> {
                        translated = true;
                        own.add(matches(scored(location, true), term));
                    }
                    default -> own.add(matches(scored(location, true), term));
                }
            }
            if (items.isEmpty()) {
                return DSL.or(own);
            }
            if (translated) {
                // text rows are joined for the query's language: keep it simple, and slower
                var any = new ArrayList<>(own);
                items.forEach(item -> any.add(inItems(item, tenant, matches(item.column().vectorIn(ITEM), term))));
                return DSL.or(any);
            }
            org.jooq.Select<org.jooq.Record1<Long>> ids = null;
            if (!own.isEmpty()) {
                var mine = new ArrayList<org.jooq.Condition>();
                for (var location : locations) {
                    if (location instanceof Location.Row row) {
                        mine.add(matches(row.column().vectorIn(OWN), term));
                    }
                }
                ids = DSL.select(DSL.field(DSL.name(OWN, "id"), Long.class)).from(tables.mainTable().as(OWN))
                        .where(DSL.field(DSL.name(OWN, "tenant_id"), Long.class).eq(tenant), DSL.or(mine));
            }
            for (var item : items) {
                var select = DSL.select(DSL.field(DSL.name(ITEM, "record_id"), Long.class)).from(item.table().table().as(ITEM))
                        .where(DSL.field(DSL.name(ITEM, "tenant_id"), Long.class).eq(tenant), matches(item.column().vectorIn(ITEM), term));
                ids = ids == null ? select : ids.unionAll(select);
            }
            return DSL.field(DSL.name(ROW, "id"), Long.class).in(ids);
        }

        private static final String OWN = "s";

        @Override
        Field<Double> score(List<Location> locations, List<String> terms, Params params) {
            var query = new ArrayList<String>();
            var binds = new ArrayList<Object>();
            for (var term : terms) {
                query.add("phraseto_tsquery('simple'::regconfig, {" + binds.size() + "})");
                binds.add(params.next(term));
            }
            var tsquery = DSL.field("(" + String.join(" || ", query) + ")", Object.class, binds.toArray());
            Field<Double> sum = null;
            for (var location : locations) {
                var vector = scored(location, true);
                if (vector == null) {
                    continue;
                }
                Field<Double> rank = DSL.coalesce(DSL.field("ts_rank({0}, {1})", SQLDataType.DOUBLE, vector, tsquery), ZERO);
                sum = sum == null ? rank : sum.plus(rank);
            }
            return sum == null ? ZERO : sum;
        }
    }

    static final class H2 extends FullTextSql {

        private static final String NOT_WORD = "[\\p{L}\\p{N}]";
        private final DSLContext sql;
        private final Set<String> withoutIndex;

        H2(DSLContext sql, Set<String> withoutIndex) {
            this.sql = sql;
            this.withoutIndex = withoutIndex;
        }

        /** The term as a case-insensitive regular expression: itself, not inside a longer word, any run of spaces between its words. */
        static String pattern(String term) {
            var words = new ArrayList<String>();
            for (var word : term.strip().split("\\s+")) {
                words.add(Pattern.quote(word));
            }
            return "(?iu)(?<!" + NOT_WORD + ")" + String.join("\\s+", words) + "(?!" + NOT_WORD + ")";
        }

        private static org.jooq.Condition holds(Field<Object> column, String term, Params params) {
            return DSL.condition("REGEXP_LIKE({0}, {1})", column.cast(SQLDataType.VARCHAR), params.next(pattern(term)));
        }

        @Override
        org.jooq.Condition term(RecordTables tables, List<Location> locations, String term, Field<Long> tenant, Params params) {
            var indexed = new LinkedHashSet<String>();
            var any = new ArrayList<org.jooq.Condition>();
            for (var location : locations) {
                switch (location) {
                    case Location.Row row -> {
                        indexed.add(tables.main());
                        any.add(holds(row.column().in(ROW), term, params));
                    }
                    case Location.Text text -> {
                        indexed.add(tables.textName());
                        any.add(holds(text.column().in(TEXT), term, params));
                    }
                    case Location.Item item -> {
                        indexed.add(item.table().name());
                        any.add(inItems(item, tenant, holds(item.column().in(ITEM), term, params)));
                    }
                    case Location.Uid uid -> throw new IllegalArgumentException("uid is not searchable");
                }
            }
            if (!java.util.Collections.disjoint(indexed, withoutIndex)) {
                return DSL.or(any);   // a table's index is not built yet: every row is checked
            }
            var ids = H2FullText.recordIds(sql, term, indexed);
            if (ids.isEmpty()) {
                return falseCondition();
            }
            return DSL.field(DSL.name(ROW, "id"), Long.class).in(ids).and(DSL.or(any));
        }

        @Override
        Field<Double> score(List<Location> locations, List<String> terms, Params params) {
            Field<Double> sum = null;
            for (var term : terms) {
                for (var location : locations) {
                    var column = scored(location, false);
                    if (column == null) {
                        continue;
                    }
                    Field<Double> one = DSL.when(holds(column, term, params), ONE).otherwise(ZERO);
                    sum = sum == null ? one : sum.plus(one);
                }
            }
            return sum == null ? ZERO : sum;
        }
    }
}

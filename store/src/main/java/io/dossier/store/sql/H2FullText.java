package io.dossier.store.sql;

import io.dossier.store.sql.RecordTables.Column;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * H2's native full-text index ({@code org.h2.fulltext.FullText}) for the embedded database. It is
 * H2's own: word tables in schema {@code ft}, filled by triggers inside the writing transaction, so
 * the index commits and rolls back with the rows (the Lucene-based variant keeps a separate index
 * outside the transaction and needs Lucene on the class path). It indexes whole rows (the chosen
 * columns of one table together), splits words at punctuation and matches all the words of a
 * query; {@link FullTextSql} narrows a search with it and then checks the exact field and phrase.
 */
final class H2FullText {

    private H2FullText() {
    }

    /** Table → the columns of its full-text index, in the current schema; empty before the first index. */
    static Map<String, String> existing(DSLContext sql) {
        var out = new HashMap<String, String>();
        try {
            sql.resultQuery("SELECT \"table\", \"columns\" FROM ft.indexes WHERE \"schema\" = CURRENT_SCHEMA")
                    .forEach(r -> out.put(r.get(0, String.class), r.get(1, String.class)));
        } catch (DataAccessException noIndexYet) {
            // schema ft is made by the first FT_INIT
        }
        return out;
    }

    /**
     * The statements that make the index functions (once) and, per table, an index over exactly its
     * searchable columns; an index over other columns is dropped and made again (which reindexes).
     */
    static List<Query> missing(DSLContext sql, Map<String, List<Column>> byTable, Map<String, String> existing) {
        var out = new ArrayList<Query>();
        for (var entry : byTable.entrySet()) {
            var columns = entry.getValue().stream().map(Column::name).collect(Collectors.joining(","));
            var have = existing.get(entry.getKey());
            if (columns.equals(have)) {
                continue;
            }
            if (out.isEmpty()) {
                out.add(sql.query("CREATE ALIAS IF NOT EXISTS FT_INIT FOR 'org.h2.fulltext.FullText.init'"));
                out.add(sql.query("CALL FT_INIT()"));
                // the index numbers every new word and every indexed row (see RecordTables#IDENTITY_CACHE)
                out.add(sql.query("ALTER TABLE ft.words ALTER COLUMN id SET CACHE " + RecordTables.IDENTITY_CACHE));
                out.add(sql.query("ALTER TABLE ft.rows ALTER COLUMN id SET CACHE " + RecordTables.IDENTITY_CACHE));
            }
            if (have != null) {
                out.add(sql.query("CALL FT_DROP_INDEX(CURRENT_SCHEMA, {0})", DSL.inline(entry.getKey())));
            }
            // indexes the rows already there, then keeps up with every insert, update and delete
            out.add(sql.query("CALL FT_CREATE_INDEX(CURRENT_SCHEMA, {0}, {1})", DSL.inline(entry.getKey()), DSL.inline(columns)));
        }
        return out;
    }

    /**
     * Record ids (the first key column of each table: {@code id} or {@code record_id}) of the rows
     * of {@code tables} that hold every word of {@code text}, in any tenant.
     */
    static Set<Long> recordIds(DSLContext sql, String text, Set<String> tables) {
        var out = new HashSet<Long>();
        sql.resultQuery("SELECT \"TABLE\", \"COLUMNS\", \"KEYS\" FROM FT_SEARCH_DATA({0}, 0, 0)", DSL.val(text)).forEach(r -> {
            if (tables.contains(r.get(0, String.class))) {
                // the key columns as H2 lists them: id, or record_id beside lang or item_key
                var columns = List.of(r.get(1, String[].class));
                var keys = r.get(2, String[].class);
                var at = columns.indexOf(columns.contains("id") ? "id" : "record_id");
                out.add(Long.parseLong(keys[at]));
            }
        });
        return out;
    }
}

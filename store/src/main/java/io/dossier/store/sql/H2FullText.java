package io.dossier.store.sql;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * H2's native full-text index ({@code org.h2.fulltext.FullText}) for the embedded database. It is
 * H2's own: word tables in schema {@code ft}, filled by triggers inside the writing transaction, so
 * the index commits and rolls back with the rows (the Lucene-based variant keeps a separate index
 * outside the transaction and needs Lucene on the class path). It indexes whole rows (the chosen
 * columns of one table together), splits words at punctuation and matches all the words of a
 * query; {@link FullTextSql} narrows a search with it and then checks the exact field and phrase.
 *
 * <p>A start builds the indexes that are missing or not known to be whole ({@link SqlRecordRepository#prepare});
 * one that is about to add many rows (the demo seed: 74,000 words of 1,700 rows, 1.3 s of a 5.5 s
 * first start when indexed as they came) may build them once it has added them. Until a table's
 * index is built, searches there check every row, so they find the same records either way.
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
     * The {@link SchemaFingerprints} part that says whether the last build of indexes ended:
     * {@link #BUILDING} from its start to its end, so that a start after a build cut off by a crash
     * builds them all again (an index whose build was cut off is there, but misses rows);
     * {@link #BUILT} after.
     */
    static final String PART = "h2-full-text";
    static final String BUILDING = "building";
    static final String BUILT = "built";

    /**
     * The tables of {@code wanted} (table → its columns, comma-separated) whose index is to be built:
     * every one after a build that did not end, else those without an index over exactly their
     * columns (indexes made at open by earlier versions, which kept no record, are whole).
     */
    static Set<String> due(Database db, Map<String, String> wanted) {
        var cutOff = BUILDING.equals(SchemaFingerprints.recorded(db.dataSource(), PART));
        var existing = existing(db.sql());
        var out = new java.util.TreeSet<String>();
        wanted.forEach((table, columns) -> {
            if (cutOff || !columns.equals(existing.get(table))) {
                out.add(table);
            }
        });
        return out;
    }

    static void record(Database db, String state) {
        SchemaFingerprints.record(db.dataSource(), PART, state);
    }

    /** The index functions and tables; each statement does nothing when it has been run before. */
    static void init(DSLContext sql) {
        sql.query("CREATE ALIAS IF NOT EXISTS FT_INIT FOR 'org.h2.fulltext.FullText.init'").execute();
        sql.query("CALL FT_INIT()").execute();
        // the index numbers every new word and every indexed row (see RecordTables#IDENTITY_CACHE)
        sql.query("ALTER TABLE ft.words ALTER COLUMN id SET CACHE " + RecordTables.IDENTITY_CACHE).execute();
        sql.query("ALTER TABLE ft.rows ALTER COLUMN id SET CACHE " + RecordTables.IDENTITY_CACHE).execute();
    }

    /** Indexes {@code table} over {@code columns}: the rows there now, then every insert, update and delete; an index it had is dropped first. */
    static void build(DSLContext sql, String table, String columns, boolean hadOne) {
        if (hadOne) {
            sql.query("CALL FT_DROP_INDEX(CURRENT_SCHEMA, {0})", DSL.inline(table)).execute();
        }
        sql.query("CALL FT_CREATE_INDEX(CURRENT_SCHEMA, {0}, {1})", DSL.inline(table), DSL.inline(columns)).execute();
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

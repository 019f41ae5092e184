package io.dossier.store.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts kept as tally rows: writers add +n/-n rows in their own transaction (no row that
 * concurrent writers would wait for) and a count sums the rows of its keys. When a count reads
 * many more rows than it has keys, {@link #sumIfMany} sums them into one row per key. Used by
 * {@code document_tally} (V28) and {@code delivery_tally} (V30).
 */
final class Tallies {

    private static final Logger LOG = LoggerFactory.getLogger(Tallies.class);

    /** A count that read more rows than twice its keys and this many has them summed. */
    private static final int SLACK = 64;

    private Tallies() {
    }

    /**
     * Sums the rows of {@code table} that {@code where} selects into one per value of {@code keys}
     * (none where they come to 0), when the count that read {@code rows} rows of {@code keyCount}
     * keys found many more rows than keys. The rows summed are locked in the order of their ids, as
     * every other summing locks them, and deleted by id: rows that writers add meanwhile stay as they
     * are, and a summing alongside sums only what this one did not take. It is only for the next
     * count's sake, so a failure (a deadlock, a lock timeout) is logged and leaves the rows to a later
     * count.
     *
     * @param keys every column of the table but {@code id} and {@code amount}
     */
    static void sumIfMany(Database db, long rows, long keyCount, Table<?> table, Field<Long> id, List<Field<?>> keys,
                          Field<Long> amount, Condition where) {
        if (rows <= SLACK + 2 * keyCount) {
            return;
        }
        try {
            sum(db, table, id, keys, amount, where);
        } catch (RuntimeException e) {
            LOG.info("{} not summed up: {}", table.getName(), e.getMessage());
        }
    }

    private static void sum(Database db, Table<?> table, Field<Long> id, List<Field<?>> keys, Field<Long> amount, Condition where) {
        var columns = new ArrayList<Field<?>>();
        columns.add(id);
        columns.addAll(keys);
        columns.add(amount);
        db.inTransaction(() -> {
            var ids = new ArrayList<Long>();
            var sums = new LinkedHashMap<List<Object>, Long>();
            for (Record r : db.sql().select(columns).from(table).where(where).orderBy(id).forUpdate().fetch()) {
                ids.add(r.get(id));
                var key = new ArrayList<Object>(keys.size());
                keys.forEach(k -> key.add(r.get(k)));
                sums.merge(key, r.get(amount), Long::sum);
            }
            for (int from = 0; from < ids.size(); from += 1000) {
                db.sql().deleteFrom(table).where(id.in(ids.subList(from, Math.min(ids.size(), from + 1000)))).execute();
            }
            var inserted = new ArrayList<Field<?>>(keys);
            inserted.add(amount);
            var left = sums.entrySet().stream().filter(e -> e.getValue() != 0).toList();
            for (int from = 0; from < left.size(); from += 1000) {
                var insert = db.sql().insertInto(table).columns(inserted);
                for (var e : left.subList(from, Math.min(left.size(), from + 1000))) {
                    var values = new ArrayList<>(e.getKey());
                    values.add(e.getValue());
                    insert = insert.values(values);
                }
                insert.execute();
            }
            return null;
        });
    }
}

package io.dossier.core.record;

import io.dossier.core.query.Query;
import io.dossier.core.schema.RecordType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Port: storage of declared records. Every call takes the tenant; queries and changes arrive
 * checked against the definition and typed, so storage only translates them.
 */
public interface RecordRepository {

    /**
     * Makes storage fit {@code types}: one table per type with a typed column per row field, a
     * table per collection, per-language storage for translatable fields, and indexes on
     * filterable and sortable fields. Idempotent; adds what is missing, drops nothing.
     */
    void prepare(List<RecordType> types);

    void insert(long tenantId, RecordType type, RecordRow row);

    /**
     * Inserts {@code rows} of one type as {@link #insert} does each, in as few statements as the
     * store can (a bulk load's batch: the rows, their translations and collection items a table at
     * a time), in the caller's transaction; a uid that exists is a conflict, and the caller's
     * transaction then keeps none of them. This default inserts them one at a time.
     */
    default void insertAll(long tenantId, RecordType type, List<RecordRow> rows) {
        for (var row : rows) {
            insert(tenantId, type, row);
        }
    }

    /**
     * The record, with row values in {@code language} and the collections that {@code fields}
     * touch (a path equal to or under a collection's path); other collections may be left out.
     */
    Optional<RecordRow> find(long tenantId, RecordType type, String uid, String language, Set<String> fields);

    /**
     * The page of rows the query selects, in its order; collections loaded as for {@link #find};
     * row values: those of the query's fields (a field, or a container holding it), all of them
     * when it names none.
     */
    RowPage search(long tenantId, RecordType type, Query query);

    /**
     * Applies {@code changes} and raises the record's version (1 when inserted); returns the new
     * version, empty when the tenant has no such record.
     */
    OptionalLong update(long tenantId, RecordType type, String uid, RecordChanges changes);

    /** Removes the record with its collections and translations; returns the version it had, empty when there was none. */
    OptionalLong delete(long tenantId, RecordType type, String uid);

    /** The highest whole-number uid of the type's records in the tenant (uids that are not numbers ignored), 0 when none. */
    long highestNumberedUid(long tenantId, RecordType type);

    /** Whether the record exists in the tenant. */
    boolean exists(long tenantId, RecordType type, String uid);

    /**
     * Adds one to the integer field {@code path} of a record (null counts as 0) in one statement, so
     * that concurrent increments all count; returns the new value, or empty when there is no such record.
     */
    OptionalLong increment(long tenantId, RecordType type, String uid, String path);

    /** A change of the feed and the current row of its record: null when the record no longer exists. */
    record Changed(io.dossier.core.change.Change change, RecordRow row) {
    }

    /**
     * The changes {@link io.dossier.core.change.ChangeRepository#read} returns for {@code entityType}
     * (the type's records) after {@code (afterTransaction, afterPosition)}, in the feed's order,
     * each with its record's current row (as {@link #search} reads it with {@code fields}, no
     * language) read in the same statement: a client syncing a type reads feed and records in one.
     */
    default List<Changed> changedRows(long tenantId, RecordType type, Set<String> fields, String entityType, long afterTransaction,
                                      long afterPosition, java.time.Instant changedAfter, java.time.Instant changedUntil, int limit) {
        throw new UnsupportedOperationException("this record store does not read along the change feed");
    }

    /** The current versions of those of {@code uids} that exist in the tenant (1 when inserted, raised by each update). */
    default java.util.Map<String, Long> versions(long tenantId, RecordType type, java.util.Collection<String> uids) {
        throw new UnsupportedOperationException("this record store keeps no versions");
    }
}

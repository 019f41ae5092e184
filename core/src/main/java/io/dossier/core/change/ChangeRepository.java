package io.dossier.core.change;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Port: the change rows of every tenant. */
public interface ChangeRepository {

    /**
     * Appends a change in the caller's transaction and returns its position, unique within the
     * tenant. The store decides how changes are ordered (see {@link #read}).
     */
    long append(long tenantId, String entityType, String entityId, Change.Operation operation, long version, Instant at);

    /** A change to append: {@link #appendAll}. */
    record NewChange(long tenantId, String entityType, String entityId, Change.Operation operation, long version, Instant at) {
    }

    /**
     * Appends {@code changes} in the caller's transaction, as {@link #append} would one after the
     * other (positions increasing in their order), in as few statements as the store can: a write
     * of a thousand records appends a thousand changes. Changes of several tenants come grouped by
     * tenant, lowest id first. This default appends them one at a time.
     */
    default void appendAll(List<NewChange> changes) {
        for (var change : changes) {
            append(change.tenantId(), change.entityType(), change.entityId(), change.operation(), change.version(), change.at());
        }
    }

    /**
     * Up to {@code limit} changes of the tenant after {@code (afterTransaction, afterPosition)}, in
     * {@code (transaction, position)} order, of the given entity types (all when empty), changed
     * after {@code changedAfter} and up to {@code changedUntil} when those are given; only changes
     * that nothing can come before any more: once a change is returned, no change that sorts
     * before it can be committed later. A reader that pages by the last change it was given
     * therefore never skips a change that commits late, nor sees one twice. Changes that are
     * committed but may still have one sort before them (an older transaction is still running)
     * are held back until it ends.
     */
    List<Change> read(long tenantId, Set<String> entityTypes, long afterTransaction, long afterPosition, Instant changedAfter,
                      Instant changedUntil, int limit);

    /** Removes up to {@code limit} tombstones older than {@code before}; returns how many. */
    int collectTombstones(Instant before, int limit);

    /**
     * The last change of the tenant that {@link #read} would return now (empty when none): every
     * change committed later sorts after it, so a reader starting after it sees all of them. This
     * default reads the whole feed; a store answers it with one query.
     */
    default java.util.Optional<Change> last(long tenantId) {
        Change last = null;
        long transaction = 0;
        long position = 0;
        List<Change> page;
        do {
            page = read(tenantId, Set.of(), transaction, position, null, null, 1000);
            if (!page.isEmpty()) {
                last = page.getLast();
                transaction = last.transaction();
                position = last.position();
            }
        } while (page.size() == 1000);
        return java.util.Optional.ofNullable(last);
    }
}

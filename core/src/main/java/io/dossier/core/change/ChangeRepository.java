package io.dossier.core.change;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Port: the change rows of every tenant. */
public interface ChangeRepository {

    /**
     * Appends a change in the caller's transaction and returns its position. The tenant's next
     * position is taken under a lock held until that transaction ends, so positions become visible
     * in increasing order: once a reader sees position p, no position below p can appear later.
     */
    long append(long tenantId, String entityType, String entityId, Change.Operation operation, long version, Instant at);

    /**
     * Up to {@code limit} changes of the tenant after {@code afterPosition}, in position order,
     * of the given entity types (all when empty), changed after {@code changedAfter} and up to
     * {@code changedUntil} when those are given.
     */
    List<Change> read(long tenantId, Set<String> entityTypes, long afterPosition, Instant changedAfter, Instant changedUntil, int limit);

    /** Removes up to {@code limit} tombstones older than {@code before}; returns how many. */
    int collectTombstones(Instant before, int limit);
}

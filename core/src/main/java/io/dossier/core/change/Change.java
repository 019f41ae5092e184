package io.dossier.core.change;

import java.time.Instant;

/**
 * One entry of a tenant's change feed: an entity was created, updated or deleted (a tombstone:
 * the entity is gone from reads, its deletion stays in the feed for a while).
 *
 * <p>A feed is ordered by {@code (transaction, position)}: see {@link ChangeFeed} for why.
 *
 * @param transaction the order of the transaction that wrote the change, as the store numbers
 *                    them; 0 where the store orders its feed by position alone
 * @param position    unique within the tenant, increasing within a transaction (a rolled back
 *                    write may leave a gap)
 * @param version     the entity's version after the change (its version when deleted)
 */
public record Change(long tenantId, long transaction, long position, String entityType, String entityId, Operation operation,
                     long version, Instant changedAt) {

    public enum Operation { CREATE, UPDATE, DELETE }

    public boolean isTombstone() {
        return operation == Operation.DELETE;
    }
}

package io.dossier.core.change;

import java.time.Instant;

/**
 * One entry of a tenant's change feed: an entity was created, updated or deleted (a tombstone:
 * the entity is gone from reads, its deletion stays in the feed for a while).
 *
 * @param position increasing within the tenant, in commit order
 * @param version  the entity's version after the change (its version when deleted)
 */
public record Change(long tenantId, long position, String entityType, String entityId, Operation operation, long version,
                     Instant changedAt) {

    public enum Operation { CREATE, UPDATE, DELETE }

    public boolean isTombstone() {
        return operation == Operation.DELETE;
    }
}

package io.dossier.core.change;

import io.dossier.core.Failure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A tenant's change feed: every write appends a change in its own transaction; readers page
 * through it by position and never miss a change that commits late, because positions are
 * handed out in commit order (see {@link ChangeRepository#append}). Tombstones of deleted entities
 * stay for {@code tombstoneLifetime}, then are collected.
 */
public final class ChangeFeed {

    private final ChangeRepository changes;
    private final Clock clock;
    private final Duration tombstoneLifetime;

    public ChangeFeed(ChangeRepository changes, Clock clock, Duration tombstoneLifetime) {
        this.changes = changes;
        this.clock = clock;
        this.tombstoneLifetime = tombstoneLifetime;
    }

    /**
     * Records a change; call it inside the transaction of the write it describes, as its last
     * statement (the tenant's feed is locked from here to the commit).
     */
    public long record(long tenantId, String entityType, String entityId, Change.Operation operation, long version) {
        return changes.append(tenantId, entityType, entityId, operation, version, clock.instant());
    }

    /** A page of changes after {@code afterPosition} (0 for the start), optionally within a time window. */
    public List<Change> read(long tenantId, Set<String> entityTypes, long afterPosition, Instant changedAfter, Instant changedUntil,
                             int limit) {
        if (limit < 1) {
            throw Failure.invalid("limit must be 1 or more");
        }
        if (afterPosition < 0) {
            throw Failure.invalid("the position to read after must be 0 or more");
        }
        if (changedAfter != null && changedUntil != null && changedUntil.isBefore(changedAfter)) {
            throw Failure.invalid("changedUntil is before changedAfter");
        }
        return changes.read(tenantId, entityTypes, afterPosition, changedAfter, changedUntil, limit);
    }

    /** Collects tombstones past their lifetime, a batch at a time; returns how many. */
    public int collectTombstones(int limit) {
        return changes.collectTombstones(clock.instant().minus(tombstoneLifetime), limit);
    }
}

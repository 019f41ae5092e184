package io.dossier.core.paging;

import io.dossier.core.cache.BoundedCache;
import io.dossier.core.change.ChangeFeed;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counts of lists this node made, used again for a short time: a list asked with its count
 * reads its page alone while the count of the same list is known. A count is known for {@code time}
 * after it was made, until this node commits a write of its tenant (the change feed tells:
 * {@link ChangeFeed#onCommit}); writes of other nodes show within that time.
 *
 * @param <K> what names a list within a tenant: what is listed, the condition (the caller's
 *            filters in it), and anything else its count depends on
 */
public final class ListCounts<K> {

    private record Key<K>(long tenantId, K list) {
    }

    private record Counted(long writesBefore, long total) {
    }

    /** null: nothing is kept, every list counts */
    private final BoundedCache<Key<K>, Counted> counts;
    /** How many writes of each tenant this node committed: a count made before the latest is not used. */
    private final Map<Long, Long> committed = new ConcurrentHashMap<>();

    /** @param time how long a count is used again; zero counts every list */
    public ListCounts(ChangeFeed feed, Duration time) {
        this.counts = time.isPositive() ? new BoundedCache<>(10_000, time) : null;
        if (counts != null) {
            feed.onCommit(this::written);
        }
    }

    /** The tenant's writes on this node so far: taken before a list is read, and handed to {@link #known} and {@link #put}. */
    public long writes(long tenantId) {
        return committed.getOrDefault(tenantId, 0L);
    }

    /** The count of {@code list}, when one made after {@code writes} is kept. */
    public OptionalLong known(long tenantId, K list, long writes) {
        if (counts == null) {
            return OptionalLong.empty();
        }
        return counts.get(new Key<>(tenantId, list)).filter(c -> c.writesBefore() == writes)
                .map(c -> OptionalLong.of(c.total())).orElse(OptionalLong.empty());
    }

    /** Keeps the count of {@code list}, read after the tenant's {@code writes}. */
    public void put(long tenantId, K list, long writes, long total) {
        if (counts != null) {
            counts.put(new Key<>(tenantId, list), new Counted(writes, total));
        }
    }

    /** A write of the tenant that committed on this node; the change feed tells of its own, others call this. */
    public void written(long tenantId) {
        committed.merge(tenantId, 1L, Long::sum);
    }
}

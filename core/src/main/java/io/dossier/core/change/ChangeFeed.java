package io.dossier.core.change;

import io.dossier.core.Failure;
import io.dossier.core.Transactions;
import io.dossier.core.paging.Cursor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A tenant's change feed: every write appends a change in its own transaction; readers page
 * through it with a cursor and never miss a change that commits late, nor see one twice.
 * Tombstones of deleted entities stay for {@code tombstoneLifetime}, then are collected.
 *
 * <h2>Writing</h2>
 * A service runs its write in {@link #write}: one transaction, in which it calls {@link #created},
 * {@link #updated} or {@link #deleted} next to each change it makes. Those are queued and appended
 * when the work is done, as the transaction's last statements (on the embedded database appending
 * takes the tenant's feed lock, held to the commit: the shorter the rest of the transaction after
 * it, the less concurrent writers of the tenant wait). A service called inside another's write (a
 * file bound while a document is attached) joins it, and its changes go with the outer ones. A
 * write that fails appends nothing: its changes roll back with it.
 *
 * <h2>Reading: the order, and why nothing is skipped</h2>
 * Concurrent transactions commit out of the order in which they append, so a reader paging by
 * "after the last change I saw" must only be given changes that nothing can still come before.
 * The feed is ordered by {@code (transaction, position)} ({@link Change#transaction}: the order in
 * which the store numbers transactions; {@link Change#position}: unique in the tenant, increasing
 * within a transaction), and the store only returns a change once every transaction that could
 * still append one sorting before it has ended ({@link ChangeRepository#read}). How, per store:
 * <ul>
 *   <li>PostgreSQL: positions come from a sequence, with no lock, so writers of a tenant never
 *   wait for each other; each change stores its transaction's id ({@code pg_current_xact_id()}).
 *   Transaction ids are handed out in increasing order and a new transaction gets one higher than
 *   any ever handed out, so once every transaction below id x has ended (x is at most the oldest
 *   transaction still running, the snapshot's xmin), no change with an id below x can appear any
 *   more: a reader is given only those, in (id, position) order.
 *   The price: a change shows in the feed only when every transaction that got its id before it
 *   has ended, on the whole PostgreSQL server: a long-running writing transaction (any database)
 *   holds the feed back until it ends. It delays changes, never loses them.</li>
 *   <li>The embedded database ({@code dossier dev}): transaction is 0; a position is taken under
 *   the tenant's lock, held until the transaction commits, so positions become visible strictly in
 *   increasing order and writers of a tenant commit one at a time.</li>
 * </ul>
 * {@link #changes} returns a page after a cursor and the cursor of the next page: the signed
 * {@code (transaction, position)} of the page's last change, which is why paging never skips nor
 * repeats. (A cursor of the one-part format, made before changes had a transaction, opens as
 * transaction 0: every change written since sorts after it, so it goes on where it stood.)
 * The position alone is not an order: a change with a lower position may come later in the feed.
 * Time windows ({@code changedAfter}, {@code changedUntil}) filter by the time a change was made,
 * which nodes' clocks decide: they narrow a read, but only the cursor is exact.
 */
public final class ChangeFeed {

    /**
     * Set to {@code true} (a system property) to skip every append: ONLY for bench/ows.sh, which
     * measures what the feed costs a write. The feed is then empty and wrong; never set it in a server.
     */
    public static final String BENCH_SKIP_PROPERTY = "dossier.bench.skip-change-feed";

    /** What {@link Cursor} cursors of this feed are for. */
    static final String CURSOR_PURPOSE = "changes";

    public static final int MAX_PAGE = 10_000;

    private record Pending(long tenantId, String entityType, String entityId, Change.Operation operation, long version) {
    }

    private final ChangeRepository changes;
    private final Transactions transactions;
    private final Cursor cursors;
    private final Clock clock;
    private final Duration tombstoneLifetime;
    private final ThreadLocal<List<Pending>> pending = new ThreadLocal<>();
    private final List<java.util.function.LongConsumer> commitListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ChangeFeed(ChangeRepository changes, Transactions transactions, Cursor cursors, Clock clock, Duration tombstoneLifetime) {
        this.changes = changes;
        this.transactions = transactions;
        this.cursors = cursors;
        this.clock = clock;
        this.tombstoneLifetime = tombstoneLifetime;
    }

    // ---- writing

    /**
     * Runs {@code work} in one transaction and appends the changes it recorded at its end, in the
     * order recorded (grouped by tenant, lowest id first, so that work touching several tenants
     * takes the embedded database's tenant locks in one order). Inside another {@code write}, it
     * is part of that one.
     */
    public <T> T write(Supplier<T> work) {
        if (pending.get() != null) {
            return work.get();
        }
        var queued = new ArrayList<Pending>();
        T written = transactions.inTransaction(() -> {
            queued.clear();
            pending.set(queued);
            T result;
            try {
                result = work.get();
            } finally {
                pending.remove();
            }
            queued.sort(Comparator.comparingLong(Pending::tenantId));
            append(queued);
            return result;
        });
        if (!commitListeners.isEmpty() && !queued.isEmpty()) {
            queued.stream().mapToLong(Pending::tenantId).distinct().forEach(this::committed);
        }
        return written;
    }

    /**
     * Tells {@code listener} the tenant of each write of this node that committed changes, right
     * after its commit (the webhook dispatcher wakes on it instead of waiting for its next poll).
     * Writes of other nodes are not told: their readers poll.
     */
    public void onCommit(java.util.function.LongConsumer listener) {
        commitListeners.add(listener);
    }

    private void committed(long tenantId) {
        for (var listener : commitListeners) {
            try {
                listener.accept(tenantId);
            } catch (RuntimeException e) {
                // a listener only wakes a reader up; the reader's poll makes up for one that failed
            }
        }
    }

    public void run(Runnable work) {
        write(() -> {
            work.run();
            return null;
        });
    }

    public void created(long tenantId, String entityType, String entityId, long version) {
        queue(new Pending(tenantId, entityType, entityId, Change.Operation.CREATE, version));
    }

    public void updated(long tenantId, String entityType, String entityId, long version) {
        queue(new Pending(tenantId, entityType, entityId, Change.Operation.UPDATE, version));
    }

    /** A tombstone: the entity is gone from reads; {@code version} is the one it had. */
    public void deleted(long tenantId, String entityType, String entityId, long version) {
        queue(new Pending(tenantId, entityType, entityId, Change.Operation.DELETE, version));
    }

    /** Inside {@link #write}: appended at its end; outside one, now (in the caller's transaction, if any). */
    private void queue(Pending change) {
        var queued = pending.get();
        if (queued != null) {
            queued.add(change);
        } else {
            append(change);
        }
    }

    private void append(Pending change) {
        if (Boolean.getBoolean(BENCH_SKIP_PROPERTY)) {
            return;
        }
        changes.append(change.tenantId(), change.entityType(), change.entityId(), change.operation(), change.version(), clock.instant());
    }

    /** A write's queued changes, in as few statements as the store can (a bulk write queues thousands). */
    private void append(List<Pending> queued) {
        if (queued.isEmpty() || Boolean.getBoolean(BENCH_SKIP_PROPERTY)) {
            return;
        }
        if (queued.size() == 1) {
            append(queued.getFirst());
            return;
        }
        var at = clock.instant();
        changes.appendAll(queued.stream()
                .map(c -> new ChangeRepository.NewChange(c.tenantId(), c.entityType(), c.entityId(), c.operation(), c.version(), at))
                .toList());
    }

    /**
     * Records a change now and returns its position; call it inside the transaction of the write it
     * describes, as its last statement (on the embedded database the tenant's feed is locked from
     * here to the commit).
     */
    public long record(long tenantId, String entityType, String entityId, Change.Operation operation, long version) {
        return changes.append(tenantId, entityType, entityId, operation, version, clock.instant());
    }

    // ---- reading

    /**
     * A page of the tenant's changes after {@code cursor} (null: from the start of what the feed
     * still holds), of {@code entityTypes} (empty: all), changed after {@code changedAfter} and up
     * to {@code changedUntil} when those are given, in feed order, and the cursor to read on
     * from. A cursor that was altered or made for another tenant is {@code INVALID}.
     */
    public ChangePage changes(long tenantId, Set<String> entityTypes, String cursor, Instant changedAfter, Instant changedUntil,
                              int limit) {
        var page = along(tenantId, cursor, limit,
                (transaction, position, max) -> read(tenantId, entityTypes, transaction, position, changedAfter, changedUntil, max),
                change -> change);
        return new ChangePage(page.items(), page.next());
    }

    /** What a reader reads along the feed: {@link #along}. */
    @FunctionalInterface
    public interface Reader<T> {

        /**
         * Up to {@code limit} items, one a change, for the changes after {@code (afterTransaction,
         * afterPosition)} that {@link #read} would return, in the feed's order.
         */
        List<T> read(long afterTransaction, long afterPosition, int limit);
    }

    /** A page read along the feed, and the cursor to read on from. */
    public record Along<T>(List<T> items, String next) {
    }

    /**
     * As {@link #changes}, but each item is what {@code reader} reads with a change (a record's
     * row read in the same statement as its change, say); {@code change} tells an item's change.
     */
    public <T> Along<T> along(long tenantId, String cursor, int limit, Reader<T> reader, java.util.function.Function<T, Change> change) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw Failure.invalid("limit must be between 1 and " + MAX_PAGE);
        }
        var after = cursor == null || cursor.isEmpty() ? Cursor.Position.START : cursors.open(CURSOR_PURPOSE, tenantId, cursor);
        var items = reader.read(after.major(), after.minor(), limit);
        var last = items.isEmpty() ? after : position(change.apply(items.getLast()));
        return new Along<>(items, cursors.seal(CURSOR_PURPOSE, tenantId, last));
    }

    private static Cursor.Position position(Change change) {
        return new Cursor.Position(change.transaction(), change.position());
    }

    /**
     * A page of changes after {@code (afterTransaction, afterPosition)} of the last change read
     * (0, 0 for the start), in feed order, optionally within a time window.
     */
    public List<Change> read(long tenantId, Set<String> entityTypes, long afterTransaction, long afterPosition, Instant changedAfter,
                             Instant changedUntil, int limit) {
        if (limit < 1) {
            throw Failure.invalid("limit must be 1 or more");
        }
        if (afterTransaction < 0 || afterPosition < 0) {
            throw Failure.invalid("the change to read after must be 0 or more");
        }
        if (changedAfter != null && changedUntil != null && changedUntil.isBefore(changedAfter)) {
            throw Failure.invalid("changedUntil is before changedAfter");
        }
        return changes.read(tenantId, entityTypes == null ? Set.of() : entityTypes, afterTransaction, afterPosition, changedAfter,
                changedUntil, limit);
    }

    /** Where the tenant's feed ends now: a reader starting here sees every change committed later ({@code (0, 0)} when empty). */
    public Cursor.Position head(long tenantId) {
        return changes.last(tenantId).map(c -> new Cursor.Position(c.transaction(), c.position())).orElse(Cursor.Position.START);
    }

    /** Collects tombstones past their lifetime, a batch at a time; returns how many. */
    public int collectTombstones(int limit) {
        return changes.collectTombstones(clock.instant().minus(tombstoneLifetime), limit);
    }
}

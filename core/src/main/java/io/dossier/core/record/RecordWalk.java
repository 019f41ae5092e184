package io.dossier.core.record;

import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.cache.BoundedCache;
import io.dossier.core.change.Change;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.ChangePage;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.query.Condition;
import io.dossier.core.schema.RecordType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Walks a record type in the order of the change feed, for clients that sync: every record the
 * caller may see, each at its latest change, and (when asked) a tombstone for each record deleted,
 * a page at a time behind an opaque cursor. Because the walk follows the feed, it never skips a
 * record whose change commits late, and a record comes once per change of it: at the change that
 * made its current version (an earlier change of a record changed since is passed over, its later
 * one comes further on). Within a window ({@code changedAfter}, {@code changedUntil}) a record
 * changed again after the window comes at its last change inside it, with its current fields.
 *
 * <p>A tombstone carries the uid only: what the record held is gone. A caller with a record
 * filter is shown the tombstones of records its filter held when they were deleted, no others
 * ({@link RecordService#visible}).
 */
public final class RecordWalk {

    /** One record of a walk: its fields, or a tombstone ({@code fields} null). */
    public record Item(String uid, Map<String, Object> fields) {

        public boolean deleted() {
            return fields == null;
        }
    }

    /** A page of a walk and the cursor of the next one; {@code next} null on the last page. */
    public record WalkPage(List<Item> items, String next) {
    }

    /** At most this many feed reads make one page (a caller's filter may pass over many changes). */
    private static final int MAX_READS = 50;

    /** How long a page read ahead is kept for the client to ask for it; after that it is read afresh. */
    static final Duration READ_AHEAD_KEPT = Duration.ofSeconds(2);
    /** Pages read ahead at once on a node, and kept: a page of 1,000 records holds a few MB until asked for. */
    private static final int READ_AHEAD_AT_ONCE = 2;
    private static final int READ_AHEAD_KEPT_PAGES = 8;

    private final RecordService records;
    private final ChangeFeed feed;

    /** What a page was asked with, for a caller no record filter limits (who all read the same page). */
    private record Ask(long tenantId, String type, Instant changedAfter, Instant changedUntil, boolean tombstones,
                       String lastModifiedField, String cursor, int take) {
    }

    private final BoundedCache<Ask, CompletableFuture<WalkPage>> ahead = new BoundedCache<>(READ_AHEAD_KEPT_PAGES, READ_AHEAD_KEPT);
    private final Semaphore readingAhead = new Semaphore(READ_AHEAD_AT_ONCE);

    public RecordWalk(RecordService records, ChangeFeed feed) {
        this.records = records;
        this.feed = feed;
    }

    /**
     * A page of at most {@code take} records of {@code type} after {@code cursor} (null: from the
     * start), that meet {@code where} (null: all) and the caller's filters.
     *
     * <p>A client that walks asks for the next page as soon as it has read this one. For a caller no
     * filter limits, that page is read ahead, on another thread, while this one is sent: the client
     * then finds it read (or being read). It is the page a read at that moment gives, as if the
     * client had asked a moment earlier, so a walk still neither skips nor repeats what it would
     * not otherwise; one not asked for within {@link #READ_AHEAD_KEPT} is dropped.
     *
     * @param lastModifiedField the type's field of its last change, to tell a record changed after the window (may be null)
     * @param tombstones        whether deleted records come back as tombstones
     */
    public WalkPage page(Caller caller, RecordType type, Condition where, Instant changedAfter, Instant changedUntil,
                         boolean tombstones, String lastModifiedField, String cursor, int take) {
        if (take < 1 || take > ChangeFeed.MAX_PAGE) {
            throw Failure.invalid("take must be between 1 and " + ChangeFeed.MAX_PAGE);
        }
        boolean unfiltered = where == null && !records.filtered(caller, type);
        if (!unfiltered) {
            return read(caller, type, where, changedAfter, changedUntil, tombstones, lastModifiedField, cursor, take, false);
        }
        var ask = new Ask(caller.tenantId(), type.qualifiedName(), changedAfter, changedUntil, tombstones, lastModifiedField, cursor, take);
        WalkPage page = ahead.take(ask).map(RecordWalk::readAlready).orElse(null);
        if (page == null) {
            page = read(caller, type, null, changedAfter, changedUntil, tombstones, lastModifiedField, cursor, take, true);
        }
        if (page.next() != null) {
            readAhead(caller, type, new Ask(ask.tenantId(), ask.type(), changedAfter, changedUntil, tombstones, lastModifiedField, page.next(), take));
        }
        return page;
    }

    /** The page read ahead, once read; null when its read failed (the request reads it again, and meets the failure itself). */
    private static WalkPage readAlready(CompletableFuture<WalkPage> reading) {
        try {
            return reading.join();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void readAhead(Caller caller, RecordType type, Ask ask) {
        if (!readingAhead.tryAcquire()) {
            return;   // as many pages as a node reads ahead at once are being read: this one is read when asked for
        }
        var reading = new CompletableFuture<WalkPage>();
        ahead.put(ask, reading);
        try {
            Thread.ofVirtual().name("walk-read-ahead").start(() -> {
                try {
                    reading.complete(read(caller, type, null, ask.changedAfter(), ask.changedUntil(), ask.tombstones(), ask.lastModifiedField(),
                            ask.cursor(), ask.take(), true));
                } catch (Throwable e) {
                    reading.completeExceptionally(e);
                } finally {
                    readingAhead.release();
                }
            });
        } catch (RuntimeException | Error e) {
            readingAhead.release();
            ahead.remove(ask);
            throw e;
        }
    }

    private WalkPage read(Caller caller, RecordType type, Condition where, Instant changedAfter, Instant changedUntil,
                          boolean tombstones, String lastModifiedField, String cursor, int take, boolean unfiltered) {
        var entityTypes = Set.of(EntityTypes.record(type.storageName()));
        var items = new ArrayList<Item>();
        var emitted = new HashSet<String>();
        var position = cursor;
        for (int read = 0; read < MAX_READS && items.size() < take; read++) {
            int wanted = take - items.size();
            // each change with its record as it is now: null when it no longer exists, fields null when the caller may not see it
            List<RecordService.ChangedRecord> changed;
            String next;
            if (unfiltered) {
                // every record that exists is visible: the changes with their records' versions and fields, in one read
                var page = feed.along(caller.tenantId(), position, wanted,
                        (transaction, after, limit) -> records.changed(caller, type, transaction, after, changedAfter, changedUntil, limit),
                        RecordService.ChangedRecord::change);
                changed = page.items();
                next = page.next();
            } else {
                var page = feed.changes(caller.tenantId(), entityTypes, position, changedAfter, changedUntil, wanted);
                next = page.next();
                var uids = new LinkedHashSet<String>();
                page.changes().forEach(c -> uids.add(c.entityId()));
                var known = records.versions(caller, type, uids);
                var live = new LinkedHashSet<String>();
                page.changes().stream().filter(c -> !c.isTombstone() && known.containsKey(c.entityId())).forEach(c -> live.add(c.entityId()));
                var visible = records.byUids(caller, type, live, where, Set.of());
                changed = new ArrayList<>(page.changes().size());
                for (var change : page.changes()) {
                    var version = known.get(change.entityId());
                    changed.add(new RecordService.ChangedRecord(change,
                            version == null ? null : new RecordService.Current(version, visible.get(change.entityId()))));
                }
            }
            var shownTombstones = tombstones
                    ? new HashSet<>(records.visible(caller, changed.stream().map(RecordService.ChangedRecord::change).filter(Change::isTombstone).toList()))
                    : Set.<Change>of();
            for (var each : changed) {
                var change = each.change();
                var uid = change.entityId();
                var current = each.current();
                if (change.isTombstone()) {
                    if (current == null && shownTombstones.contains(change) && emitted.add("-" + uid)) {
                        items.add(new Item(uid, null));
                    }
                    continue;
                }
                if (current == null || current.fields() == null) {
                    continue;
                }
                if ((current.version() == change.version() || changedLater(current.fields(), lastModifiedField, changedUntil)) && emitted.add(uid)) {
                    items.add(new Item(uid, current.fields()));
                }
            }
            position = next;
            if (changed.size() < wanted) {
                return new WalkPage(items, null);
            }
        }
        return new WalkPage(items, position);
    }

    /**
     * A page of the caller's tenant's change feed as the caller may see it: as
     * {@link ChangeFeed#changes(long, Set, String, Instant, Instant, int)}, without the changes of
     * records outside the caller's record filters ({@link RecordService#visible}). Such a page can
     * come back shorter than {@code limit}, even empty, with a cursor that moved on: read on until a
     * page is empty and its cursor the same as the one sent.
     */
    public ChangePage changes(Caller caller, Set<String> entityTypes, String cursor, Instant changedAfter, Instant changedUntil,
                              int limit) {
        var page = feed.changes(caller.tenantId(), entityTypes, cursor, changedAfter, changedUntil, limit);
        var visible = records.visible(caller, page.changes());
        return visible == page.changes() ? page : new ChangePage(visible, page.next());
    }

    private static boolean changedLater(Map<String, Object> fields, String lastModifiedField, Instant changedUntil) {
        return changedUntil != null && lastModifiedField != null && fields.get(lastModifiedField) instanceof Instant at
                && at.isAfter(changedUntil);
    }
}

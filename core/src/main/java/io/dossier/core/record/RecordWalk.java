package io.dossier.core.record;

import io.dossier.core.Failure;
import io.dossier.core.access.Caller;
import io.dossier.core.change.Change;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.ChangePage;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.query.Condition;
import io.dossier.core.schema.RecordType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    private final RecordService records;
    private final ChangeFeed feed;

    public RecordWalk(RecordService records, ChangeFeed feed) {
        this.records = records;
        this.feed = feed;
    }

    /**
     * A page of at most {@code take} records of {@code type} after {@code cursor} (null: from the
     * start), that meet {@code where} (null: all) and the caller's filters.
     *
     * @param lastModifiedField the type's field of its last change, to tell a record changed after the window (may be null)
     * @param tombstones        whether deleted records come back as tombstones
     */
    public WalkPage page(Caller caller, RecordType type, Condition where, Instant changedAfter, Instant changedUntil,
                         boolean tombstones, String lastModifiedField, String cursor, int take) {
        if (take < 1 || take > ChangeFeed.MAX_PAGE) {
            throw Failure.invalid("take must be between 1 and " + ChangeFeed.MAX_PAGE);
        }
        var entityTypes = Set.of(EntityTypes.record(type.storageName()));
        var items = new ArrayList<Item>();
        var emitted = new HashSet<String>();
        var position = cursor;
        boolean unfiltered = where == null && !records.filtered(caller, type);
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

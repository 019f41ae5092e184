package io.dossier.store.sql;

import static io.dossier.store.sql.SqlFileRepository.utc;
import static io.dossier.store.sql.Tables.CHANGE_COUNTER;
import static io.dossier.store.sql.Tables.CHANGE_LOG;

import io.dossier.core.Failure;
import io.dossier.core.change.Change;
import io.dossier.core.change.ChangeRepository;
import io.dossier.core.change.ChangeRepository.NewChange;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/**
 * The change log, in two ways, because the two databases differ in what they can tell a reader
 * (ChangeFeed explains the order both keep):
 * <ul>
 *   <li>PostgreSQL: a change's position comes from the sequence {@code change_position}, with no
 *   lock, and its row stores its transaction's id ({@code pg_current_xact_id()}) as
 *   {@code writer_transaction}. A read returns only changes whose transaction id is below the
 *   oldest transaction of this database that the statement's own snapshot sees running (every
 *   transaction below it has ended, and every transaction still to come gets a higher id; see
 *   {@code HORIZON}), ordered by (writer_transaction, position).</li>
 *   <li>H2 ({@code dossier dev}): positions are taken under the tenant's counter row lock, held to
 *   the commit, so they become visible in increasing order; writer_transaction stays 0.</li>
 * </ul>
 */
public final class SqlChangeRepository implements ChangeRepository {

    /**
     * The oldest transaction id the statement's snapshot still sees running that may be writing
     * to this database: every id below it has ended, or runs in another database of the server
     * (a transaction belongs to one database, so it cannot append here). Without that exclusion
     * (the snapshot's xmin) a long transaction in any database of the server, such as another
     * application's bulk load, held every tenant's feed back until it ended. A running id whose
     * database cannot be told (its session is gone or hidden from this role) counts as this
     * database's: the horizon may stay lower than it could, never higher. With none running, the
     * snapshot's xmax: every id below it has ended.
     */
    static final Field<Long> HORIZON = DSL.field("""
            (SELECT CAST(CAST(COALESCE(
                (SELECT min(running) FROM pg_snapshot_xip(pg_current_snapshot()) AS running
                  WHERE CAST(CAST(running AS text) AS bigint) % 4294967296 NOT IN
                        (SELECT CAST(CAST(backend_xid AS text) AS bigint) FROM pg_stat_activity
                          WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database())),
                pg_snapshot_xmax(pg_current_snapshot())) AS text) AS bigint))""", Long.class);
    private static final Field<Long> NEXT_POSITION = DSL.field("nextval('change_position')", Long.class);
    private static final Field<Long> THIS_TRANSACTION = DSL.field("CAST(CAST(pg_current_xact_id() AS text) AS bigint)", Long.class);

    private final Database db;
    private final boolean postgres;

    public SqlChangeRepository(Database db) {
        this.db = db;
        this.postgres = db.dialect().family() == SQLDialect.POSTGRES;
    }

    @Override
    public long append(long tenantId, String entityType, String entityId, Change.Operation operation, long version, Instant at) {
        if (postgres) {
            return db.sql().insertInto(CHANGE_LOG.T)
                    .set(CHANGE_LOG.TENANT_ID, tenantId)
                    .set(CHANGE_LOG.POSITION, NEXT_POSITION)
                    .set(CHANGE_LOG.TRANSACTION, THIS_TRANSACTION)
                    .set(CHANGE_LOG.ENTITY_TYPE, entityType)
                    .set(CHANGE_LOG.ENTITY_ID, entityId)
                    .set(CHANGE_LOG.OPERATION, operation.name())
                    .set(CHANGE_LOG.VERSION, version)
                    .set(CHANGE_LOG.CHANGED_AT, utc(at))
                    .returningResult(CHANGE_LOG.POSITION)
                    .fetchOne().value1();
        }
        return appendUnderLock(tenantId, entityType, entityId, operation, version, at);
    }

    /**
     * PostgreSQL: a few changes (a document attached: its file, itself, its container) in one
     * multi-row insert, each row taking its position from the sequence as it is inserted, in the
     * order of the rows; more, positions for the changes from the sequence (one query, with the
     * transaction's id), given out in the order of the changes, then the rows in with {@code COPY}
     * ({@link PgCopy}). H2: per tenant, the counter row's lock once, then the positions after it in
     * one insert.
     */
    @Override
    public void appendAll(List<NewChange> changes) {
        if (postgres && changes.size() <= FEW) {
            var insert = db.sql().insertInto(CHANGE_LOG.T, CHANGE_LOG.TENANT_ID, CHANGE_LOG.POSITION, CHANGE_LOG.TRANSACTION,
                    CHANGE_LOG.ENTITY_TYPE, CHANGE_LOG.ENTITY_ID, CHANGE_LOG.OPERATION, CHANGE_LOG.VERSION, CHANGE_LOG.CHANGED_AT);
            for (var change : changes) {
                insert = insert.values(DSL.val(change.tenantId(), CHANGE_LOG.TENANT_ID), NEXT_POSITION, THIS_TRANSACTION,
                        DSL.val(change.entityType(), CHANGE_LOG.ENTITY_TYPE), DSL.val(change.entityId(), CHANGE_LOG.ENTITY_ID),
                        DSL.val(change.operation().name(), CHANGE_LOG.OPERATION), DSL.val(change.version(), CHANGE_LOG.VERSION),
                        DSL.val(utc(change.at()), CHANGE_LOG.CHANGED_AT));
            }
            insert.execute();
            return;
        }
        if (postgres) {
            db.run(() -> {
                var numbers = db.sql().select(NEXT_POSITION, THIS_TRANSACTION).from(DSL.table("generate_series(1, {0})", DSL.val(changes.size())))
                        .fetch();
                var positions = numbers.stream().mapToLong(r -> r.value1()).sorted().toArray();
                long transaction = numbers.getFirst().value2();
                var rows = new ArrayList<Object[]>(changes.size());
                for (int i = 0; i < changes.size(); i++) {
                    var change = changes.get(i);
                    rows.add(new Object[] {change.tenantId(), positions[i], transaction, change.entityType(), change.entityId(),
                            change.operation().name(), change.version(), utc(change.at())});
                }
                PgCopy.copy(db.sql(), CHANGE_LOG.T.getName(), List.of(CHANGE_LOG.TENANT_ID, CHANGE_LOG.POSITION, CHANGE_LOG.TRANSACTION,
                        CHANGE_LOG.ENTITY_TYPE, CHANGE_LOG.ENTITY_ID, CHANGE_LOG.OPERATION, CHANGE_LOG.VERSION, CHANGE_LOG.CHANGED_AT), rows);
            });
            return;
        }
        db.run(() -> {
            int from = 0;
            while (from < changes.size()) {
                long tenantId = changes.get(from).tenantId();
                int to = from;
                while (to < changes.size() && changes.get(to).tenantId() == tenantId) {
                    to++;
                }
                appendUnderLock(tenantId, changes.subList(from, to));
                from = to;
            }
        });
    }

    /**
     * H2: takes the tenant's counter row lock (held until the caller's transaction ends; the counter
     * is created on the tenant's first change), then appends the change after the tenant's last
     * stored position.
     *
     * <p>The position is the counter's next, unless the log already holds it. H2 has been found
     * with a counter behind its log (the crash suite): H2 had lost the counter's committed update to
     * another writer's rollback, which {@link H2WriteGate} now prevents. And after a kill -9 of
     * {@code dossier dev}, once with a row of the log that no transaction owns and none will ever
     * commit (CI's crash test): an insert at that position waits
     * out the lock timeout, its transaction ends, the counter goes back, and the next write takes the
     * same position, so every change of the tenant was refused for 11 minutes, until the next kill.
     * (No live transaction can hold a position past the counter: it holds the counter's lock too.)
     * (H2 knows of such "leftovers" of an unclean shutdown: an uncommitted entry whose undo record was
     * lost, h2database pull request 1222; its unique check still waits on them. They came of stores
     * taken beside a write, which {@link H2DurableCommits} now takes while no transaction writes.)
     * A file written before may still hold one, so a refused
     * position, a collision or a lock wait that ran out, is passed ({@link #insertPastRefused}), and
     * the counter is set to the last position taken. Positions may have gaps; the feed's order stays.
     */
    private long appendUnderLock(long tenantId, String entityType, String entityId, Change.Operation operation, long version,
                                 Instant at) {
        return appendUnderLock(tenantId, List.of(new NewChange(tenantId, entityType, entityId, operation, version, at)));
    }

    /**
     * {@link #appendUnderLock(long, String, String, Change.Operation, long, Instant)} for changes of one tenant; returns the last position.
     * The counter is moved on by the number of changes in the statement that takes its lock and returns its new value, so a write
     * costs two statements here (that and the insert).
     */
    private long appendUnderLock(long tenantId, List<NewChange> changes) {
        return db.inTransaction(() -> {
            int count = changes.size();
            var moved = advance(tenantId, count);
            if (moved.isEmpty()) {
                try {
                    db.sql().insertInto(CHANGE_COUNTER.T, CHANGE_COUNTER.TENANT_ID, CHANGE_COUNTER.LAST_POSITION).values(tenantId, 0L)
                            .onConflict(CHANGE_COUNTER.TENANT_ID).doNothing().execute();
                } catch (IntegrityConstraintViolationException createdMeanwhile) {
                    // H2 runs "on conflict do nothing" as a MERGE that two first writers can both enter; the
                    // other one created the counter, and H2 keeps this transaction usable
                }
                moved = advance(tenantId, count);
            }
            long first = insertPastRefused(tenantId, moved.orElseThrow() - count + 1, changes);
            long last = first + count - 1;
            if (last != moved.get()) {
                db.sql().update(CHANGE_COUNTER.T).set(CHANGE_COUNTER.LAST_POSITION, last)
                        .where(CHANGE_COUNTER.TENANT_ID.eq(tenantId)).execute();
            }
            return last;
        });
    }

    /**
     * Inserts the changes at {@code first} and on, or, where that is refused (see
     * {@link #appendUnderLock(long, String, String, Change.Operation, long, Instant)}), after the log's
     * last position and every position refused; returns the first position used. The log's last
     * position is read only then: H2 finds a tenant's greatest position by reading all of its changes,
     * which made each write of {@code dossier dev} slower as its feed grew (and the demo seed
     * quadratic). H2 keeps the transaction, and the counter's lock, after a refused insert (a
     * statement that fails leaves none of its rows). A crash can leave a run of such rows (a
     * transaction's changes go in together), so after a lock wait the next tries wait only
     * {@link #PROBE_LOCK_MS} each, and leap twice as far each time.
     */
    private long insertPastRefused(long tenantId, long first, List<NewChange> changes) {
        long leap = changes.size();
        Integer lockTimeout = null;   // the session's, while the tries wait less
        try {
            for (int refused = 0; ; refused++) {
                try {
                    insertChanges(first, changes);
                    return first;
                } catch (IntegrityConstraintViolationException | Failure e) {
                    boolean lockWait = e instanceof Failure;
                    if (refused == MAX_REFUSED || e instanceof Failure f && !Database.lockWaitRanOut(f)) {
                        throw e;
                    }
                    if (lockWait && lockTimeout == null) {
                        lockTimeout = db.sql().fetchValue(DSL.field("LOCK_TIMEOUT()", Integer.class));
                        db.sql().execute("SET LOCK_TIMEOUT " + PROBE_LOCK_MS);
                    }
                    long afterLog = db.sql().select(DSL.coalesce(DSL.max(CHANGE_LOG.POSITION), 0L)).from(CHANGE_LOG.T)
                            .where(CHANGE_LOG.TENANT_ID.eq(tenantId)).fetchOne().value1() + 1;
                    long next = Math.max(afterLog, first + leap);
                    LOG.warn("change feed of tenant {}: position {} is taken ({}); trying {}", tenantId, first,
                            lockWait ? "by a row no transaction commits, left by a crash" : "a change is there already", next);
                    first = next;
                    if (lockWait) {
                        leap *= 2;
                    }
                }
            }
        } finally {
            if (lockTimeout != null) {
                db.sql().execute("SET LOCK_TIMEOUT " + lockTimeout);
            }
        }
    }

    /** How many refused tries one append makes before it gives up: with the leaps, past a run of a million refused positions. */
    private static final int MAX_REFUSED = 20;

    /** How long a try after a lock wait that ran out waits for its row (H2 {@code LOCK_TIMEOUT}, ms). */
    private static final int PROBE_LOCK_MS = 50;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqlChangeRepository.class);

    /** PostgreSQL: up to this many changes go in as one multi-row insert rather than a position query and a COPY. */
    private static final int FEW = 16;

    /** H2: changes in one multi-row statement, at most this many. */
    private static final int ROWS_PER_INSERT = 5000;

    /** The changes at positions {@code first}, {@code first + 1}, … in as few statements as the row limit allows. */
    private void insertChanges(long first, List<NewChange> changes) {
        for (int from = 0; from < changes.size(); from += ROWS_PER_INSERT) {
            int to = Math.min(changes.size(), from + ROWS_PER_INSERT);
            var binds = new Object[(to - from) * 7];
            for (int i = from, b = 0; i < to; i++) {
                var change = changes.get(i);
                binds[b++] = change.tenantId();
                binds[b++] = first + i;
                binds[b++] = change.entityType();
                binds[b++] = change.entityId();
                binds[b++] = change.operation().name();
                binds[b++] = change.version();
                binds[b++] = utc(change.at());
            }
            int rows = to - from;
            db.execute(List.of("changes inserted", rows), () -> {
                var insert = db.sql().insertInto(CHANGE_LOG.T, CHANGE_LOG.TENANT_ID, CHANGE_LOG.POSITION, CHANGE_LOG.ENTITY_TYPE,
                        CHANGE_LOG.ENTITY_ID, CHANGE_LOG.OPERATION, CHANGE_LOG.VERSION, CHANGE_LOG.CHANGED_AT);
                for (int r = 0; r < rows; r++) {
                    insert = insert.values(java.util.Arrays.asList(binds).subList(r * 7, r * 7 + 7));
                }
                return insert;
            }, binds, "appending to the change feed");
        }
    }

    /**
     * Moves the tenant's counter on by {@code count}, which takes its row lock until the transaction ends, and returns its new
     * value; empty when the tenant has no counter yet.
     */
    private Optional<Long> advance(long tenantId, int count) {
        var position = new Long[1];
        db.read(Database.Plan.REUSED, "change counter advanced",
                () -> db.sql().update(CHANGE_COUNTER.T).set(CHANGE_COUNTER.LAST_POSITION, CHANGE_COUNTER.LAST_POSITION.plus((long) count))
                        .where(CHANGE_COUNTER.TENANT_ID.eq(tenantId)).returningResult(CHANGE_COUNTER.LAST_POSITION),
                new Object[] {(long) count, tenantId}, "moving the change counter on", rs -> {
                    if (rs.next()) {
                        position[0] = rs.getLong(1);
                    }
                });
        return Optional.ofNullable(position[0]);
    }

    @Override
    public List<Change> read(long tenantId, Set<String> entityTypes, long afterTransaction, long afterPosition, Instant changedAfter,
                             Instant changedUntil, int limit) {
        var query = db.sql().select(COLUMNS).from(CHANGE_LOG.T)
                .where(window(postgres, tenantId, entityTypes, afterTransaction, afterPosition, changedAfter, changedUntil))
                .orderBy(order(postgres)).limit(DSL.inline(limit));
        // The limit is written into the statement: with it a parameter, PostgreSQL's generic plan
        // (which the driver uses after five runs) guesses a tenth of the table and may read the
        // feed with parallel workers, whose start-up cost a page of a Youforce walk 100 ms instead of 6.
        // Feeds are read in bulk (a sync reads all of a tenant's changes, a page of thousands at a
        // time): the rows go from the result set straight into changes, without jOOQ records between.
        var out = new ArrayList<Change>(Math.min(limit, 1024));
        try (var rows = query.fetchResultSet()) {
            while (rows.next()) {
                out.add(change(rows, tenantId));
            }
        } catch (SQLException e) {
            throw new DataAccessException("reading the change feed: " + e.getMessage(), e);
        }
        // On H2 a commit is seen before it is durable: after a crash its positions would be given to
        // the next changes, which a reader that had seen them would pass by. So what was read is made
        // durable before it is handed out.
        db.awaitCommitsDurable();
        return out;
    }

    /** The columns of a change, in the order {@link #change} reads them. */
    static final List<Field<?>> COLUMNS = List.of(CHANGE_LOG.TRANSACTION, CHANGE_LOG.POSITION, CHANGE_LOG.ENTITY_TYPE,
            CHANGE_LOG.ENTITY_ID, CHANGE_LOG.OPERATION, CHANGE_LOG.VERSION, CHANGE_LOG.CHANGED_AT);

    /** The change of the result set's current row, whose first columns are {@link #COLUMNS}. */
    static Change change(java.sql.ResultSet rows, long tenantId) throws SQLException {
        return new Change(tenantId, rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getString(4),
                operation(rows.getString(5)), rows.getLong(6), rows.getObject(7, OffsetDateTime.class).toInstant());
    }

    /** Which changes {@link #read} returns (see {@link ChangeRepository#read}), for any statement that reads along the feed. */
    static List<Condition> window(boolean postgres, long tenantId, Set<String> entityTypes, long afterTransaction, long afterPosition,
                                  Instant changedAfter, Instant changedUntil) {
        var where = new ArrayList<Condition>();
        where.add(CHANGE_LOG.TENANT_ID.eq(tenantId));
        if (postgres) {
            where.add(DSL.row(CHANGE_LOG.TRANSACTION, CHANGE_LOG.POSITION).gt(afterTransaction, afterPosition));
            where.add(CHANGE_LOG.TRANSACTION.lt(HORIZON));
        } else {
            // H2 writes transaction 0 only, and its cursors hold 0
            where.add(CHANGE_LOG.TRANSACTION.eq(afterTransaction));
            where.add(CHANGE_LOG.POSITION.gt(afterPosition));
        }
        if (!entityTypes.isEmpty()) {
            where.add(CHANGE_LOG.ENTITY_TYPE.in(entityTypes));
        }
        if (changedAfter != null) {
            where.add(CHANGE_LOG.CHANGED_AT.gt(utc(changedAfter)));
        }
        if (changedUntil != null) {
            where.add(CHANGE_LOG.CHANGED_AT.le(utc(changedUntil)));
        }
        return where;
    }

    /** The feed's order. */
    static List<Field<Long>> order(boolean postgres) {
        return postgres ? List.of(CHANGE_LOG.TRANSACTION, CHANGE_LOG.POSITION) : List.of(CHANGE_LOG.POSITION);
    }

    @Override
    public Optional<Change> last(long tenantId) {
        var where = new ArrayList<Condition>();
        where.add(CHANGE_LOG.TENANT_ID.eq(tenantId));
        if (postgres) {
            where.add(CHANGE_LOG.TRANSACTION.lt(HORIZON));
        }
        var last = db.sql().select(CHANGE_LOG.TRANSACTION, CHANGE_LOG.POSITION, CHANGE_LOG.ENTITY_TYPE, CHANGE_LOG.ENTITY_ID,
                        CHANGE_LOG.OPERATION, CHANGE_LOG.VERSION, CHANGE_LOG.CHANGED_AT)
                .from(CHANGE_LOG.T).where(where)
                .orderBy(postgres ? List.of(CHANGE_LOG.TRANSACTION.desc(), CHANGE_LOG.POSITION.desc()) : List.of(CHANGE_LOG.POSITION.desc()))
                .limit(1)
                .fetchOptional(r -> new Change(tenantId, r.value1(), r.value2(), r.value3(), r.value4(), operation(r.value5()), r.value6(),
                        r.value7().toInstant()));
        db.awaitCommitsDurable();   // as read does
        return last;
    }

    private static Change.Operation operation(String stored) {
        return switch (stored) {
            case "CREATE" -> Change.Operation.CREATE;
            case "UPDATE" -> Change.Operation.UPDATE;
            default -> Change.Operation.valueOf(stored);
        };
    }

    @Override
    public int collectTombstones(Instant before, int limit) {
        return db.inTransaction(() -> {
            var old = db.sql().select(CHANGE_LOG.TENANT_ID, CHANGE_LOG.POSITION).from(CHANGE_LOG.T)
                    .where(CHANGE_LOG.OPERATION.eq(Change.Operation.DELETE.name()), CHANGE_LOG.CHANGED_AT.lt(utc(before)))
                    .orderBy(CHANGE_LOG.CHANGED_AT).limit(limit).fetch();
            int removed = 0;
            for (var r : old) {
                removed += db.sql().deleteFrom(CHANGE_LOG.T)
                        .where(CHANGE_LOG.TENANT_ID.eq(r.value1()), CHANGE_LOG.POSITION.eq(r.value2())).execute();
            }
            // who could see those tombstones goes with them (kept by SqlRecordFilterRepository)
            db.sql().deleteFrom(Tables.TOMBSTONE_AUDIENCE.T).where(Tables.TOMBSTONE_AUDIENCE.DELETED_AT.lt(utc(before))).execute();
            return removed;
        });
    }
}

package io.dossier.store.sql;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * One writing transaction at a time on an embedded H2 database.
 *
 * <p>Why: H2's MVStore, on a database in a file, can lose a committed update when another
 * transaction that changed the same row rolls back while the first waits for it. Eight threads
 * adding one to a row in their own transactions, one in ten rolled back, lost 6 to 1,541 of
 * 1.5 million committed increments in 30 s (two committed transactions read the same new value),
 * with H2 2.3.232, 2.4.240 and 2.5.252 alike; none was lost without rollbacks, nor in memory. In
 * Dossier that showed as a tenant's change-feed counter behind its log (the crash suite), and it
 * could undo any acknowledged write to a row that a failing transaction had also touched. No
 * H2 release fixes it, and PostgreSQL is not affected.
 *
 * <p>A like flaw loses acknowledged writes at a crash. As H2's {@code TransactionStore.commit} reads,
 * a transaction counts as committed to the others (they may write over its rows) before its undo
 * log says so; a store taken in between keeps both, and recovery rolls the first back, restoring
 * its rows' old values over the later, acknowledged ones. A scratch loop of {@code kill -9} (8
 * writers of a counter row and rows beside it, commits forced as {@link H2DurableCommits} forces
 * them, no rollbacks) found, at its 30th restart, the counter 27 behind the rows of six
 * acknowledged transactions.
 *
 * <p>How: a transaction takes the gate at its first statement that writes or locks rows, and gives
 * it back once its commit or rollback has ended, so no writer is ever on rows another has not
 * finished with; a write outside a transaction holds it for that
 * statement. Reads never wait for it, and a transaction that only reads never takes it. A tenant's
 * writers already queued on its change-feed counter from their feed entry to their commit, so the
 * gate adds little. Commits are forced to disk ({@link H2DurableCommits}) after it is given back,
 * by one store and one sync for the writers that committed meanwhile; the store itself takes the
 * gate for the moment it needs to start, so that it never holds a write half done. A writer waits for the gate as long as H2 waits
 * for a row lock, then gets H2's own lock-timeout refusal (the dialect's "unavailable").
 *
 * <p>One gate serves every pool on the same database in this process (tests open two nodes on one
 * database). Processes that share a file through H2's {@code AUTO_SERVER} are not covered: the
 * server's settings refuse such a database.
 */
final class H2WriteGate {

    /** The gates by H2's engine database, so that pools on one database share one. */
    private static final Map<org.h2.engine.Database, H2WriteGate> GATES = new WeakHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final long timeoutMillis;

    private H2WriteGate(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** The gate of the embedded H2 database {@code pool} opens; empty for any other database (H2 over TCP). */
    static Optional<H2WriteGate> of(DataSource pool) {
        try (var connection = pool.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)
                    || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
                return Optional.empty();
            }
            long timeout;
            try (var statement = connection.createStatement(); var rows = statement.executeQuery("SELECT LOCK_TIMEOUT()")) {
                rows.next();
                timeout = rows.getLong(1);
            }
            synchronized (GATES) {
                return Optional.of(GATES.computeIfAbsent(session.getDatabase(), database -> new H2WriteGate(timeout)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the embedded database: " + e.getMessage(), e);
        }
    }

    /**
     * Takes the gate for this thread, unless it holds it already; returns whether this call took it
     * (the caller then gives it back with {@link #leave}). Throws H2's lock-timeout refusal when
     * another writer kept it for longer than H2 waits for a row lock.
     */
    boolean enter() throws SQLTimeoutException {
        if (lock.isHeldByCurrentThread()) {
            return false;
        }
        try {
            if (lock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new SQLTimeoutException("waited " + timeoutMillis + " ms for the embedded database's other writers", "HYT00");
    }

    /**
     * Runs {@code work} while no writing transaction is open and returns what it gives: waits,
     * however long it takes, for the one in progress to end (a store of the file taken then holds no
     * write half done, see {@link H2DurableCommits}).
     */
    <T> T runAlone(java.util.function.Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Gives back the gate this thread took with {@link #enter}. */
    void leave() {
        lock.unlock();
    }

    /** Gives back the gate if this thread holds it: the end of a transaction, whether it wrote or not. */
    void leaveIfHeld() {
        if (lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }

    /** Whether this thread holds the gate: its transaction wrote. */
    boolean held() {
        return lock.isHeldByCurrentThread();
    }

    /**
     * Whether a statement sent as plain SQL writes or locks rows: an insert, update, delete or merge,
     * H2's {@code SELECT … FROM FINAL TABLE (UPDATE …)} (jOOQ's {@code UPDATE … RETURNING}), or a {@code SELECT … FOR UPDATE}.
     */
    static boolean writes(String sql) {
        var text = sql.stripLeading().toLowerCase(Locale.ROOT);
        return text.startsWith("insert") || text.startsWith("update") || text.startsWith("delete") || text.startsWith("merge")
                || text.contains("final table") || text.contains(" for update");
    }
}

package io.dossier.store.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Makes every commit on the embedded H2 database durable before it is acknowledged.
 *
 * <p>Why this exists: H2's MVStore does not write a transaction when it commits. Its changes are
 * written by a background thread every {@code WRITE_DELAY} ms (500 by default), and with
 * {@code WRITE_DELAY=0} a commit only <em>tries</em> to write ({@code MVStore.tryCommit}: skipped
 * while another thread is writing), and nothing is ever fsynced. Killing {@code dossier dev} with
 * {@code kill -9} lost 1,124 of 9,678 acknowledged uploads, and still 8 of 320 with
 * {@code WRITE_DELAY=0}. Other embedded engines were weighed: HSQLDB fsyncs its log per commit but
 * would take every SQL statement and test onto a third dialect and waits ~9 s for its lock file
 * after a crash; SQLite (native code, one writer) even more so. Forcing H2's own store kept the
 * SQL, the tests and restarts (a few ms after a kill) as they are, and lost nothing in the kill -9
 * suite (bench/crash.sh).
 *
 * <p>How: every store is taken by the thread that holds the write gate ({@link H2WriteGate}), so
 * that no store can catch another thread halfway through a write: with {@code WRITE_DELAY=0} H2 has
 * no background writer and stores at the end of each transaction, in the transaction's thread, and
 * {@link #store} stores whatever is left before the gate is given back. Then, outside the gate,
 * {@link #awaitDurable} waits for what a store handed to H2's background executors and fsyncs the
 * file, once for every writer that finished writing before the sync began (group commit). Until
 * then H2's own write delay (500 ms) had been kept, its background writer storing beside the
 * writers, with two stores forced after each commit outside any gate: a scratch {@code kill -9}
 * loop (8 writers through {@link Database}, commits forced that way) then found, at its 131st
 * restart, one transaction that was never acknowledged read as committed in part, two of its rows
 * without the rest. A store of its own for every transaction had cost 4.51-4.61 ms of server CPU
 * an operation, against 3.83-4.64 ms with the delay, when 16 clients upload 100 KB files and attach
 * them (bench/files.sh, runs alternating, before the gate). New chunks are always appended
 * ({@code setReuseSpace(false)}), so recovery after a crash finds the newest one. With a single
 * forced commit 2 of 3,540 acknowledged writes were lost over 10 kills; with two but space reuse
 * on, 5 of 8,206 over 14; with two and the write delay, 0 of 15,090 over 30 kills of 8 writers
 * ({@code bench/crash.sh --storage embedded --rounds 30 --writers 8}). Run that before upgrading
 * H2 or changing how commits are forced: this rests on its internals. Space freed in the file is
 * never reused, so {@link H2Compaction} gives it back when a node starts.
 *
 * <p>It holds one connection open for its lifetime, so the database (and its store) stays open
 * while the pool turns its connections over.
 */
final class H2DurableCommits implements AutoCloseable {

    private final Connection keeper;
    private final MVStore store;
    private final AtomicLong written = new AtomicLong();
    private final ReentrantLock syncLock = new ReentrantLock();
    private long synced;

    private H2DurableCommits(Connection keeper, MVStore store) {
        this.keeper = keeper;
        this.store = store;
    }

    /** For a persistent embedded H2 database; empty for in-memory or remote ones, which have no file of their own to force. */
    static Optional<H2DurableCommits> attach(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.startsWith("jdbc:h2:mem:") || jdbcUrl.startsWith("jdbc:h2:tcp:")
                || jdbcUrl.startsWith("jdbc:h2:ssl:")) {
            return Optional.empty();
        }
        try {
            var keeper = DriverManager.getConnection(jdbcUrl, user, password);
            if (keeper.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session
                    && session.getDatabase().getStore() != null
                    && session.getDatabase().getStore().getMvStore().getFileStore() != null) {
                var store = session.getDatabase().getStore().getMvStore();
                // New chunks go at the end of the file rather than into space freed earlier, so that
                // after a crash the newest chunk is found where recovery looks for it first.
                store.setReuseSpace(false);
                return Optional.of(new H2DurableCommits(keeper, store));
            }
            keeper.close();   // AUTO_SERVER on a database another process holds: that process forces its writes
            return Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the embedded database: " + e.getMessage(), e);
        }
    }

    /**
     * Writes what is committed and not yet in the file, as one chunk; call it holding the write gate
     * ({@link H2WriteGate}), for a store taken while another thread is between the undo record and
     * the row of a write can keep the row without the record: after a crash that transaction's rows
     * are read as committed, though it never was ("leftovers", h2database pull request 1222). With
     * {@code WRITE_DELAY=0} H2 has stored at the end of the transaction already, so this seldom
     * writes anything.
     */
    void store() {
        store.commit();
    }

    /**
     * Returns once every transaction committed and {@link #store stored} before this call is on
     * disk: waits for what H2 handed its background executors, then fsyncs the file, once for every
     * writer that finished writing before the sync began.
     */
    void awaitDurable() {
        store.getFileStore().executeFileStoreOperation(() -> { });
        long mine = written.incrementAndGet();
        syncLock.lock();
        try {
            if (synced >= mine) {
                return;   // a sync that began after our write covered it
            }
            long upTo = written.get();
            store.sync();
            synced = upTo;
        } finally {
            syncLock.unlock();
        }
    }

    @Override
    public void close() {
        try {
            keeper.close();
        } catch (SQLException e) {
            // closing: nothing left to protect
        }
    }
}

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
 * <p>How: after a transaction commits, {@link #awaitDurable} calls {@link MVStore#commit()} twice
 * (the first may skip its store when a store that began before our commit finished while it
 * waited; the second waits for any store in progress and stores what is left), waits for what a
 * store handed to H2's background executors (its background writer's stores are written there,
 * after it releases the store lock), then fsyncs the file. Both are shared (group commit): a store
 * writes every transaction committed before it began, in one chunk, and one thread fsyncs for every
 * writer that finished writing before the sync began. H2's own write delay is kept (500 ms), for
 * with {@code WRITE_DELAY=0} each transaction's commit stored its own chunk, one after another
 * under the store lock, a quarter of the server's CPU when 16 clients upload 100 KB files and attach
 * them: 4.51-4.61 ms an operation and 71-73 KB added to the file, against 3.83-4.64 ms and 54 KB
 * with the delay (bench/files.sh, runs alternating). New chunks are always appended ({@code setReuseSpace(false)}), so
 * recovery after a crash finds the newest one. With a single forced commit 2 of 3,540
 * acknowledged writes were lost over 10 kills; with two but space reuse on, 5 of 8,206 over 14;
 * as it is, 0 of 15,906 over 30 kills of 8 writers ({@code bench/crash.sh --storage embedded
 * --rounds 30 --writers 8}), and with the write delay kept 0 of 15,090 over 30. Run that before
 * upgrading H2 or changing how commits are forced: this rests on its internals. Space freed
 * in the file is never reused, so {@link H2Compaction} gives it back when a node starts.
 *
 * <p>Not yet covered: a store taken while another thread is between a write's undo record and its
 * row keeps the row without the record, and after a crash H2 reads that row as committed (its
 * "leftovers", h2database pull request 1222). A scratch {@code kill -9} loop through
 * {@link Database}, with the write gate, found that once in 137 restarts: a transaction never
 * acknowledged, two of its rows kept without the rest. Taking every store under the write gate
 * ({@code WRITE_DELAY=0}, a store at the end of each transaction) found none in 161 restarts, but
 * cut 16 clients uploading and attaching 100 KB files to 221.5 operations a second at 6.59 ms of
 * server CPU each (bench/files.sh; 341-374 at 3.8-4.2 ms with the gate alone), so it was not kept;
 * stores shared by the writers that committed meanwhile, under the gate, are the next step.
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

    /** Returns once every transaction committed before this call is written and on disk. */
    void awaitDurable() {
        // The first commit may skip its store because a store that began before our transaction
        // committed finished while it waited; the second waits for any store in progress and then
        // stores what is left. Then wait for writes handed to H2's background executors, if any.
        store.commit();
        store.commit();
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

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
 * <p>How: H2's background writer is switched off (its delay set to the longest there is), so H2
 * never stores on a thread of its own. After a transaction commits, {@link #awaitDurable} has one
 * thread at a time (the leader) take the {@link H2WriteGate}, so that no writing transaction is
 * open, and start a store there ({@link MVStore#tryCommit()}: it takes the maps' roots and hands
 * their pages to H2's serialization thread). It gives the gate back, waits for what it handed over
 * to be written ({@code executeFileStoreOperation}), and fsyncs the file. Both are shared (group
 * commit): the store holds every transaction committed before the leader took the gate, and the
 * writers that committed meanwhile find their transactions covered and return. New chunks are
 * always appended ({@code setReuseSpace(false)}), so recovery after a crash finds the newest one.
 * Space freed in the file is never reused, so {@link H2Compaction} gives it back when a node starts.
 * Each writing transaction takes a ticket just before it commits, holding the gate, so a leader
 * holding it knows that every ticket given out is of a transaction that has ended. A commit is
 * seen by others before it is durable; a read that must not hand one out (the change feed: a
 * position a crash undid is given to the next change, which a reader that saw the first would
 * pass by) waits for every ticket given out by its end ({@link #awaitCommitted}).
 *
 * <p>Why the store waits for the gate: a store taken while another thread is between a write's
 * undo record and its row keeps the row without the record, and after a crash H2 reads that row as
 * committed (its "leftovers", h2database pull request 1222): a transaction never acknowledged,
 * kept in part. A scratch {@code kill -9} loop through {@link Database} found that once in 137
 * restarts when stores were taken beside writes (H2's write delay, and two
 * {@link MVStore#commit()} calls after each commit), and a later one (8 writers, one transaction
 * in ten rolled back) 5 times in 181; with the store started under the gate, none in 500 restarts
 * (198,822 acknowledged transactions, none lost). H2 also stores on the writer's own thread
 * when a transaction holds many unsaved pages; that one is taken between the writer's undo record
 * and its row, never the other way round, so it is safe.
 *
 * <p>Measures that led here. Forcing each commit with H2's write delay kept lost nothing in 30
 * kills of 8 writers (0 of 15,090 acknowledged writes, {@code bench/crash.sh --storage embedded
 * --rounds 30 --writers 8}); a single forced commit lost 2 of 3,540 over 10 kills, and with space
 * reuse on 5 of 8,206 over 14. With {@code WRITE_DELAY=0} each transaction's commit stores its own
 * chunk, on its own thread: under the gate that cut 16 clients uploading and attaching 100 KB files
 * to 221.5 operations a second at 6.59 ms of server CPU each (bench/files.sh; 341-374 at 3.8-4.2
 * ms with stores taken beside the writes). Run the crash bench before upgrading H2 or changing how
 * commits are forced: this rests on its internals.
 *
 * <p>It holds one connection open for its lifetime, so the database (and its store) stays open
 * while the pool turns its connections over.
 */
final class H2DurableCommits implements AutoCloseable {

    /** H2's background writer's delay: the longest there is, so that it never stores (0 would store at every commit). */
    static final int NO_BACKGROUND_STORES = Integer.MAX_VALUE;

    private final Connection keeper;
    private final MVStore store;
    private final H2WriteGate gate;
    /** The tickets given out: each writing transaction takes the next before it commits, holding the gate. */
    private final AtomicLong tickets = new AtomicLong();
    private final ReentrantLock leader = new ReentrantLock();
    /** The ticket up to which every commit is in the file and synced; written under {@link #leader}. */
    private volatile long durableUpTo;

    private H2DurableCommits(Connection keeper, MVStore store, H2WriteGate gate) {
        this.keeper = keeper;
        this.store = store;
        this.gate = gate;
    }

    /**
     * For a persistent embedded H2 database, whose writers take {@code gate}; empty for in-memory or
     * remote ones, which have no file of their own to force. What was written before is stored and
     * synced here.
     */
    static Optional<H2DurableCommits> attach(String jdbcUrl, String user, String password, H2WriteGate gate) {
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
                store.setAutoCommitDelay(NO_BACKGROUND_STORES);
                var durable = new H2DurableCommits(keeper, store, gate);
                durable.awaitDurable(durable.ticket());   // the migrations', stored by H2's background writer until now
                return Optional.of(durable);
            }
            keeper.close();   // AUTO_SERVER on a database another process holds (the server's settings refuse it)
            return Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the embedded database: " + e.getMessage(), e);
        }
    }

    /**
     * The place of a commit among those to make durable: taken by a transaction that wrote, just
     * before it commits, while it holds the gate; {@link #awaitDurable} waits for it.
     */
    long ticket() {
        return tickets.incrementAndGet();
    }

    /** Whether the commit that took {@code ticket}, and every one before it, is written and on disk. */
    boolean isDurable(long ticket) {
        return durableUpTo >= ticket;
    }

    /**
     * Returns once the commit that took {@code ticket}, and every one before it, is written and on
     * disk. Not for a thread that holds the gate: the leader may be waiting for it.
     */
    void awaitDurable(long ticket) {
        if (isDurable(ticket)) {
            return;
        }
        leader.lock();
        try {
            if (durableUpTo >= ticket) {
                return;   // a leader that took the gate after this commit stored and synced it
            }
            long upTo = gate.runAlone(() -> {
                // tryCommit stores nothing when there is nothing new, or when a store is in progress
                // (none should be: every store is taken here or by a writer on its own thread)
                if (store.tryCommit() < 0 && store.hasUnsavedChanges()) {
                    store.commit();
                }
                return tickets.get();   // every ticket given out so far is of a transaction that has ended: none holds the gate
            });
            store.getFileStore().executeFileStoreOperation(() -> { });   // the pages it handed over are written
            store.sync();
            durableUpTo = upTo;
        } finally {
            leader.unlock();
        }
    }

    /**
     * Returns once every commit another thread may have shown this one is durable: for a read that
     * must not hand out what a crash could still undo (a commit is seen before it is durable). In a
     * transaction that wrote (this thread holds the gate) it returns at once: that transaction's own
     * ticket comes after every commit it could see, and its commit waits for it.
     */
    void awaitCommitted() {
        if (!gate.held()) {
            awaitDurable(tickets.get());
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

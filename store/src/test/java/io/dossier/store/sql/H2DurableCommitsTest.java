package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.ComputeTurn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a write on the embedded database returns, it is in the database's file: a copy of the file
 * taken then, as a {@code kill -9} would leave it, opens with the write in it. H2 itself stores a
 * commit only within its write delay (500 ms), so without {@link H2DurableCommits} the copies would
 * miss what was written since its last store.
 */
class H2DurableCommitsTest {

    @TempDir
    Path folder;

    @Test
    void aWriteIsInTheFileWhenItReturnsInATransactionOrOnItsOwn() throws Exception {
        var url = "jdbc:h2:file:" + folder.resolve("db");
        try (var database = Database.open(new Database.Settings(url, "sa", "", 4))) {
            database.sql().execute("CREATE TABLE probe(id INT PRIMARY KEY, writer INT)");
            for (int i = 0; i < 5; i++) {
                int id = i;
                database.inTransaction(() -> database.sql().execute("INSERT INTO probe VALUES (?, 0)", id));
                assertThat(idsInACopy()).as("after transaction %d", i).contains(i);
                database.sql().execute("INSERT INTO probe VALUES (?, 0)", 100 + i);   // auto-commit
                assertThat(idsInACopy()).as("after auto-commit %d", i).contains(100 + i);
            }
        }
    }

    /**
     * A write gives its request's turn to compute back before it waits for its commit to reach the
     * disk, so that another request computes meanwhile; a transaction that only read keeps it.
     */
    @Test
    void aWriteGivesItsTurnBackBeforeItWaitsForTheDisk() throws Exception {
        var url = "jdbc:h2:file:" + folder.resolve("db");
        try (var database = Database.open(new Database.Settings(url, "sa", "", 4))) {
            database.sql().execute("CREATE TABLE probe(id INT PRIMARY KEY, writer INT)");
            var givenBack = new AtomicInteger();
            ComputeTurn.holding(givenBack::incrementAndGet, () -> {
                database.inTransaction(() -> database.sql().fetch("SELECT id FROM probe"));
                assertThat(givenBack).as("a transaction that only read").hasValue(0);
                database.inTransaction(() -> database.sql().execute("INSERT INTO probe VALUES (1, 0)"));
                assertThat(givenBack).as("a transaction that wrote").hasValue(1);
                database.sql().execute("INSERT INTO probe VALUES (2, 0)");   // auto-commit
                assertThat(givenBack).as("a write on its own").hasValue(2);
                return null;
            });
            assertThat(idsInACopy()).contains(1, 2);
        }
    }

    @Test
    void concurrentWritersEachFindTheirWriteInTheFile() throws Exception {
        var url = "jdbc:h2:file:" + folder.resolve("db");
        try (var database = Database.open(new Database.Settings(url, "sa", "", 8));
             var writers = Executors.newFixedThreadPool(8)) {
            database.sql().execute("CREATE TABLE probe(id INT PRIMARY KEY, writer INT)");
            var acknowledged = new ArrayList<Future<Integer>>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                acknowledged.add(writers.submit(() -> {
                    int last = -1;
                    for (int i = 0; i < 25; i++) {
                        int id = writer * 1000 + i;
                        database.inTransaction(() -> database.sql().execute("INSERT INTO probe VALUES (?, ?)", id, writer));
                        last = id;
                    }
                    return last;
                }));
            }
            var expected = new TreeSet<Integer>();
            for (var future : acknowledged) {
                expected.add(future.get());
            }
            // every writer's last write returned before this copy began, so the copy holds each of them
            assertThat(idsInACopy()).containsAll(expected);
        }
    }

    /**
     * No store of the file is taken while another thread's writing transaction is open: a store
     * beside a write can keep a row without its undo record, which H2 reads as committed after a
     * crash ({@link H2DurableCommits}). H2's background writer stored within its write delay (500
     * ms); the commit that ends the transaction is stored at once.
     */
    @Test
    void nothingIsStoredWhileAWritingTransactionIsOpenAndItsCommitIsStoredAtOnce() throws Exception {
        var url = "jdbc:h2:file:" + folder.resolve("db");
        var wrote = new CountDownLatch(1);
        var end = new CountDownLatch(1);
        try (var database = Database.open(new Database.Settings(url, "sa", "", 4));
             var writers = Executors.newSingleThreadExecutor();
             var keeper = DriverManager.getConnection(url, "sa", "");
             AutoCloseable ending = end::countDown) {   // a failed assertion still lets the writer end
            database.sql().execute("CREATE TABLE probe(id INT PRIMARY KEY, writer INT)");
            var store = ((SessionLocal) keeper.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
            var writer = writers.submit(() -> database.inTransaction(() -> {
                database.sql().execute("INSERT INTO probe VALUES (1, 0)");
                wrote.countDown();
                try {
                    end.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }));
            assertThat(wrote.await(30, TimeUnit.SECONDS)).isTrue();
            long version = store.getCurrentVersion();
            // a transaction that only reads neither waits for the writer nor stores
            assertThat(database.inTransaction(() -> database.sql().fetchCount(DSL.table("probe")))).isZero();
            Thread.sleep(1_500);   // three times H2's write delay
            assertThat(store.getCurrentVersion()).as("stores taken while the writer was open").isEqualTo(version);
            assertThat(store.hasUnsavedChanges()).isTrue();
            end.countDown();
            writer.get(30, TimeUnit.SECONDS);
            assertThat(store.getCurrentVersion()).isGreaterThan(version);
            assertThat(idsInACopy()).contains(1);
        }
    }

    /**
     * A commit is seen by others before it is durable; a read that must not hand one out (the change
     * feed) waits for every commit that took its ticket before the read ended.
     */
    @Test
    void aCommitSeenBeforeItIsDurableIsMadeDurableForAReadThatAwaitsIt() throws Exception {
        var url = Database.withH2Settings("jdbc:h2:file:" + folder.resolve("db"));
        var source = source(url);
        try (var connection = source.getConnection()) {
            var gate = H2WriteGate.of(source).orElseThrow();
            try (var durable = H2DurableCommits.attach(url, "sa", "", gate).orElseThrow()) {
                connection.createStatement().execute("CREATE TABLE probe(id INT PRIMARY KEY, writer INT)");
                durable.awaitDurable(durable.ticket());
                // a writer that has committed and not yet made its commit durable
                connection.setAutoCommit(false);
                assertThat(gate.enter()).isTrue();
                connection.createStatement().execute("INSERT INTO probe VALUES (1, 0)");
                durable.ticket();
                connection.commit();
                gate.leave();
                try (var other = source.getConnection(); var rows = other.createStatement().executeQuery("SELECT COUNT(*) FROM probe")) {
                    rows.next();
                    assertThat(rows.getInt(1)).as("seen by others").isEqualTo(1);
                }
                assertThat(idsInACopy()).as("not in the file yet").isEmpty();
                durable.awaitCommitted();
                assertThat(idsInACopy()).containsExactly(1);
            }
        }
    }

    /** A read of the feed inside a transaction that wrote neither waits for itself nor for a leader waiting for its gate. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)   // a deadlock fails the test, not hangs the build
    void aReadThatAwaitsCommitsInsideATransactionThatWroteReturnsAtOnce() throws Exception {
        var url = Database.withH2Settings("jdbc:h2:file:" + folder.resolve("db"));
        var source = source(url);
        try (var connection = source.getConnection(); var others = Executors.newSingleThreadExecutor()) {
            var gate = H2WriteGate.of(source).orElseThrow();
            try (var durable = H2DurableCommits.attach(url, "sa", "", gate).orElseThrow()) {
                durable.ticket();   // a commit before, not yet durable
                assertThat(gate.enter()).isTrue();   // this thread's transaction wrote
                var leader = others.submit(durable::awaitCommitted);   // waits for the gate
                Thread.sleep(200);
                assertThat(leader.isDone()).isFalse();
                durable.awaitCommitted();   // returns at once: its own commit will wait
                gate.leave();
                leader.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A plain data source on {@code url}, for a gate and a writer of the test's own. */
    static org.h2.jdbcx.JdbcDataSource source(String url) {
        var source = new org.h2.jdbcx.JdbcDataSource();
        source.setURL(url);
        source.setUser("sa");
        return source;
    }

    /**
     * A copy of the H2 file {@code file} taken now, into the new folder {@code copy}, opened as a
     * node opens its file after a crash; the caller closes it.
     */
    static java.sql.Connection openCopy(java.nio.file.Path file, java.nio.file.Path copy) throws Exception {
        Files.createDirectories(copy);
        Files.copy(file, copy.resolve("db.mv.db"));
        return DriverManager.getConnection(Database.withH2Settings("jdbc:h2:file:" + copy.resolve("db")), "sa", "");
    }

    private int copies;

    /** The ids in a copy of the file taken now, opened as a node opens its file after a crash. */
    private TreeSet<Integer> idsInACopy() throws Exception {
        var ids = new TreeSet<Integer>();
        try (var connection = openCopy(folder.resolve("db.mv.db"), folder.resolve("copy-" + copies++))) {
            for (var row : DSL.using(connection).fetch("SELECT id FROM probe")) {
                ids.add(row.get(0, Integer.class));
            }
        }
        return ids;
    }
}

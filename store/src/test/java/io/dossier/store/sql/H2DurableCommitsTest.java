package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a write on the embedded database returns, it is in the database's file: a copy of the file
 * taken then, as a {@code kill -9} would leave it, opens with the write in it. Without
 * {@link H2DurableCommits} H2 stores a commit but does not sync it, so a power cut could still lose it.
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
     * A store that catches a writer halfway (its row in, its undo record not) leaves, after a crash,
     * a row read as committed that no transaction committed. So nothing is stored while another
     * transaction holds the write gate: not by H2's background writer (none, {@code WRITE_DELAY=0}),
     * not by a transaction that ends beside it. New chunks are appended, so the file would grow.
     */
    @Test
    void nothingIsStoredWhileATransactionIsHalfwayThroughItsWrites() throws Exception {
        var url = "jdbc:h2:file:" + folder.resolve("db");
        try (var database = Database.open(new Database.Settings(url, "sa", "", 4));
             var pool = Executors.newSingleThreadExecutor()) {
            database.sql().execute("CREATE TABLE probe(id INT PRIMARY KEY, writer INT)");
            var wrote = new java.util.concurrent.CountDownLatch(1);
            var release = new java.util.concurrent.CountDownLatch(1);
            var halfway = pool.submit(() -> database.inTransaction(() -> {
                database.sql().execute("INSERT INTO probe VALUES (1, 0)");
                wrote.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            try {
                assertThat(wrote.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                long size = Files.size(folder.resolve("db.mv.db"));
                // transactions that only read end, and H2's old write delay (500 ms) passes
                for (int i = 0; i < 6; i++) {
                    database.inTransaction(() -> database.sql().fetchCount(DSL.table("probe")));
                    Thread.sleep(200);
                }
                assertThat(Files.size(folder.resolve("db.mv.db"))).as("the file while a write is halfway").isEqualTo(size);
            } finally {
                release.countDown();
            }
            halfway.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(idsInACopy()).contains(1);
        }
    }

    private int copies;

    /** The ids in a copy of the file taken now, opened as a node opens its file after a crash. */
    private TreeSet<Integer> idsInACopy() throws Exception {
        var copy = folder.resolve("copy-" + copies++);
        Files.createDirectories(copy);
        Files.copy(folder.resolve("db.mv.db"), copy.resolve("db.mv.db"));
        var ids = new TreeSet<Integer>();
        try (var connection = DriverManager.getConnection(Database.withH2Settings("jdbc:h2:file:" + copy.resolve("db")), "sa", "")) {
            for (var row : DSL.using(connection).fetch("SELECT id FROM probe")) {
                ids.add(row.get(0, Integer.class));
            }
        }
        return ids;
    }
}

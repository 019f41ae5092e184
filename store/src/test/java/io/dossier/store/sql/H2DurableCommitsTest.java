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

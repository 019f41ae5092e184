package io.dossier.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded database file that is mostly old chunks ({@link H2DurableCommits} appends every
 * commit's chunk and never reuses freed space) is compacted before it opens ({@link H2Compaction}),
 * and every committed row reads back whole after it.
 */
class H2CompactionTest {

    @TempDir
    Path folder;

    private static final int ROWS = 40;

    @Test
    void aFileOfMostlyOldChunksShrinksBeforeItOpensAndKeepsEveryCommittedRow() throws Exception {
        var url = Database.withH2Settings("jdbc:h2:file:" + folder.resolve("db"));
        var file = folder.resolve("db.mv.db");
        var expected = written(url);
        long before = Files.size(file);
        assertThat(before).as("the file before").isGreaterThan(4L << 20);

        assertThat(H2Compaction.beforeOpen(url, "sa", "", Long.MAX_VALUE)).as("a file smaller than the size compaction starts at").isFalse();
        assertThat(Files.size(file)).isEqualTo(before);
        assertThat(H2Compaction.beforeOpen(url, "sa", "", 1L << 20)).isTrue();

        assertThat(Files.size(file)).as("the file after (%d bytes before)", before).isLessThan(before / 4);
        try (var connection = DriverManager.getConnection(url, "sa", "")) {
            assertThat(read(connection)).isEqualTo(expected);
        }
        assertThat(H2Compaction.beforeOpen(url, "sa", "", 1L << 20)).as("a file compacted already").isFalse();
        assertThat(folder.resolve("db.mv.db.compacted")).doesNotExist();
    }

    @Test
    void theFileOfADatabaseUrl() {
        assertThat(H2Compaction.fileOf("jdbc:h2:file:/data/db/dossier;WRITE_DELAY=0")).contains(Path.of("/data/db/dossier.mv.db"));
        assertThat(H2Compaction.fileOf("jdbc:h2:/data/db/dossier")).contains(Path.of("/data/db/dossier.mv.db"));
        assertThat(H2Compaction.fileOf("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1")).isEmpty();
        assertThat(H2Compaction.fileOf("jdbc:h2:tcp://host/db")).isEmpty();
        assertThat(H2Compaction.fileOf("jdbc:postgresql://host/db")).isEmpty();
    }

    @Test
    void aMissingFileIsLeftToBeCreated() {
        var url = "jdbc:h2:file:" + folder.resolve("none");
        assertThat(H2Compaction.beforeOpen(url, "sa", "", 0)).isFalse();
        assertThat(folder.resolve("none.mv.db")).doesNotExist();
    }

    /** Rows rewritten 600 times, each commit made durable as a node makes it: a chunk appended each time. */
    private static Map<Integer, String> written(String url) throws SQLException {
        var expected = new HashMap<Integer, String>();
        var random = new Random(7);
        var source = H2DurableCommitsTest.source(url);
        try (var connection = source.getConnection();
             var durable = H2DurableCommits.attach(url, "sa", "", H2WriteGate.of(source).orElseThrow()).orElseThrow()) {
            connection.createStatement().execute("CREATE TABLE probe(id INT PRIMARY KEY, v VARCHAR(20000))");
            for (int i = 0; i < 600; i++) {
                var chars = new char[8_000];
                for (int c = 0; c < chars.length; c++) {
                    chars[c] = (char) ('a' + random.nextInt(26));
                }
                try (var merge = connection.prepareStatement("MERGE INTO probe KEY(id) VALUES (?, ?)")) {
                    merge.setInt(1, i % ROWS);
                    merge.setString(2, new String(chars));
                    merge.executeUpdate();
                }
                expected.put(i % ROWS, new String(chars));
                durable.awaitDurable(durable.ticket());
            }
        }
        return expected;
    }

    private static Map<Integer, String> read(Connection connection) throws SQLException {
        var rows = new HashMap<Integer, String>();
        try (var statement = connection.createStatement(); var result = statement.executeQuery("SELECT id, v FROM probe")) {
            while (result.next()) {
                rows.put(result.getInt(1), result.getString(2));
            }
        }
        return rows;
    }
}

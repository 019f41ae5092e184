package io.dossier.store.sql;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the space of an embedded database file that is mostly old chunks, before the
 * database opens.
 *
 * <p>Why: {@link H2DurableCommits} has H2 append every commit's chunk to the end of the file and
 * never write into space freed earlier, so that recovery after a crash finds the newest chunk. H2
 * compacts a file (moves its live chunks forward and cuts off the rest) only while it reuses space,
 * so the file kept every chunk: 1.3 GB after 21,000 small uploads, of which 13 MB were live. H2's
 * own compaction of an open store ({@code MVStore.compactFile}, space reuse turned on for it, commits
 * held meanwhile) was tried and not kept: it shrank files of some tens of MB, but left that 1.3 GB
 * file as it was, in 10 passes, even with no load. Copying what is live into a new file (as H2's
 * {@code SHUTDOWN COMPACT} does) took it from 1.3 GB to 13 MB in 2 s. So a node compacts at start,
 * before anything is written or acknowledged, when the file is at least {@code db.compact-from-mb}
 * and less than {@link #BELOW_FILL_RATE} percent of its chunks' pages are live; a node that runs long
 * gives the space back at its next start.
 */
final class H2Compaction {

    private static final Logger log = LoggerFactory.getLogger(H2Compaction.class);

    /** A file is compacted when less than this share (in percent) of its chunks' pages is live. */
    static final int BELOW_FILL_RATE = 50;

    private H2Compaction() {
    }

    /**
     * Compacts the embedded database of {@code jdbcUrl} (a persistent {@code jdbc:h2:} URL; nothing
     * else is touched) if its file is at least {@code fromBytes} and mostly free, while nothing else
     * has it open; returns whether it did. H2 opens it first, as the server would (finishing the
     * transactions a crash left committed and rolling back the rest), and closes it; then what is
     * live is copied into a new file beside it, which is forced to disk and renamed over the old one,
     * and the folder is forced: a crash at any point leaves one whole file, the old or the new. (The
     * copy is taken from a closed database only: copied from a file a {@code kill -9} had left, a
     * transaction committed just before it could be lost at the next open: {@code bench/crash.sh}
     * found 2 of 18,266 acknowledged uploads missing or damaged after 6 {@code kill -9}s, none of
     * 31,719 over 8 once the database was closed first.)
     */
    static boolean beforeOpen(String jdbcUrl, String user, String password, long fromBytes) {
        var file = fileOf(jdbcUrl).orElse(null);
        var copy = file == null ? null : file.resolveSibling(file.getFileName() + ".compacted");
        try {
            long before = file == null || !Files.isRegularFile(file) ? 0 : Files.size(file);
            if (before == 0 || before < fromBytes) {
                return false;
            }
            long began = System.nanoTime();
            // the store's chunk list tells how much is live, read without opening the database (its
            // recovery and schema): a large file that is mostly live costs a start no more than that
            int fillRate;
            var store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
            try {
                fillRate = store.getFileStore().getChunksFillRate();
            } finally {
                store.close();
            }
            if (fillRate >= BELOW_FILL_RATE) {
                return false;
            }
            try (var connection = DriverManager.getConnection(jdbcUrl, user, password); var statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
            Files.deleteIfExists(copy);
            MVStore.compact(file.toString(), copy.toString(), false, null);
            try (var channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (var folder = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                folder.force(true);
            }
            log.info("compacted the embedded database from {} to {} MB in {} ms ({}% of its chunks' pages had been live)", before >> 20,
                    Files.size(file) >> 20, (System.nanoTime() - began) / 1_000_000, fillRate);
            return true;
        } catch (IOException | SQLException | RuntimeException e) {
            // it opens as it is, as it did before compaction existed (another process holding it, a full disk)
            log.warn("could not compact the embedded database {}: {}", file, e.toString());
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);   // a copy cut short: the old file is whole
                } catch (IOException ignored) {
                    // the next start removes it
                }
            }
            return false;
        }
    }

    /** The file of a persistent embedded database's URL ({@code jdbc:h2:file:/x/db;…} → {@code /x/db.mv.db}). */
    static Optional<Path> fileOf(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        var name = jdbcUrl.substring("jdbc:h2:".length());
        int settings = name.indexOf(';');
        if (settings >= 0) {
            name = name.substring(0, settings);
        }
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (name.contains(":")) {
            return Optional.empty();   // mem:, tcp:, ssl:, zip:, …
        }
        if (name.isEmpty() || name.startsWith("~")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(name + ".mv.db"));
    }
}

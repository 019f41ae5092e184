package io.dossier.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.StorageSetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An acknowledged write survives kill -9: the short CI version of {@code bench/crash.sh}, on this
 * run's storage (a {@code dossier dev} process on H2 + folder, or {@code dossier start} on
 * PostgreSQL + S3): 5 rounds of 4 writers, each ended by SIGKILL at a random moment; on the
 * embedded database each restart compacts the file the kill left ({@code db.compact-from-mb}).
 */
class CrashIT {

    /** Node logs stay in {@code it/target/crash-logs/} for a look after a failure. */
    static Path logFolder(String name) {
        var kind = StorageSetup.kind().name().toLowerCase(java.util.Locale.ROOT);
        return Path.of("target", "crash-logs", name + "-" + kind + "-" + System.currentTimeMillis());
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillNine() throws Exception {
        var kind = StorageSetup.kind();
        var seed = System.nanoTime();
        // every restart compacts an embedded database's file (from 1 MB, not 64), so that a kill -9
        // is followed by a compaction every round, as after a long run
        var options = new CrashRun.Options(kind, 5, 4, 1, Duration.ofMillis(1500), Duration.ofMillis(4000), seed,
                Map.of("db.compact-from-mb", "1"), false, System.out);

        var logs = logFolder("crash");
        var report = new CrashRun(options).run(logs);

        assertThat(report.acknowledgedTotal()).as("the load got writes acknowledged (seed %d)", seed).isGreaterThan(20);
        assertThat(report.problems()).as("lost or corrupt acknowledged writes, or persons a walk of the change feed skipped (seed %d)", seed)
                .isEmpty();
        // a Youforce client walked the change feed through every kill (FeedFollower)
        assertThat(report.walksAcrossKill()).as("walks of the change feed that went on across a kill (seed %d; failed requests: %s)", seed,
                report.walkFailures()).isPositive();
        assertThat(report.refusedWhileUp()).as("writes refused while the node was not being killed (seed %d)", seed).isEmpty();
        // a change-feed position found taken is passed (SqlChangeRepository), but none should be:
        // a counter behind its log was H2 losing a committed update (H2WriteGate prevents that), a
        // row no transaction owns was a store taken beside a write (H2DurableCommits prevents that)
        assertThat(lines(logs, "is taken (")).as("change-feed positions found taken (seed %d)", seed).isEmpty();
        // after a restart the node must serve as before: once, every change-feed write after a kill's
        // restart waited out its lock for 11 minutes on a lock nothing let go, each answered 500,
        // and no assertion above saw it (the writes were refused, the reads still answered)
        assertThat(lines(logs, "failed, reference")).as("internal errors in the node logs (seed %d)", seed).isEmpty();
        assertThat(lines(logs, "answered unavailable")).as("lock or connection waits that ran out (seed %d)", seed)
                .isEmpty();
        if (kind == StorageSetup.Kind.EMBEDDED) {
            assertThat(lines(logs, "compacted the embedded database")).as("a restart compacted the database (seed %d)", seed).isNotEmpty();
        }
    }

    /** The lines of the node logs in {@code logs} that contain {@code text}, at most 10. */
    private static List<String> lines(Path logs, String text) throws IOException {
        var found = new ArrayList<String>();
        try (var files = Files.list(logs)) {
            for (var file : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                for (var line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                    if (line.contains(text) && found.size() < 10) {
                        found.add(file.getFileName() + ": " + line);
                    }
                }
            }
        }
        return found;
    }
}

package io.dossier.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.StorageSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An acknowledged write survives kill -9: the short CI version of {@code bench/crash.sh}, on this
 * run's storage (a {@code dossier dev} process on H2 + folder, or {@code dossier start} on
 * PostgreSQL + S3): 5 rounds of 4 writers, each ended by SIGKILL at a random moment.
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
        var options = new CrashRun.Options(kind, 5, 4, 1, Duration.ofMillis(1500), Duration.ofMillis(4000), seed, Map.of(), false, System.out);

        var report = new CrashRun(options).run(logFolder("crash"));

        assertThat(report.acknowledgedTotal()).as("the load got writes acknowledged (seed %d)", seed).isGreaterThan(20);
        assertThat(report.problems()).as("lost or corrupt acknowledged writes (seed %d)", seed).isEmpty();
        assertThat(report.refusedWhileUp()).as("writes refused while the node was not being killed (seed %d)", seed).isEmpty();
    }
}

package io.dossier.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.StorageSetup;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Three {@code dossier start} nodes on one PostgreSQL database and one S3 bucket, the mixed load
 * spread over them, one killed with SIGKILL mid-load (the short CI version of
 * {@code bench/crash.sh --nodes 3}). Every write any node acknowledged is still there through the
 * others, every session and token works on a node other than the one that issued it, and an unbound
 * upload and an open resumable upload left on the killed node are collected by the survivors.
 * Only in the PostgreSQL + S3 run: the embedded database belongs to one process.
 */
class MultiNodeIT {

    /** Uploads expire after 36 s and background work runs every 2 s, so the survivors' collection is seen within the test. */
    static final Map<String, String> FAST_BACKGROUND = Map.of("upload.unbound-hours", "0.01", "background.period-seconds", "2");

    @Test
    void aKilledNodeLosesNothingAndTheOthersTakeOverItsWork() throws Exception {
        Assumptions.assumeTrue(StorageSetup.kind() == StorageSetup.Kind.POSTGRES_S3, "several nodes need PostgreSQL + S3");
        var seed = System.nanoTime();
        var options = new CrashRun.Options(StorageSetup.Kind.POSTGRES_S3, 1, 6, 3, Duration.ofMillis(3000), Duration.ofMillis(5000), seed,
                FAST_BACKGROUND, true, System.out);

        var report = new CrashRun(options).run(CrashIT.logFolder("multi-node"));

        assertThat(report.acknowledgedByKilledNodes()).as("writes acknowledged by the node then killed (seed %d)", seed).isPositive();
        assertThat(report.problems()).as("lost or corrupt acknowledged writes (seed %d)", seed).isEmpty();
        assertThat(report.refusedWhileUp()).as("writes refused by nodes that were not being killed (seed %d)", seed).isEmpty();
        assertThat(report.takeover()).hasValueSatisfying(t -> assertThat(t.collected()).as(String.join("\n", t.lines())).isTrue());
    }
}

package io.dossier.server;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic work of a node: collecting unbound uploads and deleted files, blobs no row references
 * (left by a crash between a blob write and its row's commit), purging expired sessions, and
 * collecting change-feed tombstones older than {@code change.tombstone-days}.
 * Each task claims its rows in the database (SKIP LOCKED), so every node may run it at once.
 */
final class BackgroundWork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);

    private final ScheduledExecutorService scheduler;

    private BackgroundWork(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    static BackgroundWork start(Dossier dossier) {
        var scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "dossier-background");
            thread.setDaemon(true);
            return thread;
        });
        // Every cadence is a multiple of background.period-seconds (60 by default), so a test can run them all faster.
        long period = dossier.settings().backgroundPeriod().toMillis();
        scheduler.scheduleWithFixedDelay(() -> run("file collection", () -> {
            int collected;
            do {
                collected = dossier.content().collect(200);
            } while (collected == 200);
        }), period / 2, period, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> run("orphan blob collection", () -> {
            try {
                dossier.content().collectOrphans(java.time.Instant.now().minus(dossier.settings().orphanBlobGrace()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }), 2 * period, 60 * period, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> run("session purge", () -> dossier.sessions().purgeExpired()), period, 5 * period, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> run("token purge", () -> dossier.tokens().purgeExpired()), 3 * period / 2, 5 * period, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> run("upload ticket collection", () -> dossier.deliveries().collectExpiredTickets(200)),
                3 * period / 4, 5 * period, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> run("tombstone collection", () -> {
            int collected;
            do {
                collected = dossier.changes().collectTombstones(500);
            } while (collected == 500);
        }), 5 * period / 4, 5 * period, TimeUnit.MILLISECONDS);
        if (dossier.mail().delivers()) {
            // mail should not wait a whole period: every sixth of one (10 s by default), at least every second
            long mailPeriod = Math.max(1000, period / 6);
            scheduler.scheduleWithFixedDelay(() -> run("mail delivery", () -> {
                while (dossier.mail().deliverDue(20) == 20) {
                    // a full batch: there may be more due
                }
            }), mailPeriod, mailPeriod, TimeUnit.MILLISECONDS);
        }
        return new BackgroundWork(scheduler);
    }

    private static void run(String name, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed; it runs again later: {}", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

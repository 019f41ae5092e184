package io.dossier.server;

import io.dossier.core.job.JobKind;
import io.dossier.core.job.JobWorker;
import io.dossier.core.job.Jobs;
import io.dossier.core.webhook.WebhookWorker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dossier's own periodic work, as durable jobs: collecting unbound uploads and deleted files, blobs
 * no row references (left by a crash between a blob write and its row's commit), expired resumable
 * uploads, sessions and tokens, change-feed tombstones older than {@code change.tombstone-days},
 * finished jobs, and delivering the outboxes' mail when a mail server is configured. Every node enqueues each kind once per its cadence under a key naming the period,
 * so the work exists once per period however many nodes run; any node claims it, and a node that
 * dies mid-run has it taken over when its lease ends. This class also runs the node's
 * {@link JobWorker}, which runs every other kind of job too.
 */
final class BackgroundWork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);

    /** A kind of periodic work and its cadence in background periods. */
    record Periodic(String kind, int periods) {
    }

    static final List<Periodic> PERIODIC = List.of(
            new Periodic("files.collect", 1),
            new Periodic("uploads.expire", 5),
            new Periodic("sessions.purge", 5),
            new Periodic("tokens.purge", 5),
            new Periodic("changes.collect-tombstones", 5),
            new Periodic("blobs.collect-orphans", 60),
            new Periodic("blobs.scrub", 60),
            new Periodic("jobs.purge", 60),
            new Periodic("mail.deliver", 1),
            new Periodic("webhooks.purge", 60));

    private final ScheduledExecutorService ticker;
    private final JobWorker worker;
    private final WebhookWorker webhookWorker;

    private BackgroundWork(ScheduledExecutorService ticker, JobWorker worker, WebhookWorker webhookWorker) {
        this.ticker = ticker;
        this.worker = worker;
        this.webhookWorker = webhookWorker;
    }

    /** Registers the periodic kinds on {@code jobs}; each may run as long as its cadence before it is dead and the next one takes over. */
    static void register(Jobs jobs, Dossier dossier) {
        var period = dossier.settings().backgroundPeriod();
        jobs.register(kind("files.collect", period, job -> {
            int collected;
            do {
                collected = dossier.content().collect(200);
            } while (collected == 200);
        }));
        jobs.register(kind("uploads.expire", period.multipliedBy(5), job -> {
            int collected;
            do {
                collected = dossier.deliveries().collectExpiredTickets(200);
            } while (collected == 200);
        }));
        jobs.register(kind("sessions.purge", period.multipliedBy(5), job -> dossier.sessions().purgeExpired()));
        jobs.register(kind("tokens.purge", period.multipliedBy(5), job -> dossier.tokens().purgeExpired()));
        jobs.register(kind("changes.collect-tombstones", period.multipliedBy(5), job -> {
            int collected;
            do {
                collected = dossier.changes().collectTombstones(500);
            } while (collected == 500);
        }));
        jobs.register(kind("blobs.collect-orphans", period.multipliedBy(60), job -> {
            try {
                dossier.content().collectOrphans(Instant.now().minus(dossier.settings().orphanBlobGrace()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        jobs.register(kind("blobs.scrub", period.multipliedBy(60), job -> {
            var scrub = dossier.settings().blobScrub();
            if (scrub.pass().isZero()) {
                return;
            }
            try {
                dossier.blobScrub().run(scrub.pass(), period.multipliedBy(60), scrub.maxBytesPerSecond());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        jobs.register(kind("jobs.purge", period.multipliedBy(60), job -> jobs.purgeFinished(dossier.settings().jobs().keep())));
        // without smtp.host there is nothing to deliver: mail stays in the outboxes
        jobs.register(kind("mail.deliver", period, job -> {
            while (dossier.mail().deliverDue(20) == 20) {
                // a full batch: there may be more due
            }
        }));
        jobs.register(kind("webhooks.purge", period.multipliedBy(60), job -> dossier.webhooks().purgeFinished(dossier.settings().webhooks().keep())));
    }

    private static JobKind kind(String name, Duration cadence, JobKind.Handler handler) {
        var first = Duration.ofSeconds(Math.max(1, Math.min(5, cadence.toSeconds() / 4)));
        return new JobKind(name, cadence, first, first.multipliedBy(16), false, handler);
    }

    /** Starts the node's job worker and the ticker that enqueues the periodic work. */
    static BackgroundWork start(Dossier dossier) {
        var settings = dossier.settings().jobs();
        var worker = new JobWorker(dossier.jobs(), settings.concurrency(), settings.lease(), settings.poll()).start();
        var ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "dossier-background");
            thread.setDaemon(true);
            return thread;
        });
        long period = dossier.settings().backgroundPeriod().toMillis();
        ticker.scheduleWithFixedDelay(() -> enqueuePeriodic(dossier.jobs(), period), period / 2, period, TimeUnit.MILLISECONDS);
        var hooks = dossier.settings().webhooks();
        var webhookWorker = new WebhookWorker(dossier.webhooks(), dossier.changes(), hooks.concurrency(), hooks.poll()).start();
        return new BackgroundWork(ticker, worker, webhookWorker);
    }

    /** Enqueues each periodic kind whose cadence has a new period now; the key makes the other nodes' enqueues no-ops. */
    static void enqueuePeriodic(Jobs jobs, long periodMillis) {
        var now = Instant.now();
        for (var periodic : PERIODIC) {
            long slot = now.toEpochMilli() / (periodMillis * periodic.periods());
            try {
                jobs.enqueue(null, periodic.kind(), "", periodic.kind() + ":" + slot, now);
            } catch (RuntimeException e) {
                LOG.warn("enqueuing {} failed; the next period enqueues it: {}", periodic.kind(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        webhookWorker.close();
        worker.close();
    }
}

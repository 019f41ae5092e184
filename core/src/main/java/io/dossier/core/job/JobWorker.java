package io.dossier.core.job;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's job runner: one thread claims due jobs (as many as it has free slots, at most
 * {@code concurrency}), each runs on a virtual thread, and a heartbeat renews the leases of the jobs
 * still running every third of the lease. A node that dies stops renewing, so its jobs become due
 * again when their leases end and another node takes them over. Without work the claimer sleeps
 * {@code poll} between claims, or less when a job is enqueued on this node.
 */
public final class JobWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);

    private final Jobs jobs;
    private final int concurrency;
    private final Duration lease;
    private final Duration poll;
    private final Semaphore slots;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private final Thread claimer;
    private final Thread heartbeat;

    public JobWorker(Jobs jobs, int concurrency, Duration lease, Duration poll) {
        this.jobs = jobs;
        this.concurrency = concurrency;
        this.lease = lease;
        this.poll = poll;
        this.slots = new Semaphore(concurrency);
        this.claimer = Thread.ofPlatform().daemon().name("dossier-jobs").unstarted(this::claimLoop);
        this.heartbeat = Thread.ofPlatform().daemon().name("dossier-jobs-lease").unstarted(this::heartbeatLoop);
        jobs.onEnqueue(() -> LockSupport.unpark(claimer));
    }

    public JobWorker start() {
        claimer.start();
        heartbeat.start();
        return this;
    }

    private void claimLoop() {
        long failures = 0;
        while (!stopping) {
            try {
                slots.acquire();
                int free = 1 + slots.drainPermits();
                java.util.List<Job> claimed;
                try {
                    claimed = jobs.claim(free, lease);
                } catch (RuntimeException e) {
                    slots.release(free);
                    // the database is away: try again, more slowly each time (up to 30 s)
                    failures++;
                    LOG.warn("claiming jobs failed; trying again: {}", e.getMessage());
                    pause(Duration.ofMillis(Math.min(30_000, poll.toMillis() * failures)));
                    continue;
                }
                failures = 0;
                slots.release(free - claimed.size());
                for (var job : claimed) {
                    running.add(job.claimToken() + ":" + job.id());
                    Thread.ofVirtual().name("job-" + job.id()).start(() -> {
                        try {
                            jobs.execute(job);
                        } catch (RuntimeException e) {
                            LOG.warn("recording the outcome of job {} failed; its lease ends and it runs again: {}", job.id(), e.getMessage());
                        } finally {
                            running.remove(job.claimToken() + ":" + job.id());
                            slots.release();
                            LockSupport.unpark(claimer);
                        }
                    });
                }
                if (claimed.size() < free) {
                    pause(poll);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pause(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }

    private void heartbeatLoop() {
        long every = Math.max(10, lease.toMillis() / 3);
        while (!stopping) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            var tokens = running.stream().map(entry -> entry.substring(0, entry.indexOf(':'))).collect(java.util.stream.Collectors.toSet());
            try {
                jobs.renew(tokens, lease);
            } catch (RuntimeException e) {
                LOG.warn("renewing job leases failed; trying again: {}", e.getMessage());
            }
        }
    }

    /** Jobs running on this node now. */
    public int running() {
        return running.size();
    }

    /**
     * Stops claiming and waits up to {@code grace} for running jobs; those still running are left
     * to their leases (another node takes them over when they end).
     */
    public void stop(Duration grace) {
        stopping = true;
        claimer.interrupt();
        try {
            claimer.join(5_000);
            if (slots.tryAcquire(concurrency, grace.toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(concurrency);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeat.interrupt();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}

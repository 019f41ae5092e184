package io.dossier.core.webhook;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's webhook worker: a dispatcher thread that turns new changes into deliveries (woken
 * at once by this node's commits, and every {@code poll} for other nodes' ones), and a claimer
 * thread that claims due deliveries, as many as it has free slots (at most {@code concurrency}),
 * each attempted on a virtual thread. An attempt lasts at most the policy's timeout, within its
 * lease, so no heartbeat is needed; a node that dies mid-attempt loses its deliveries to another
 * node when their leases end.
 */
public final class WebhookWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookWorker.class);

    private final Webhooks webhooks;
    private final int concurrency;
    private final Duration poll;
    private final Semaphore slots;
    private final Thread dispatcher;
    private final Thread claimer;
    private volatile boolean stopping;

    public WebhookWorker(Webhooks webhooks, io.dossier.core.change.ChangeFeed feed, int concurrency, Duration poll) {
        this.webhooks = webhooks;
        this.concurrency = concurrency;
        this.poll = poll;
        this.slots = new Semaphore(concurrency);
        this.dispatcher = Thread.ofPlatform().daemon().name("dossier-webhooks-dispatch").unstarted(this::dispatchLoop);
        this.claimer = Thread.ofPlatform().daemon().name("dossier-webhooks").unstarted(this::claimLoop);
        feed.onCommit(tenantId -> {
            if (webhooks.mayDispatch()) {
                LockSupport.unpark(dispatcher);   // with no webhook at all, each commit's wake-up was 0.5% of a busy node's CPU
            }
        });
        webhooks.onDeliveriesQueued(() -> LockSupport.unpark(claimer));
    }

    public WebhookWorker start() {
        dispatcher.start();
        claimer.start();
        return this;
    }

    private void dispatchLoop() {
        long lastRead = System.nanoTime() - poll.toNanos();
        while (!stopping) {
            try {
                // woken by this node's commits it dispatches the webhooks it knows; at each poll it
                // reads them again, for those other nodes registered
                boolean reread = System.nanoTime() - lastRead >= poll.toNanos();
                if (reread) {
                    lastRead = System.nanoTime();
                }
                webhooks.dispatchAll(reread);
            } catch (RuntimeException e) {
                LOG.warn("dispatching webhook changes failed; trying again: {}", e.getMessage());
            }
            LockSupport.parkNanos(poll.toNanos());
        }
    }

    private void claimLoop() {
        long failures = 0;
        while (!stopping) {
            try {
                slots.acquire();
                int free = 1 + slots.drainPermits();
                List<WebhookDelivery> claimed;
                try {
                    claimed = webhooks.claim(free);
                } catch (RuntimeException e) {
                    slots.release(free);
                    failures++;
                    LOG.warn("claiming webhook deliveries failed; trying again: {}", e.getMessage());
                    LockSupport.parkNanos(Math.min(30_000, poll.toMillis() * failures) * 1_000_000L);
                    continue;
                }
                failures = 0;
                slots.release(free - claimed.size());
                for (var delivery : claimed) {
                    Thread.ofVirtual().name("webhook-delivery-" + delivery.id()).start(() -> {
                        try {
                            webhooks.attempt(delivery);
                        } catch (RuntimeException e) {
                            LOG.warn("recording the outcome of webhook delivery {} failed; its lease ends and it is attempted again: {}",
                                    delivery.id(), e.getMessage());
                        } finally {
                            slots.release();
                            LockSupport.unpark(claimer);
                        }
                    });
                }
                if (claimed.size() < free) {
                    LockSupport.parkNanos(poll.toNanos());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops dispatching and claiming, and waits up to {@code grace} for attempts under way. */
    public void stop(Duration grace) {
        stopping = true;
        dispatcher.interrupt();
        claimer.interrupt();
        LockSupport.unpark(dispatcher);
        try {
            claimer.join(5_000);
            dispatcher.join(5_000);
            if (slots.tryAcquire(concurrency, grace.toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(concurrency);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}

package io.dossier.api.http;

import io.dossier.core.Failure;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many bytes of request bodies a node holds in memory at once. A body read whole (JSON-RPC,
 * XML-RPC, admin JSON, token forms) takes its size from the budget while it is read and gives it
 * back when its request ends, so many large bodies at once wait their turn instead of running the
 * heap out (64 × 9 MB of JSON-RPC did with a 256 MB heap). A body that cannot get its share within
 * the wait is refused as {@code UNAVAILABLE} (503, retry later). Streamed uploads do not count.
 */
public final class BodyBudget {

    /** A quarter of the heap: parsed trees of what is held take a few times its size again. */
    public static final BodyBudget NODE = new BodyBudget(Runtime.getRuntime().maxMemory() / 4, 10_000);

    private final Semaphore bytes;
    private final int capacity;
    private final long waitMillis;

    BodyBudget(long capacityBytes, long waitMillis) {
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, capacityBytes));
        this.bytes = new Semaphore(capacity);
        this.waitMillis = waitMillis;
    }

    /** Takes {@code count} bytes (at most the whole budget), waiting for them if need be. */
    int take(int count) {
        int share = Math.min(count, capacity);
        try {
            if (!bytes.tryAcquire(share, waitMillis, TimeUnit.MILLISECONDS)) {
                throw Failure.unavailable("the server holds as many request bodies as it can; try again shortly", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.unavailable("interrupted while waiting to read the request body", e);
        }
        return share;
    }

    void give(int count) {
        if (count > 0) {
            bytes.release(count);
        }
    }

    int available() {
        return bytes.availablePermits();
    }
}

package io.dossier.core.content;

import io.dossier.core.Failure;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many bytes of one kind a node holds in memory at once. Request content read whole (JSON-RPC,
 * XML-RPC, admin JSON, token forms) takes its size from {@link #NODE} while it is read and gives it
 * back when its request ends, so many large bodies at once wait their turn instead of running the
 * heap out (64 × 9 MB of JSON-RPC did with a 256 MB heap); what cannot get its share within the
 * wait is refused as {@code UNAVAILABLE} (503, retry later). Others have budgets of their own: a
 * blob store that gathers uploads' parts in memory (S3: up to 8 MiB an upload), which never waits
 * for it ({@link #tryTake}) because a slow client's upload holds its share for as long as it sends,
 * and downloads' heap read buffers beyond their direct ones. A streamed upload's fixed buffers do
 * not count: the HTTP layer bounds how many uploads are in flight.
 */
public final class MemoryBudget {

    /** A quarter of the heap: parsed trees of what is held take a few times its size again. */
    public static final MemoryBudget NODE = new MemoryBudget(Runtime.getRuntime().maxMemory() / 4, 10_000);

    private final Semaphore bytes;
    private final int capacity;
    private final long waitMillis;

    /** @param waitMillis how long a {@link #take} waits for its share before it is refused */
    public MemoryBudget(long capacityBytes, long waitMillis) {
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, capacityBytes));
        this.bytes = new Semaphore(capacity);
        this.waitMillis = waitMillis;
    }

    /** Takes {@code count} bytes (at most the whole budget), waiting for them if need be. */
    public int take(int count) {
        int share = Math.min(count, capacity);
        try {
            if (!bytes.tryAcquire(share, waitMillis, TimeUnit.MILLISECONDS)) {
                throw Failure.unavailable("the server holds as much in memory as it can for now; try again shortly", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.unavailable("interrupted while waiting for memory", e);
        }
        return share;
    }

    /** Takes {@code count} bytes if they are free now, without waiting; whether it took them. */
    public boolean tryTake(int count) {
        return count <= capacity && bytes.tryAcquire(count);
    }

    /** Gives back bytes {@link #take} or {@link #tryTake} took. */
    public void give(int count) {
        if (count > 0) {
            bytes.release(count);
        }
    }

    /** The bytes free now. */
    public int available() {
        return bytes.availablePermits();
    }
}

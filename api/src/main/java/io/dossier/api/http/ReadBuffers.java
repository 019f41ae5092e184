package io.dossier.api.http;

import io.dossier.core.ComputeTurn;
import io.dossier.core.content.MemoryBudget;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The buffers downloads read a local blob through. A download holds its buffer for as long as its
 * client takes to read what was written from it, so a slow reader holds one for minutes. At most
 * {@code direct} direct buffers of {@code size} bytes exist, made when first needed and kept; a
 * download that finds none free reads through a heap buffer of one chunk instead, taken from a
 * memory budget; only when that too is spent does it wait, having given its turn to compute back
 * (and after the budget's wait it is refused as unavailable, before a byte is sent).
 *
 * <p>Why: each download allocated a 256 KiB direct buffer beyond a pool of 32 it kept, and 600 clients
 * reading a 20 MB file slowly ran the node's 64 MiB of direct memory out: 20 downloads answered 500
 * ({@code OutOfMemoryError}) and, while allocations waited for the collector to free memory, 350 more
 * waited out their turn and got 503.
 */
final class ReadBuffers {

    private final int size;
    private final Semaphore made;
    private final ArrayBlockingQueue<ByteBuffer> free;
    private final MemoryBudget heap;

    ReadBuffers(int size, int direct, MemoryBudget heap) {
        this.size = size;
        this.made = new Semaphore(direct);
        this.free = new ArrayBlockingQueue<>(direct);
        this.heap = heap;
    }

    /** A direct buffer of the pool's size, or null when as many as it may have are in use. */
    ByteBuffer tryDirect() {
        var kept = free.poll();
        if (kept != null) {
            return kept.clear();
        }
        return made.tryAcquire() ? ByteBuffer.allocateDirect(size) : null;
    }

    /** A direct buffer if one is free, else a heap buffer of {@code fallback} bytes within the budget (waiting for it if need be). */
    ByteBuffer take(int fallback) {
        var direct = tryDirect();
        if (direct != null) {
            return direct;
        }
        if (!heap.tryTake(fallback)) {
            // a wait for other downloads' clients: the request gives its turn to compute to the next in line
            ComputeTurn.giveBackToWait();
            heap.take(fallback);
        }
        return ByteBuffer.allocate(fallback);
    }

    /** Gives back what {@link #take} or {@link #tryDirect} gave. */
    void give(ByteBuffer buffer) {
        if (buffer.isDirect()) {
            free.offer(buffer);   // one place for each buffer made: never full
        } else {
            heap.give(buffer.capacity());
        }
    }
}

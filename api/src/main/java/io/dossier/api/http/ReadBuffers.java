package io.dossier.api.http;

import io.dossier.core.ComputeTurn;
import io.dossier.core.Failure;
import io.dossier.core.content.DirectBufferPool;
import io.dossier.core.content.MemoryBudget;
import java.nio.ByteBuffer;

/**
 * The buffers downloads read a local blob through. A download holds its buffer for as long as its
 * client takes to read what was written from it, so a slow reader holds one for minutes. At most
 * {@code direct} direct buffers of {@code size} bytes exist ({@link DirectBufferPool}); a
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

    private final DirectBufferPool direct;
    private final MemoryBudget heap;

    ReadBuffers(int size, int direct, MemoryBudget heap) {
        this.direct = new DirectBufferPool(size, direct);
        this.heap = heap;
    }

    /** A direct buffer of the pool's size, or null when as many as it may have are in use. */
    ByteBuffer tryDirect() {
        return direct.tryTake();
    }

    /**
     * A direct buffer if one is free, else a heap buffer of exactly {@code fallback} bytes within
     * the budget (waiting for it if need be; refused as unavailable if the whole budget is less:
     * a download reads whole chunks, so a smaller buffer would not do).
     */
    ByteBuffer take(int fallback) {
        var buffer = tryDirect();
        if (buffer != null) {
            return buffer;
        }
        if (!heap.tryTake(fallback)) {
            // a wait for other downloads' clients: the request gives its turn to compute to the next in line
            ComputeTurn.giveBackToWait();
            int share = heap.take(fallback);
            if (share < fallback) {
                heap.give(share);
                throw Failure.unavailable("a download's read buffer is larger than the memory the server keeps for them", null);
            }
        }
        return ByteBuffer.allocate(fallback);   // its capacity is the share taken, given back by give
    }

    /** Gives back what {@link #take} or {@link #tryDirect} gave. */
    void give(ByteBuffer buffer) {
        if (buffer.isDirect()) {
            direct.give(buffer);
        } else {
            heap.give(buffer.capacity());
        }
    }
}

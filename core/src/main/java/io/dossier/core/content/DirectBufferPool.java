package io.dossier.core.content;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Direct buffers of one size, at most {@code most} of them, made when first needed and kept for
 * the next user; a taker that finds them all in use gets none, never waits, and goes its slower
 * way (the blob store writes through the page cache, a download reads through the heap).
 *
 * <p>Why a bound: a direct buffer is held for as long as its client sends or reads, so hundreds of
 * slow clients would take more direct memory than the node has, and beyond it every allocation
 * fails ({@code OutOfMemoryError}: 600 slow downloads answered 20 of their number 500). Why no
 * waiting: 40 uploads trickling at 10 KB/s held every buffer, and a fast client's 2 MB upload
 * waited with them for over two minutes. Why kept: allocating a zeroed direct buffer with a
 * cleaner for every use was 7% of a ranged download's handler time. Heap arrays have
 * {@link BufferPool}.
 */
public final class DirectBufferPool {

    private final int bytes;
    private final Semaphore permits;
    private final ArrayBlockingQueue<ByteBuffer> free;

    public DirectBufferPool(int bytes, int most) {
        if (bytes < 1 || most < 1) {
            throw new IllegalArgumentException("bytes and most must be positive: " + bytes + ", " + most);
        }
        this.bytes = bytes;
        this.permits = new Semaphore(most);
        this.free = new ArrayBlockingQueue<>(most);
    }

    /** A buffer, or null when as many as the pool may have are in use. */
    public ByteBuffer tryTake() {
        var taken = tryTake(1, 1);
        return taken == null ? null : taken[0];
    }

    /**
     * {@code count} buffers whose first byte's address is a multiple of {@code alignment} (a power
     * of two: a file system's block for {@code O_DIRECT}), taken at once, or null when that many are
     * not free now. At once: two takers that each held one while hoping for a second could starve
     * each other.
     */
    public ByteBuffer[] tryTake(int alignment, int count) {
        if (!permits.tryAcquire(count)) {
            return null;
        }
        var taken = new ByteBuffer[count];
        try {
            for (int i = 0; i < count; i++) {
                taken[i] = made(alignment);
            }
        } catch (OutOfMemoryError e) {
            for (var buffer : taken) {
                if (buffer != null) {
                    free.offer(buffer);
                }
            }
            permits.release(count);   // the permits of buffers that were never made, and of those given back
            throw e;
        }
        return taken;
    }

    private ByteBuffer made(int alignment) {
        var kept = free.poll();
        if (kept != null && kept.alignmentOffset(0, alignment) == 0) {
            return kept.clear();
        }
        // a kept buffer of another alignment is dropped: its permit is this one's
        if (alignment <= 1) {
            return ByteBuffer.allocateDirect(bytes);
        }
        // alignedSlice also cuts the end down to a multiple of the alignment: room for whole units past the start
        int units = (bytes + alignment - 1) / alignment;
        return ByteBuffer.allocateDirect((units + 1) * alignment).alignedSlice(alignment).limit(bytes).slice();
    }

    /** Gives back a buffer {@link #tryTake} gave, once nothing reads or writes it any more. */
    public void give(ByteBuffer buffer) {
        free.offer(buffer);   // never full: one place for each permit
        permits.release();
    }
}

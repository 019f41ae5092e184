package io.dossier.core.content;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Byte arrays of one size for the copies every upload makes (its multipart body read through one,
 * its blob written through another), kept for the next upload instead of allocated anew: under 16
 * clients uploading 100 KB files and attaching them, those two 64 KB arrays were 128 of the about
 * 580 KB the server allocated an operation (async-profiler).
 * At most {@code kept} arrays wait here; more in use at once are allocated and dropped as before.
 *
 * <p>An array must be given back only by the code that took it, once nothing reads or writes it
 * any more: the next taker overwrites it. A bounded queue is all this needs; a general pool
 * library (Commons Pool) would add object lifecycles and eviction that arrays do not have.
 */
public final class BufferPool {

    private final int size;
    private final ArrayBlockingQueue<byte[]> free;

    public BufferPool(int size, int kept) {
        if (size < 1 || kept < 1) {
            throw new IllegalArgumentException("size and kept must be positive: " + size + ", " + kept);
        }
        this.size = size;
        this.free = new ArrayBlockingQueue<>(kept);
    }

    /** An array of the pool's size, with whatever its last user left in it. */
    public byte[] take() {
        var array = free.poll();
        return array != null ? array : new byte[size];
    }

    /** Gives back an array {@link #take()} gave; one of another size is dropped. */
    public void give(byte[] array) {
        if (array != null && array.length == size) {
            free.offer(array);
        }
    }
}

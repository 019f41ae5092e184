package io.dossier.store.blob;

import io.dossier.core.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The rest of a big blob's bytes, read on the caller's thread while a thread of its own hashes and
 * writes the buffers read before: for a 256 MiB OWS upload to the folder store, the kernel's write
 * was half of the request's CPU and reading with hashing most of the rest, one after the other.
 * The SHA-256 is the writer's, not the reader's: on a machine whose disk takes 1.8 GB/s, reading
 * (Jetty and the multipart scan) with hashing was the slower side, 75% of a 1 GiB OWS upload's
 * samples against the writer's 16%, and a third thread for hashing alone gained nothing more.
 * {@link #BUFFERS} buffers of {@link #BUFFER_BYTES} go round between the two, so at most that much is
 * read ahead of the disk. The caller forces the channel once this returns: every byte read has
 * been hashed and written by then. A failed read stops the writer after the buffers already read;
 * a failed write stops the reading at its next buffer and is thrown here.
 *
 * <p>Every {@link #FLUSH_BYTES} written, the writer also has what it wrote so far flushed
 * ({@link Flush}), on a third thread while it goes on writing: the disk writes while the rest
 * arrives, and the caller's final force finds only the tail left (it took 0.4-0.8 s a 256 MiB
 * upload after the last byte arrived). A failed flush fails the copy as a failed write does. A
 * store that writes past the page cache has nothing to flush: it passes none ({@code null}), and no
 * flushing thread is started.
 */
final class WriteBehind {

    static final int BUFFERS = 4;
    static final int BUFFER_BYTES = 256 * 1024;
    /**
     * Write-behinds under way at once, each with {@link #BUFFERS} buffers of {@link #BUFFER_BYTES}
     * (1 MiB of heap) for as long as its blob takes, a slow client's too: 16 MiB in all. Without a
     * bound, the uploads a node lets in at once (204 on the launcher's heap) could take 204 MiB.
     */
    static final int AT_ONCE = 16;
    private static final Semaphore UNDER_WAY = new Semaphore(AT_ONCE);
    static final long FLUSH_BYTES = 8L * 1024 * 1024;

    /** Makes what was written so far durable, while writing goes on (the final force still follows). */
    @FunctionalInterface
    interface Flush {
        void force() throws IOException;
    }

    private WriteBehind() {
    }

    /**
     * Whether a write-behind may start now; if so, {@link #finished} must follow once its
     * {@link #copy} returns. A blob that may not is written on its caller's thread, as its first MiB was.
     */
    static boolean tryStart() {
        return UNDER_WAY.tryAcquire();
    }

    static void finished() {
        UNDER_WAY.release();
    }

    /** A buffer read, or the end ({@code length} -1). */
    private record Filled(byte[] bytes, int length) {
    }

    private static final Filled END = new Filled(new byte[0], -1);

    /**
     * How many bytes of {@code buffer}, holding {@code length} read, to write to a channel that takes
     * only whole blocks of {@code block} bytes (0: any length): {@code length} rounded up, with
     * zeros after the bytes read. Only the last buffer of a blob is ever partly filled; its writer
     * cuts the file back to the blob's size.
     */
    static int padded(byte[] buffer, int length, int block) {
        if (block == 0 || length % block == 0) {
            return length;
        }
        int padded = Math.min(buffer.length, (length / block + 1) * block);
        java.util.Arrays.fill(buffer, length, padded, (byte) 0);
        return padded;
    }

    /**
     * Copies what is left of {@code in} through {@code copy} to {@code out}, in writes of whole
     * blocks of {@code block} bytes when it is not 0 (see {@link #padded}); {@code flush} null: nothing to flush.
     */
    static void copy(HashingCopy copy, InputStream in, WritableByteChannel out, int block, Flush flush) throws IOException {
        var free = new ArrayBlockingQueue<byte[]>(BUFFERS);
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[BUFFER_BYTES]);
        }
        var full = new ArrayBlockingQueue<Filled>(BUFFERS + 1);   // every buffer and the end: a put never waits
        var writer = new Writer(copy, out, block, flush, full, free);
        var thread = Thread.ofVirtual().name("blob-write-behind").start(writer);
        try {
            while (writer.failure == null) {
                var buffer = take(free);
                int n = copy.fillUnhashed(in, buffer, 0);
                if (n > 0) {
                    full.add(new Filled(buffer, n));
                }
                if (n < buffer.length) {
                    break;
                }
            }
        } finally {
            full.add(END);
            Threads.joinUninterruptibly(thread);
        }
        Threads.rethrow(writer.failure);
    }

    /** Hashes and writes each buffer in the order read, hands it back, and after a failure only hands them back. */
    private static final class Writer implements Runnable {
        private final HashingCopy copy;
        private final WritableByteChannel out;
        private final int block;
        private final Flush flush;
        private final BlockingQueue<Filled> full;
        private final BlockingQueue<byte[]> free;
        private long unflushed;
        private Thread flushing;
        volatile Throwable failure;

        Writer(HashingCopy copy, WritableByteChannel out, int block, Flush flush, BlockingQueue<Filled> full, BlockingQueue<byte[]> free) {
            this.copy = copy;
            this.out = out;
            this.block = block;
            this.flush = flush;
            this.full = full;
            this.free = free;
        }

        @Override
        public void run() {
            while (true) {
                Filled filled;
                try {
                    filled = full.take();
                } catch (InterruptedException e) {
                    failure = e;   // nothing interrupts it but its JVM going down; it still hands back what comes
                    continue;
                }
                if (filled == END) {
                    if (flushing != null) {
                        Threads.joinUninterruptibly(flushing);
                    }
                    return;
                }
                if (failure == null) {
                    try {
                        copy.hash(filled.bytes(), 0, filled.length());
                        var bytes = ByteBuffer.wrap(filled.bytes(), 0, padded(filled.bytes(), filled.length(), block));
                        while (bytes.hasRemaining()) {
                            out.write(bytes);
                        }
                        unflushed += filled.length();
                        if (flush != null && unflushed >= FLUSH_BYTES && (flushing == null || !flushing.isAlive())) {
                            unflushed = 0;
                            flushing = Thread.ofVirtual().name("blob-flush").start(this::flush);
                        }
                    } catch (Throwable t) {
                        failure = t;
                    }
                }
                free.add(filled.bytes());
            }
        }

        private void flush() {
            try {
                flush.force();
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private static byte[] take(BlockingQueue<byte[]> free) throws InterruptedIOException {
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing a blob");
        }
    }
}

package io.dossier.store.blob;

import io.dossier.core.content.MemoryBudget;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One part of an upload to S3 as it is read from its client, a part at a time: in memory, in a
 * buffer that starts small and doubles while content keeps coming (so a small blob stays cheap),
 * for as long as a {@link MemoryBudget} has room for the growth; once it has not, in a temp file,
 * which the part's bytes are read back from when they are sent.
 *
 * <p>Why a file rather than waiting for memory: a part is gathered while its client sends, and a
 * slow client's takes as long as it sends. Waiting for memory that slow clients hold kept every
 * other upload waiting with them; taken without a bound, 8 MiB an upload, about 30 uploads at once
 * ran the launcher's 256 MB heap out.
 *
 * <p>The file is unlinked as soon as it is made (where the system allows; else it is deleted when
 * closed), so a process killed mid-upload leaves nothing behind.
 */
final class PartBuffer implements Closeable {

    private final MemoryBudget budget;
    private final int partBytes;
    private final Path spoolFolder;
    private final int firstBytes;
    /** The part in memory, or, once spooled, the buffer it is read through. */
    private byte[] memory;
    /** What this buffer took from the budget. */
    private int held;
    private FileChannel spool;
    private int length;

    /**
     * @param firstBytes the buffer's size at first, which divides {@code partBytes}; taken outside the budget
     * @param partBytes  the size of every part but the last
     */
    PartBuffer(MemoryBudget budget, int firstBytes, int partBytes, Path spoolFolder) {
        if (firstBytes <= 0 || partBytes % firstBytes != 0) {
            throw new IllegalArgumentException("the first buffer must divide the part: " + firstBytes + ", " + partBytes);
        }
        this.budget = budget;
        this.partBytes = partBytes;
        this.spoolFolder = spoolFolder;
        this.firstBytes = firstBytes;
        this.memory = new byte[firstBytes];
    }

    /**
     * Reads the next part from {@code in} through {@code copy} (hashing it), in place of the one
     * before, and returns its length: {@code partBytes} unless the content ended in it.
     */
    int fill(HashingCopy copy, InputStream in) throws IOException {
        if (spool == null) {
            length = copy.fill(in, memory, 0);
            while (length == memory.length && memory.length < partBytes) {
                int larger = Math.min(partBytes, memory.length * 2);
                if (!budget.tryTake(larger - memory.length)) {
                    spill();
                    return length = fillSpool(copy, in, length);
                }
                held += larger - memory.length;
                memory = Arrays.copyOf(memory, larger);
                length = copy.fill(in, memory, length);
            }
            return length;
        }
        spool.truncate(0);
        return length = fillSpool(copy, in, 0);
    }

    /** Whether the part is in a file rather than in memory. */
    boolean spooled() {
        return spool != null;
    }

    /** The part's bytes, from their start each time it is called (a retried request reads them again). */
    InputStream open() {
        if (spool == null) {
            return new java.io.ByteArrayInputStream(memory, 0, length);
        }
        return new SpoolStream(spool, length);
    }

    int length() {
        return length;
    }

    /** Moves what memory holds to a new file, gives the memory's growth back, and reads on through a first-size buffer. */
    private void spill() throws IOException {
        var file = Files.createTempFile(spoolFolder, "dossier-s3-part-", ".tmp");
        spool = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        try {
            Files.delete(file);   // the open channel keeps it; a killed process leaves nothing
        } catch (IOException notWhileOpen) {
            // Windows: deleted on close instead
        }
        write(memory, 0, length, 0);
        memory = new byte[firstBytes];
        budget.give(held);
        held = 0;
    }

    private int fillSpool(HashingCopy copy, InputStream in, int filled) throws IOException {
        while (filled < partBytes) {
            int want = Math.min(memory.length, partBytes - filled);
            int from = memory.length - want;   // fill reads up to the buffer's end
            int n = copy.fill(in, memory, from) - from;
            write(memory, from, n, filled);
            filled += n;
            if (n < want) {
                break;
            }
        }
        return filled;
    }

    private void write(byte[] bytes, int offset, int count, long at) throws IOException {
        var buffer = ByteBuffer.wrap(bytes, offset, count);
        while (buffer.hasRemaining()) {
            at += spool.write(buffer, at);
        }
    }

    @Override
    public void close() throws IOException {
        budget.give(held);
        held = 0;
        if (spool != null) {
            spool.close();
        }
    }

    /** A spooled part read from its start, by position, so that each reader has its own. */
    private static final class SpoolStream extends InputStream {
        private final FileChannel channel;
        private final long length;
        private long at;

        SpoolStream(FileChannel channel, long length) {
            this.channel = channel;
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (at >= length) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, length - at)), at);
            if (n < 0) {
                return -1;
            }
            at += n;
            return n;
        }
    }
}

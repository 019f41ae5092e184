package io.dossier.core.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * CRC32C sums of a blob's fixed-size chunks ({@link #CHUNK_BYTES}), computed while the blob is
 * written and kept with it, so that every read — whole or ranged — checks the chunks it sends
 * without re-hashing the whole blob (the SHA-256 stays the content hash: ETag, duplicates, scrub).
 * CRC32C is hardware-accelerated in the JDK, so checking costs a read a few percent at most.
 *
 * <p>Encoded as {@code "DCS2"}, the blob size (8 bytes), the chunk size (4 bytes), one 4-byte sum
 * per chunk and a CRC32C of all that and of the blob's id, big-endian: 64 KiB per GiB of blob. The
 * last sum lets a store keep the sums without forcing them to disk: sums a crash cut short, or left
 * holding what a disk block held before (another blob's sums, even of the same size), never decode
 * for this blob, and are computed again from it, checked against its SHA-256. {@code "DCS1"}, written
 * before, has no last sum (those were forced).
 */
public final class ChunkSums {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChunkSums.class);

    /** 64 KiB: a ranged read fetches at most one chunk more on each side than it sends. */
    public static final int CHUNK_BYTES = 64 * 1024;

    private static final int MAGIC_UNCHECKED = 0x44435331;   // "DCS1"
    private static final int MAGIC = 0x44435332;   // "DCS2"
    private static final int HEADER_BYTES = 16;
    private static final int CHECK_BYTES = 4;

    private final long size;
    private final int chunkBytes;
    private final int[] sums;

    private ChunkSums(long size, int chunkBytes, int[] sums) {
        this.size = size;
        this.chunkBytes = chunkBytes;
        this.sums = sums;
    }

    /** The blob's size in bytes. */
    public long size() {
        return size;
    }

    public int chunkBytes() {
        return chunkBytes;
    }

    /** The first byte of the chunk that holds {@code offset}. */
    public long chunkStart(long offset) {
        return offset / chunkBytes * chunkBytes;
    }

    /** Whether {@code length} bytes of {@code chunk} (its whole length) in {@code buffer} have its recorded sum. */
    public boolean matches(long chunk, byte[] buffer, int offset, int length) {
        var crc = new CRC32C();
        crc.update(buffer, offset, length);
        return length == chunkLength(chunk) && (int) crc.getValue() == sums[Math.toIntExact(chunk)];
    }

    /** The same for a chunk held in a (direct) buffer, between its position and limit; the position is not moved. */
    public boolean matches(long chunk, ByteBuffer buffer) {
        var crc = new CRC32C();
        int length = buffer.remaining();
        crc.update(buffer.duplicate());
        return length == chunkLength(chunk) && (int) crc.getValue() == sums[Math.toIntExact(chunk)];
    }

    /** How many bytes chunk {@code chunk} has: {@link #chunkBytes} except for the last. */
    public int chunkLength(long chunk) {
        return (int) Math.min(chunkBytes, size - chunk * chunkBytes);
    }

    /** The record of the sums of blob {@code blobId}, which {@link #decode} reads back for that blob only. */
    public byte[] encode(String blobId) {
        var out = ByteBuffer.allocate(HEADER_BYTES + 4 * sums.length + CHECK_BYTES).order(ByteOrder.BIG_ENDIAN);
        out.putInt(MAGIC).putLong(size).putInt(chunkBytes);
        for (int sum : sums) {
            out.putInt(sum);
        }
        out.putInt(check(out.array(), out.position(), blobId));
        return out.array();
    }

    private static int check(byte[] bytes, int length, String blobId) {
        var crc = new CRC32C();
        crc.update(bytes, 0, length);
        crc.update(blobId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /**
     * Reads what {@link #encode} wrote for blob {@code blobId}.
     *
     * @throws IOException when the bytes are not chunk sums of that blob or do not add up (the sums themselves damaged)
     */
    public static ChunkSums decode(byte[] bytes, String blobId) throws IOException {
        if (bytes.length < HEADER_BYTES) {
            throw new IOException("chunk sums: " + bytes.length + " bytes, too short");
        }
        var in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int magic = in.getInt();
        int sumBytes = bytes.length - HEADER_BYTES - (magic == MAGIC ? CHECK_BYTES : 0);
        long size;
        int chunkBytes;
        if ((magic != MAGIC && magic != MAGIC_UNCHECKED) || sumBytes < 0
                || (size = in.getLong()) < 0 || (chunkBytes = in.getInt()) <= 0
                || sumBytes % 4 != 0 || sumBytes / 4 != chunks(size, chunkBytes)) {
            throw new IOException("chunk sums: not a valid record");
        }
        if (magic == MAGIC && check(bytes, bytes.length - CHECK_BYTES, blobId) != in.getInt(bytes.length - CHECK_BYTES)) {
            throw new IOException("chunk sums: their own check fails for blob " + blobId);
        }
        var sums = new int[sumBytes / 4];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = in.getInt();
        }
        return new ChunkSums(size, chunkBytes, sums);
    }

    /**
     * What a store read as blob {@code blobId}'s sums, or empty when they do not {@link #decode} for it
     * (logged): a crash cut them short, a reused disk block left another blob's, or they were damaged
     * since. The blob itself may be whole: its sums are then computed again from it, checked against
     * its SHA-256 ({@code ContentService.chunkSums}).
     */
    public static java.util.Optional<ChunkSums> decodeIfValid(byte[] bytes, String blobId) {
        try {
            return java.util.Optional.of(decode(bytes, blobId));
        } catch (IOException e) {
            LOG.warn("the chunk sums of blob {} do not check ({}): they will be computed again from the blob", blobId, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private static long chunks(long size, int chunkBytes) {
        return (size + chunkBytes - 1) / chunkBytes;
    }

    /**
     * Verifies {@code range} of the blob as it is read. {@code aligned} must yield the blob from
     * {@link #chunkStart}{@code (range.offset())} on: each chunk is read whole and checked before any
     * of its bytes are handed over. The first chunk is read and checked here, so a damaged blob
     * found at the start fails before a response is committed.
     *
     * @throws DamagedBlobException when a chunk does not match its sum (now, or later from read)
     */
    public InputStream verifying(InputStream aligned, String blobId, ByteRange.Resolved range) throws IOException {
        if (range.offset() + range.length() > size) {
            throw new IOException("range " + range.offset() + "+" + range.length() + " is outside blob " + blobId + " of " + size + " bytes");
        }
        return new Verifying(aligned, blobId, range);
    }

    /** Computes the sums of a blob as its bytes pass, in any pieces (no copy: one running CRC per chunk). */
    public static final class Builder {
        private final CRC32C crc = new CRC32C();
        private int filled;
        private long size;
        private int[] sums = new int[16];
        private int count;

        public void update(byte[] buffer, int offset, int length) {
            size += length;
            while (length > 0) {
                int n = Math.min(length, CHUNK_BYTES - filled);
                crc.update(buffer, offset, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == CHUNK_BYTES) {
                    flush();
                }
            }
        }

        private void flush() {
            if (count == sums.length) {
                sums = Arrays.copyOf(sums, count * 2);
            }
            sums[count++] = (int) crc.getValue();
            crc.reset();
            filled = 0;
        }

        public ChunkSums build() {
            if (filled > 0) {
                flush();
            }
            return new ChunkSums(size, CHUNK_BYTES, Arrays.copyOf(sums, count));
        }
    }

    /** Sums of everything {@code in} yields (for blobs stored before sums were kept). */
    public static ChunkSums of(InputStream in) throws IOException {
        var builder = new Builder();
        var buffer = new byte[CHUNK_BYTES];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            builder.update(buffer, 0, n);
        }
        return builder.build();
    }

    private final class Verifying extends InputStream {
        private final InputStream in;
        private final String blobId;
        private final byte[] buffer;
        private long chunk;          // the chunk in the buffer
        private int position;        // next byte of the buffer to hand over
        private int limit;           // end of what may be handed over from the buffer
        private long remaining;      // bytes of the range not yet loaded into the buffer's window

        Verifying(InputStream in, String blobId, ByteRange.Resolved range) throws IOException {
            this.in = in;
            this.blobId = blobId;
            this.buffer = new byte[(int) Math.min(chunkBytes, Math.max(size, 1))];
            this.remaining = range.length();
            this.chunk = range.offset() / chunkBytes;
            if (remaining > 0) {
                load((int) (range.offset() - chunk * chunkBytes));
            }
        }

        /** Reads chunk {@link #chunk} whole, checks it, and opens the window from {@code skip} on. */
        private void load(int skip) throws IOException {
            int length = chunkLength(chunk);
            int got = in.readNBytes(buffer, 0, length);
            if (got != length || !matches(chunk, buffer, 0, length)) {
                throw new DamagedBlobException(blobId, got != length
                        ? "blob " + blobId + " is shorter than recorded (chunk " + chunk + ": " + got + " of " + length + " bytes)"
                        : "blob " + blobId + " is damaged: chunk " + chunk + " (bytes from " + chunk * chunkBytes + ") fails its CRC32C");
            }
            position = skip;
            limit = (int) Math.min(length, skip + remaining);
            remaining -= limit - skip;
        }

        @Override
        public int read() throws IOException {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] out, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position == limit) {
                if (remaining == 0) {
                    return -1;
                }
                chunk++;
                load(0);
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, out, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return limit - position;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

package io.dossier.store.blob;

import io.dossier.core.Failure;
import io.dossier.core.content.ChunkSums;
import io.dossier.core.content.StoredBlob;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The reading half of every blob write: pulls bytes from the caller's stream, and on the way counts
 * them, keeps the first {@link #HEAD_BYTES} bytes for media type sniffing and enforces the size
 * limit; it computes the SHA-256 and chunk sums of what it read as it reads ({@link #fill}), or when
 * another thread hands the buffers back in the order read ({@link #fillUnhashed}, {@link #hash}).
 * It never asks {@code in} for more than one byte beyond the limit, so an oversized upload is
 * refused as soon as it crosses the line, not after it has been read to the end.
 */
final class HashingCopy {

    static final int HEAD_BYTES = 8 * 1024;

    private final long maxBytes;
    private final MessageDigest sha256;
    private final ChunkSums.Builder sums = new ChunkSums.Builder();
    private final byte[] head = new byte[HEAD_BYTES];
    private int headLength;
    private long size;

    HashingCopy(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Reads from {@code in} into {@code buffer} from index {@code filled} until the buffer is full or
     * {@code in} ends, hashes what it read, and returns how much of the buffer is filled: less than
     * {@code buffer.length} only at the end of {@code in}.
     *
     * @throws Failure {@code TOO_LARGE} as soon as more than {@code maxBytes} bytes have arrived
     */
    int fill(InputStream in, byte[] buffer, int filled) throws IOException {
        int from = filled;
        filled = fillUnhashed(in, buffer, filled);
        hash(buffer, from, filled - from);
        return filled;
    }

    /**
     * As {@link #fill}, but leaves the hashing to a {@link #hash} call, which may come on another
     * thread (the write-behind's writer) as long as the buffers are hashed in the order read.
     */
    int fillUnhashed(InputStream in, byte[] buffer, int filled) throws IOException {
        while (filled < buffer.length) {
            int n = read(in, buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    /** Adds bytes read by {@link #fillUnhashed} to the SHA-256 and the chunk sums, in the order read. */
    void hash(byte[] buffer, int offset, int length) {
        sha256.update(buffer, offset, length);
        sums.update(buffer, offset, length);
    }

    /** One read of at most {@code length} bytes into {@code buffer}; -1 at the end of {@code in}. */
    private int read(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        // Ask for at most one byte beyond the limit: enough to notice the excess, no more.
        long allowed = maxBytes - size;
        int n = in.read(buffer, offset, allowed >= length ? length : (int) allowed + 1);
        if (n <= 0) {
            return n == 0 ? 0 : -1;
        }
        size += n;
        if (size > maxBytes) {
            throw Failure.tooLarge("the content is larger than the limit of " + maxBytes + " bytes");
        }
        if (headLength < HEAD_BYTES) {
            int kept = Math.min(n, HEAD_BYTES - headLength);
            System.arraycopy(buffer, offset, head, headLength, kept);
            headLength += kept;
        }
        return n;
    }

    long size() {
        return size;
    }

    /** The chunk sums of everything read, once the whole stream has been read. */
    ChunkSums chunkSums() {
        return sums.build();
    }

    /** What was written, once the whole stream has been read and stored under {@code id}. */
    StoredBlob result(String id) {
        return new StoredBlob(id, HexFormat.of().formatHex(sha256.digest()), size, Arrays.copyOf(head, headLength));
    }
}

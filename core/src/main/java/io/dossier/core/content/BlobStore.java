package io.dossier.core.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Port: immutable blobs. A write streams its input once, computing the SHA-256, the size and the
 * {@link ChunkSums} on the way, and either stores the whole blob with its chunk sums or nothing.
 * Reads may ask for a byte range; they return the stored bytes as they are, and
 * {@link ContentService} checks them against the chunk sums.
 */
public interface BlobStore {

    /**
     * Stores everything {@code in} yields, at most {@code maxBytes} bytes. Over the limit it fails with
     * {@code Failure.tooLarge} and stores nothing; so does any I/O error while reading {@code in}.
     */
    StoredBlob write(InputStream in, long maxBytes) throws IOException;

    /** Opens {@code range} of the blob (see {@link ByteRange#resolve}), unchecked. */
    InputStream read(String blobId, ByteRange.Resolved range) throws IOException;

    /**
     * The chunk sums written with the blob; empty for a blob stored before sums were kept (or whose
     * sums were lost), which {@link ContentService} then computes once and {@link #putChunkSums puts}.
     *
     * @throws DamagedBlobException when the stored sums themselves are unreadable
     */
    Optional<ChunkSums> chunkSums(String blobId) throws IOException;

    /** Stores the chunk sums of an existing blob (computed after the fact), replacing any. */
    void putChunkSums(String blobId, ChunkSums sums) throws IOException;

    /** The blob's size, or empty when no such blob exists. */
    Optional<Long> size(String blobId) throws IOException;

    /** A local file holding the blob, when the store keeps one (for zero-copy serving). */
    default Optional<Path> localFile(String blobId) {
        return Optional.empty();
    }

    /**
     * Every stored blob with the time it was stored, streamed in no particular order (close the
     * stream). For the sweep that removes blobs no row references: what a crash between a blob
     * write and its row's commit leaves behind.
     */
    java.util.stream.Stream<Listed> list() throws IOException;

    /**
     * Removes what writes cut off before {@code startedBefore} left (temp files, unfinished
     * multipart uploads); returns how many. Writes in progress started later are not touched.
     */
    default int removeAbandonedWrites(java.time.Instant startedBefore) throws IOException {
        return 0;
    }

    /** A blob as {@link #list} reports it. */
    record Listed(String id, java.time.Instant storedAt) {
    }

    /** Removes the blob and its chunk sums; removing a missing blob is not an error. */
    void delete(String blobId) throws IOException;

    /** Whether the store can be reached now (for readiness). */
    boolean reachable();

    /** A short description for logs: "folder /var/dossier/blobs", "s3 bucket x at http://…". */
    String describe();
}

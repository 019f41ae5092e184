package io.dossier.core.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Port: immutable blobs. A write streams its input once, computing the SHA-256 and size on the way,
 * and either stores the whole blob or nothing. Reads may ask for a byte range.
 */
public interface BlobStore {

    /**
     * Stores everything {@code in} yields, at most {@code maxBytes} bytes. Over the limit it fails with
     * {@code Failure.tooLarge} and stores nothing; so does any I/O error while reading {@code in}.
     */
    StoredBlob write(InputStream in, long maxBytes) throws IOException;

    /** Opens {@code range} of the blob (see {@link ByteRange#resolve}). */
    InputStream read(String blobId, ByteRange.Resolved range) throws IOException;

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

    /** Removes the blob; removing a missing blob is not an error. */
    void delete(String blobId) throws IOException;

    /** Whether the store can be reached now (for readiness). */
    boolean reachable();

    /** A short description for logs: "folder /var/dossier/blobs", "s3 bucket x at http://…". */
    String describe();
}

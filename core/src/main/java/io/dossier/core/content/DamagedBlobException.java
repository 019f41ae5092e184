package io.dossier.core.content;

import java.io.IOException;

/**
 * A blob's bytes no longer match what was recorded when it was written (a chunk's CRC32C, or the
 * SHA-256): it is never served. Found before a byte went out, the dialect answers "unavailable";
 * later, the connection is cut.
 */
public final class DamagedBlobException extends IOException {

    private final String blobId;
    private final String foundBy;

    /** Found by a read. */
    public DamagedBlobException(String blobId, String message) {
        this(blobId, message, "read");
    }

    /** Found by {@code foundBy}: "read" or "scrub". */
    public DamagedBlobException(String blobId, String message, String foundBy) {
        super(message);
        this.blobId = blobId;
        this.foundBy = foundBy;
    }

    public String blobId() {
        return blobId;
    }

    public String foundBy() {
        return foundBy;
    }
}

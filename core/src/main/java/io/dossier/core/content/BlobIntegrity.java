package io.dossier.core.content;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: what is known of blobs' integrity — the blobs found damaged, and where the scrub's pass
 * over every file's blob has got to.
 */
public interface BlobIntegrity {

    /** A blob of a (not deleted) file, as the scrub checks it. */
    record Checked(String blobId, String sha256, long size) {
    }

    /** A damaged blob and the files that hold it. */
    record Damaged(String blobId, Instant firstFoundAt, Instant lastFoundAt, String foundBy, String reason, List<FileOf> files) {
    }

    /** A file of a tenant whose bytes are a damaged blob. */
    record FileOf(String tenant, String ouid, String name) {
    }

    /** Where the scrub has got to: after {@code afterBlobId} in blob id order, in the pass started at {@code passStartedAt}. */
    record Position(String afterBlobId, Instant passStartedAt, Optional<Instant> lastPassEndedAt) {
    }

    /** Records that {@code blobId} was found damaged (again); {@code foundBy} is "read" or "scrub". */
    void recordDamaged(String blobId, String foundBy, String reason, Instant at);

    /** The damaged blobs, most recently found first. */
    List<Damaged> damaged(int limit);

    /** The blobs of files not deleted, in blob id order after {@code afterBlobId}, one entry per blob. */
    List<Checked> filesAfter(String afterBlobId, int limit);

    /** The bytes of all files not deleted. */
    long totalBytes();

    /** The scrub's position, from the start of a first pass when none is stored. */
    Position position(Instant now);

    /** Stores the scrub's position; {@code passEndedAt} when a pass was just completed (the next starts from the first blob). */
    void savePosition(String afterBlobId, Instant passStartedAt, Instant passEndedAt);
}

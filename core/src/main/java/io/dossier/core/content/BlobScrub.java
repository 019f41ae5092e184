package io.dossier.core.content;

import io.dossier.core.Failure;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-checks the SHA-256 of every file's blob, a share at a time, so that damage in blobs nobody
 * reads is found too (reads check chunk sums as they go). Each run goes on from where the last one
 * stopped (the position is stored, so any node continues after a restart) and checks
 * {@code totalBytes × cadence / pass} bytes — with runs every {@code cadence}, every blob once per
 * {@code pass} — reading at most {@code maxBytesPerSecond} so that it takes only a share of the disk.
 * A blob that fails, or is missing, is reported like a damaged read.
 */
public final class BlobScrub {

    private static final Logger LOG = LoggerFactory.getLogger(BlobScrub.class);
    private static final int BATCH = 100;

    private final ContentService content;
    private final BlobIntegrity integrity;
    private final Clock clock;

    public BlobScrub(ContentService content, BlobIntegrity integrity, Clock clock) {
        this.content = content;
        this.integrity = integrity;
        this.clock = clock;
    }

    /** The blobs found damaged (by reads or by the scrub), most recently found first. */
    public java.util.List<BlobIntegrity.Damaged> damaged(int limit) {
        return integrity.damaged(limit);
    }

    /** Where the scrub's pass has got to. */
    public BlobIntegrity.Position position() {
        return integrity.position(clock.instant());
    }

    /** What one run did. */
    public record Result(int blobs, long bytes, int damaged, boolean passEnded) {
    }

    /** One run (see the class); checks at least one blob when there is any. */
    public Result run(Duration pass, Duration cadence, long maxBytesPerSecond) throws IOException {
        long total = integrity.totalBytes();
        long budget = Math.max(1, (long) Math.ceil((double) total * cadence.toMillis() / Math.max(1, pass.toMillis())));
        var position = integrity.position(clock.instant());
        var after = position.afterBlobId();
        var throttle = new Throttle(maxBytesPerSecond);
        int blobs = 0;
        int damaged = 0;
        long bytes = 0;
        while (bytes < budget) {
            var batch = integrity.filesAfter(after, BATCH);
            if (batch.isEmpty()) {
                integrity.savePosition("", clock.instant(), clock.instant());
                LOG.info("blob scrub: a pass over every blob ended ({} this run, {} bytes, {} damaged)", blobs, bytes, damaged);
                return new Result(blobs, bytes, damaged, true);
            }
            for (var blob : batch) {
                if (bytes >= budget) {
                    break;
                }
                if (!check(blob, throttle)) {
                    damaged++;
                }
                blobs++;
                bytes += Math.max(1, blob.size());
                after = blob.blobId();
            }
            integrity.savePosition(after, position.passStartedAt(), null);
        }
        return new Result(blobs, bytes, damaged, false);
    }

    /** Whether the blob's bytes still have its SHA-256; reports it when not. */
    boolean check(BlobIntegrity.Checked blob, Throttle throttle) throws IOException {
        var digest = sha256();
        long size = 0;
        try (var in = content.blobs().read(blob.blobId(), ByteRange.Resolved.whole(blob.size()))) {
            var buffer = new byte[ChunkSums.CHUNK_BYTES];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                size += n;
                throttle.passed(n);
            }
        } catch (Failure missing) {
            if (missing.kind() != Failure.Kind.NOT_FOUND && missing.kind() != Failure.Kind.INVALID) {
                throw missing;
            }
            content.reportDamaged(new DamagedBlobException(blob.blobId(), "blob " + blob.blobId() + " is missing or shorter than recorded: "
                    + missing.getMessage(), "scrub"));
            return false;
        }
        var actual = HexFormat.of().formatHex(digest.digest());
        if (size != blob.size() || !actual.equals(blob.sha256())) {
            content.reportDamaged(new DamagedBlobException(blob.blobId(), "blob " + blob.blobId() + " is damaged: SHA-256 " + actual + " over "
                    + size + " bytes, recorded " + blob.sha256() + " over " + blob.size(), "scrub"));
            return false;
        }
        return true;
    }

    /** Sleeps as needed to keep reading at or under a rate. */
    static final class Throttle {
        private final long bytesPerSecond;
        private final long started = System.nanoTime();
        private long bytes;

        Throttle(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
        }

        void passed(long n) {
            bytes += n;
            if (bytesPerSecond <= 0) {
                return;
            }
            long due = (long) (bytes * 1_000_000_000.0 / bytesPerSecond);
            long ahead = due - (System.nanoTime() - started);
            if (ahead > 1_000_000) {
                try {
                    Thread.sleep(Duration.ofNanos(ahead));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.dossier.core.content;

import io.dossier.core.Failure;
import io.dossier.core.change.ChangeFeed;
import io.dossier.core.change.EntityTypes;
import io.dossier.core.identity.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files over the blob store: uploads streamed straight to storage with the size checked on the
 * way, reads (whole or a byte range, every chunk checked against its CRC32C), and the collection of files nobody bound in
 * time or that were deleted — blobs go only after a grace period, so no reader loses one mid-read.
 */
public final class ContentService {

    private static final Logger LOG = LoggerFactory.getLogger(ContentService.class);

    private final BlobStore blobs;
    private final FileRepository files;
    private final Clock clock;
    private final Duration unboundTtl;
    private final Duration deleteGrace;
    private final ChangeFeed feed;
    /** Chunk sums of blobs read lately: they never change, so a hot file costs no extra read for them. */
    private final Cache<String, ChunkSums> sums = Caffeine.newBuilder()
            .maximumWeight(16L * 1024 * 1024).weigher((String id, ChunkSums s) -> 64 + 4 * (int) Math.min(Integer.MAX_VALUE / 8, (s.size() / s.chunkBytes() + 1)))
            .build();
    private volatile Consumer<DamagedBlobException> damagedBlobs = damaged -> LOG.error("damaged blob {}: {}", damaged.blobId(), damaged.getMessage());

    public ContentService(BlobStore blobs, FileRepository files, Clock clock,
                          Duration unboundTtl, Duration deleteGrace, ChangeFeed feed) {
        this.feed = feed;
        this.blobs = blobs;
        this.files = files;
        this.clock = clock;
        this.unboundTtl = unboundTtl;
        this.deleteGrace = deleteGrace;
    }

    /**
     * Streams {@code in} into a new file of the tenant. Over {@code maxBytes} it fails with
     * {@code TOO_LARGE} and nothing is stored; a broken stream stores nothing either.
     */
    public StoredFile upload(long tenantId, Long userId, String fileName, String declaredType, InputStream in, long maxBytes)
            throws IOException {
        return register(tenantId, userId, fileName, declaredType, store(in, maxBytes));
    }

    /**
     * Streams {@code in} into a blob that belongs to no one yet: for protocols that name the tenant
     * only after the file (an upload form with the session field last). Follow with
     * {@link #register} or {@link #discard}.
     */
    public StoredBlob store(InputStream in, long maxBytes) throws IOException {
        return blobs.write(in, maxBytes);
    }

    /** Makes a stored blob a file of the tenant, with its media type detected from its first bytes. */
    public StoredFile register(long tenantId, Long userId, String fileName, String declaredType, StoredBlob blob) throws IOException {
        var now = clock.instant();
        var file = newFile(tenantId, userId, fileName, declaredType, blob, now, now.plus(unboundTtl), StoredFile.State.UPLOADED);
        try {
            feed.run(() -> {
                files.insert(file);
                feed.created(tenantId, EntityTypes.FILE, file.ouid(), version(StoredFile.State.UPLOADED));
            });
        } catch (RuntimeException e) {
            blobs.delete(blob.id());
            throw e;
        }
        return file;
    }

    /**
     * Makes a stored blob a file of the tenant that is bound at once: for a request that uploads
     * and files a document together, so that the file and its document are written in one
     * transaction (one commit, no upload left to bind). Call it inside the write that binds it
     * ({@link ChangeFeed#write}), which records the file's change; the file's row is the caller's
     * to insert in that write, with what binds it ({@link io.dossier.core.document.DocumentRepository#insertWithFile}).
     * The caller {@linkplain #discard discards} the blob when that write is refused.
     */
    public StoredFile newBound(long tenantId, Long userId, String fileName, String declaredType, StoredBlob blob) {
        var file = newFile(tenantId, userId, fileName, declaredType, blob, clock.instant(), null, StoredFile.State.BOUND);
        feed.created(tenantId, EntityTypes.FILE, file.ouid(), version(StoredFile.State.BOUND));
        return file;
    }

    /** A new file of the blob, its name cleaned and its media type detected from its first bytes. */
    private static StoredFile newFile(long tenantId, Long userId, String fileName, String declaredType, StoredBlob blob,
                                      java.time.Instant at, java.time.Instant expiresAt, StoredFile.State state) {
        var name = FileNames.clean(fileName);
        return new StoredFile(Secrets.randomHex(16), tenantId, blob.id(), name, MediaTypes.detect(blob.head(), name, declaredType),
                blob.size(), blob.sha256(), userId, at, expiresAt, state);
    }

    /** Removes a stored blob that will not become a file. */
    public void discard(StoredBlob blob) {
        try {
            blobs.delete(blob.id());
        } catch (IOException e) {
            LOG.warn("could not delete discarded blob {}: {}", blob.id(), e.getMessage());
        }
    }

    /** The tenant's file; deleted files and other tenants' files are not found. */
    public StoredFile file(long tenantId, String ouid) {
        return files.find(tenantId, ouid == null ? "" : ouid)
                .filter(f -> f.state() != StoredFile.State.DELETED)
                .orElseThrow(() -> Failure.notFound("no file " + ouid));
    }

    /** The whole file, each chunk checked against its CRC32C as it is read. */
    public InputStream openWhole(StoredFile file) throws IOException {
        return openRange(file, ByteRange.Resolved.whole(file.size()));
    }

    /** A byte range of the file, checked the same way (the chunks at its edges are read whole to be checked). */
    public InputStream openRange(StoredFile file, ByteRange.Resolved range) throws IOException {
        return openBlob(file.blobId(), file.sha256(), range);
    }

    /**
     * A byte range of a blob whose SHA-256 is {@code sha256}, checked against its chunk sums.
     *
     * @throws DamagedBlobException when the first chunk read fails its check (later chunks throw from {@code read})
     */
    public InputStream openBlob(String blobId, String sha256, ByteRange.Resolved range) throws IOException {
        var sums = chunkSums(blobId, sha256);
        long start = sums.chunkStart(range.offset());
        long end = range.length() == 0 ? start : Math.min(sums.size(), sums.chunkStart(range.offset() + range.length() - 1) + sums.chunkBytes());
        var aligned = blobs.read(blobId, new ByteRange.Resolved(start, end - start));
        try {
            return new Reporting(sums.verifying(aligned, blobId, range));
        } catch (IOException e) {
            aligned.close();
            throw reported(e);
        } catch (RuntimeException e) {
            aligned.close();
            throw e;
        }
    }

    /**
     * The blob's chunk sums. A blob stored before sums were kept gets them here, once: it is read
     * whole, and its sums are stored only if its SHA-256 is still the one recorded at upload.
     */
    public ChunkSums chunkSums(String blobId, String sha256) throws IOException {
        var cached = sums.getIfPresent(blobId);
        if (cached != null) {
            return cached;
        }
        ChunkSums found;
        try {
            found = blobs.chunkSums(blobId).orElse(null);
            if (found == null) {
                found = computeChunkSums(blobId, sha256);
            }
        } catch (IOException e) {
            throw reported(e);
        }
        sums.put(blobId, found);
        return found;
    }

    private ChunkSums computeChunkSums(String blobId, String sha256) throws IOException {
        var size = blobs.size(blobId).orElseThrow(() -> Failure.notFound("no blob " + blobId));
        var digest = sha256();
        var builder = new ChunkSums.Builder();
        try (var in = blobs.read(blobId, ByteRange.Resolved.whole(size))) {
            var buffer = new byte[ChunkSums.CHUNK_BYTES];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                builder.update(buffer, 0, n);
            }
        }
        var actual = java.util.HexFormat.of().formatHex(digest.digest());
        if (sha256 != null && !actual.equals(sha256)) {
            throw new DamagedBlobException(blobId, "blob " + blobId + " is damaged: SHA-256 " + actual + ", recorded " + sha256);
        }
        var computed = builder.build();
        blobs.putChunkSums(blobId, computed);
        LOG.info("computed the chunk sums of blob {} ({} bytes), stored before sums were kept", blobId, size);
        return computed;
    }

    /** Logs a damaged blob (once per finding) and hands the exception back to be thrown. */
    private <E extends Throwable> E reported(E e) {
        if (e instanceof DamagedBlobException damaged) {
            damagedBlobs.accept(damaged);
        }
        return e;
    }

    /** Reports a chunk found damaged in mid-read, then lets the exception cut the read off. */
    private final class Reporting extends java.io.FilterInputStream {
        Reporting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw reported(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw reported(e);
            }
        }
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Binds an uploaded file (to a document, a delivery); refused when it is bound already or gone. */
    public StoredFile bind(long tenantId, String ouid) {
        return feed.write(() -> {
            var bound = files.bind(tenantId, ouid == null ? "" : ouid);
            if (bound.isEmpty()) {
                file(tenantId, ouid);   // NOT_FOUND when absent or deleted
                throw Failure.conflict("file " + ouid + " is already bound");
            }
            feed.updated(tenantId, EntityTypes.FILE, ouid, version(StoredFile.State.BOUND));
            return bound.get();
        });
    }

    /** Marks a file deleted; its blob is collected after the grace period. */
    public void delete(long tenantId, String ouid) {
        feed.run(() -> files.find(tenantId, ouid).filter(f -> f.state() != StoredFile.State.DELETED).ifPresent(file -> {
            if (files.markDeleted(tenantId, ouid, clock.instant())) {
                feed.deleted(tenantId, EntityTypes.FILE, ouid, version(file.state()));
            }
        }));
    }

    /**
     * A file's version in the change feed, from its state: its bytes and name never change, only
     * UPLOADED (1) → BOUND (2) → DELETED (a tombstone with the version it had).
     */
    static long version(StoredFile.State state) {
        return state == StoredFile.State.UPLOADED ? 1 : 2;
    }

    /** Collects expired uploads and deleted files, up to {@code limit}; returns how many. Safe on many nodes at once. */
    public int collect(int limit) {
        var now = clock.instant();
        // an upload nobody bound goes now: its tombstone goes with it (a deleted file has one already)
        var claimed = feed.write(() -> {
            var collected = files.claimCollectable(now, now.minus(deleteGrace), limit);
            collected.stream().filter(f -> f.state() == StoredFile.State.UPLOADED)
                    .forEach(f -> feed.deleted(f.tenantId(), EntityTypes.FILE, f.ouid(), version(f.state())));
            return collected;
        });
        for (var file : claimed) {
            try {
                blobs.delete(file.blobId());
            } catch (IOException e) {
                LOG.warn("could not delete blob {} of collected file {}: {}", file.blobId(), file.ouid(), e.getMessage());
            } catch (UncheckedIOException e) {
                LOG.warn("could not delete blob {}: {}", file.blobId(), e.getMessage());
            }
        }
        return claimed.size();
    }

    /**
     * Removes blobs that no row references and that were stored before {@code storedBefore}: what
     * a crash between a blob write and the commit of its row leaves behind. A blob is referenced
     * within moments of being written and its id is random, so one that is old and unreferenced
     * can never become referenced; the cutoff keeps writes in progress safe. Returns how many went.
     */
    public int collectOrphans(java.time.Instant storedBefore) throws IOException {
        int removed = 0;
        try (var listing = blobs.list()) {
            var batch = new java.util.ArrayList<String>(500);
            for (var iterator = listing.iterator(); iterator.hasNext(); ) {
                var blob = iterator.next();
                if (blob.storedAt().isBefore(storedBefore)) {
                    batch.add(blob.id());
                }
                if (batch.size() == 500 || !iterator.hasNext() && !batch.isEmpty()) {
                    removed += removeUnreferenced(batch);
                    batch.clear();
                }
            }
        }
        var abandoned = blobs.removeAbandonedWrites(storedBefore);
        if (removed > 0 || abandoned > 0) {
            LOG.info("removed {} blobs that no file or upload referenced and {} writes cut off", removed, abandoned);
        }
        return removed;
    }

    private int removeUnreferenced(java.util.List<String> blobIds) throws IOException {
        var referenced = files.referencedBlobs(blobIds);
        int removed = 0;
        for (var id : blobIds) {
            if (!referenced.contains(id)) {
                blobs.delete(id);
                removed++;
            }
        }
        return removed;
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** Adds {@code listener} to what happens when a damaged blob is found (it is always logged). */
    public void onDamagedBlob(Consumer<DamagedBlobException> listener) {
        var before = damagedBlobs;
        damagedBlobs = damaged -> {
            before.accept(damaged);
            listener.accept(damaged);
        };
    }

    /** Reports a damaged blob found outside a read (by the scrub, or a dialect's own zero-copy path). */
    public void reportDamaged(DamagedBlobException damaged) {
        damagedBlobs.accept(damaged);
    }
}

package io.dossier.store.blob;

import com.sun.nio.file.ExtendedOpenOption;
import io.dossier.core.DurableFiles;
import io.dossier.core.Failure;
import io.dossier.core.content.BlobStore;
import io.dossier.core.content.BufferPool;
import io.dossier.core.content.ByteRange;
import io.dossier.core.content.ChunkSums;
import io.dossier.core.content.StoredBlob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Blobs as files under a folder: {@code blobs/ab/cd/abcd…}, each with its chunk sums beside it in
 * {@code abcd….sums}. A write goes to a temp file in {@code tmp/}, is forced to disk and then moved
 * into place atomically, so a blob is either complete or absent; a write cut off by a crash leaves
 * only temp files, which {@link #sweepTemp()} removes at the next start (or, at worst, a sums file
 * without its blob: 64 KiB per GiB, never listed as a blob).
 *
 * <p>A new blob's sums are written beside it before it is moved into place, but not forced: they
 * can be computed again from the blob, whose SHA-256 the database holds, and they check themselves
 * ({@link ChunkSums#decode}), so sums a crash lost or cut short read as absent and are computed again
 * on the blob's next read ({@code ContentService.chunkSums}), which stores them forced. Forcing them
 * with every upload cost a file's fsync and a rename in each small upload.
 */
public final class FolderBlobStore implements BlobStore {

    private static final int BUFFER_BYTES = 64 * 1024;
    /** The first MiB's buffers of writes, used again by the next write rather than allocated for each (see {@link BufferPool}). */
    private static final BufferPool BUFFERS = new BufferPool(BUFFER_BYTES, 32);
    /** Where a blob's writing moves behind its reading ({@link WriteBehind}); small ones never get there. */
    private static final long WRITE_BEHIND_AFTER = 1024 * 1024;

    private final Path root;
    private final Path blobs;
    private final Path tmp;
    /** Whether this folder's file system can force folders, found when the store opens. */
    private final DurableFiles.Folders folders;
    /**
     * The block size to which blob writes bypass the page cache ({@code O_DIRECT}), or 0 when this
     * folder's file system cannot (see {@link #FolderBlobStore(Path, boolean)}).
     */
    private final int direct;
    private final ShardBits knownShards = new ShardBits(65_536);
    private final ShardBits knownFirstLevels = new ShardBits(256);
    /** One lock per first-level shard folder, held while a shard folder is made (see {@link #ensureShard}). */
    private final ReentrantLock[] shardLocks = java.util.stream.Stream.generate(ReentrantLock::new).limit(256)
            .toArray(ReentrantLock[]::new);

    /**
     * Opens (creating when needed) the store under {@code root} and removes what interrupted writes left.
     *
     * @throws IllegalStateException in one line when the folder cannot be used
     */
    public FolderBlobStore(Path root) {
        this(root, true);
    }

    /**
     * As {@link #FolderBlobStore(Path)}; with {@code directWrites} false, blobs are written through
     * the page cache even where the file system could take them directly.
     *
     * <p>Why direct: a blob is written once, forced to disk before it is acknowledged, and read
     * later if ever; through the page cache its bytes were copied there first, then written back
     * by the force. On a 2-core guest the kernel's copy into the page cache was 55% of a 1 GiB
     * upload's CPU and 9% of the small-file run's. Written directly, a 1 GiB OWS upload took 2.7 s
     * of the server's CPU against 5.0-5.6 s through the page cache (once the page cache had to
     * grow: the first two took the same), and 16 writers of 100 KB blobs stored 1.4 times as many
     * (bench/blobstore.sh). One writer of one big blob, with CPU to spare, is slower (0.76 of the
     * page cache's rate there: each write waits for the disk). Each write is a multiple of the
     * block size: the last block is filled with zeros and the file cut back to its size before
     * the force ({@link DirectChannel}).
     */
    public FolderBlobStore(Path root, boolean directWrites) {
        this.root = root.toAbsolutePath().normalize();
        this.blobs = this.root.resolve("blobs");
        this.tmp = this.root.resolve("tmp");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(tmp);
            sweepTemp();
            folders = DurableFiles.Folders.under(blobs);
            direct = directWrites ? directBlockSize(tmp) : 0;
        } catch (IOException e) {
            throw new IllegalStateException("blob folder " + this.root + " is not usable: " + e, e);
        }
    }

    /**
     * Deletes every file left in {@code tmp/} and returns how many. Only safe while no write is in
     * progress, which is why it runs when the store is opened.
     */
    public int sweepTemp() throws IOException {
        return sweepTemp(java.time.Instant.MAX);
    }

    /**
     * Deletes the files in {@code tmp/} last written before {@code before}: writes cut off by a
     * crash. A write in progress (on this node or another sharing the folder) keeps writing its
     * temp file, so a cutoff well in the past never touches it.
     */
    @Override
    public int removeAbandonedWrites(java.time.Instant startedBefore) throws IOException {
        return sweepTemp(startedBefore);
    }

    public int sweepTemp(java.time.Instant before) throws IOException {
        int deleted = 0;
        try (var leftovers = Files.newDirectoryStream(tmp)) {
            for (var file : leftovers) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(before) && Files.deleteIfExists(file)) {
                        deleted++;
                    }
                } catch (NoSuchFileException gone) {
                    // finished or swept by another node meanwhile
                }
            }
        }
        return deleted;
    }

    /** Walks the shard folders; a blob's time is its file's, set when the finished write was moved into place. */
    @Override
    public java.util.stream.Stream<Listed> list() throws IOException {
        return Files.walk(blobs, 3)
                .filter(path -> BlobIds.isValid(path.getFileName().toString()))
                .flatMap(path -> {
                    try {
                        return java.util.stream.Stream.of(new Listed(path.getFileName().toString(),
                                Files.getLastModifiedTime(path).toInstant()));
                    } catch (IOException gone) {
                        return java.util.stream.Stream.empty();   // deleted while we walked
                    }
                });
    }

    /**
     * Writes past the page cache where the file system takes it ({@link #direct}), through the
     * aligned buffers of {@link DirectChannel}'s pools; when a pool has none free (other writes hold
     * them, slow clients' among them), through the page cache on a second channel of the same file
     * instead of waiting. The first MiB is read and written on the caller's thread through one small
     * buffer; the rest of a bigger blob is written behind its reading and hashing, on a thread of
     * its own ({@link WriteBehind}), or on the caller's thread too when as many write-behinds as the
     * node allows are under way. Forcing the file at the end makes both channels' bytes durable.
     */
    @Override
    public StoredBlob write(InputStream in, long maxBytes) throws IOException {
        var copy = new HashingCopy(maxBytes);
        var id = BlobIds.random();
        var temp = tmp.resolve(id + ".part");
        var buffer = BUFFERS.take();
        FileChannel paged = null;   // the page-cache channel, when the file is opened O_DIRECT and a pool had no buffer
        boolean behind = false;     // whether this write holds one of the write-behinds
        try {
            try (var file = direct > 0 ? FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)
                    : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                int n;
                long written = 0;
                var small = direct > 0 ? DirectChannel.small(file, direct) : null;
                if (direct > 0 && small == null) {
                    paged = FileChannel.open(temp, StandardOpenOption.WRITE);
                }
                try (small) {
                    var out = small != null ? small : paged != null ? paged : file;
                    int block = small != null ? direct : 0;
                    do {
                        n = copy.fill(in, buffer, 0);
                        writeFully(out, ByteBuffer.wrap(buffer, 0, WriteBehind.padded(buffer, n, block)));
                        written += n;
                    } while (n == buffer.length && (written < WRITE_BEHIND_AFTER || !(behind = WriteBehind.tryStart())));
                    if (small != null) {
                        small.flush();
                    }
                }
                if (behind) {
                    var large = direct > 0 ? DirectChannel.large(file.position(written), direct) : null;
                    if (large != null) {
                        // written straight to the disk: nothing waits in the page cache for the final force
                        try (large) {
                            WriteBehind.copy(copy, in, large, direct, null);
                            large.flush();
                        }
                    } else {
                        if (direct > 0 && paged == null) {
                            paged = FileChannel.open(temp, StandardOpenOption.WRITE);
                        }
                        var out = (paged != null ? paged : file).position(written);
                        WriteBehind.copy(copy, in, out, 0, () -> out.force(false));
                    }
                }
                if (direct > 0 && copy.size() % direct != 0) {
                    file.truncate(copy.size());   // the zeros that filled its last block, if it was written directly
                }
                if (paged != null) {
                    paged.force(true);
                    paged.close();
                }
                file.force(true);
            }
            var target = path(id);
            ensureShard(id, target.getParent());
            try (var out = FileChannel.open(sumsPath(id), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                writeFully(out, copy.chunkSums().encode(id));   // not forced: see the class's comment
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            folders.force(target.getParent());
        } catch (IOException | RuntimeException | Error e) {
            try {
                if (paged != null) {
                    paged.close();   // closed already when the write got this far; again is nothing
                }
                Files.deleteIfExists(temp);
                Files.deleteIfExists(sumsPath(id));
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            if (behind) {
                WriteBehind.finished();
            }
            BUFFERS.give(buffer);   // the write is over: nothing reads or writes it any more
        }
        return copy.result(id);
    }

    @Override
    public Optional<ChunkSums> chunkSums(String blobId) throws IOException {
        if (!BlobIds.isValid(blobId)) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(sumsPath(blobId));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return ChunkSums.decodeIfValid(bytes, blobId);
    }

    @Override
    public void putChunkSums(String blobId, ChunkSums sums) throws IOException {
        if (!BlobIds.isValid(blobId)) {
            throw notFound(blobId);
        }
        putSums(blobId, sums);
    }

    /** Writes the sums to a temp file, forces it, and moves it into place beside the blob. */
    private void putSums(String blobId, ChunkSums sums) throws IOException {
        var temp = tmp.resolve(blobId + ".sums.part");
        try {
            try (var out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                writeFully(out, sums.encode(blobId));
                out.force(true);
            }
            Files.move(temp, sumsPath(blobId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            folders.force(sumsPath(blobId).getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeFully(FileChannel out, byte[] bytes) throws IOException {
        writeFully(out, ByteBuffer.wrap(bytes));
    }

    private static void writeFully(java.nio.channels.WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    @Override
    public InputStream read(String blobId, ByteRange.Resolved range) throws IOException {
        var channel = open(blobId);
        try {
            long size = channel.size();
            if (range.offset() < 0 || range.length() < 0 || range.offset() + range.length() > size) {
                throw Failure.invalid("range " + range.offset() + "+" + range.length() + " is outside blob " + blobId
                        + " of " + size + " bytes");
            }
            channel.position(range.offset());
            return new BoundedInputStream(Channels.newInputStream(channel), range.length());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Optional<Long> size(String blobId) throws IOException {
        if (!BlobIds.isValid(blobId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.size(path(blobId)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Path> localFile(String blobId) {
        if (!BlobIds.isValid(blobId)) {
            return Optional.empty();
        }
        var path = path(blobId);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    @Override
    public void delete(String blobId) throws IOException {
        if (BlobIds.isValid(blobId)) {
            Files.deleteIfExists(path(blobId));
            Files.deleteIfExists(sumsPath(blobId));
        }
    }

    @Override
    public boolean reachable() {
        return Files.isDirectory(blobs) && Files.isWritable(blobs) && Files.isDirectory(tmp) && Files.isWritable(tmp);
    }

    @Override
    public String describe() {
        return "folder " + root;
    }

    /** Where a (valid) blob id lives: two levels of 256 folders keep every folder small. */
    private Path path(String blobId) {
        return blobs.resolve(blobId.substring(0, 2)).resolve(blobId.substring(2, 4)).resolve(blobId);
    }

    private Path sumsPath(String blobId) {
        var blob = path(blobId);
        return blob.resolveSibling(blobId + ".sums");
    }

    private FileChannel open(String blobId) throws IOException {
        if (!BlobIds.isValid(blobId)) {
            throw notFound(blobId);
        }
        try {
            return FileChannel.open(path(blobId), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw notFound(blobId);
        }
    }

    private static Failure notFound(String blobId) {
        return Failure.notFound("no blob " + blobId);
    }

    /** The block size of its writes past the page cache; 0 when it writes through it. */
    int directBlockSize() {
        return direct;
    }

    /**
     * The block size to write to {@code folder} with, bypassing the page cache, when its file system
     * takes such writes of the buffers' sizes (a probe file, written and cut short, says so); else 0.
     */
    private static int directBlockSize(Path folder) {
        Path probe = folder.resolve("direct-" + BlobIds.random() + ".part");
        try {
            long block = Files.getFileStore(folder).getBlockSize();
            if (block <= 0 || block > BUFFER_BYTES || BUFFER_BYTES % block != 0 || WriteBehind.BUFFER_BYTES % block != 0) {
                return 0;
            }
            try (var out = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                writeFully(out, ByteBuffer.allocate((int) block));
                out.truncate(1);   // what a blob's last block takes; nothing here needs to reach the disk
            }
            return (int) block;
        } catch (IOException | UnsupportedOperationException e) {
            return 0;   // tmpfs and some others refuse O_DIRECT: the page cache it is
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a leftover probe is swept with the other temp files at the next start
            }
        }
    }

    /**
     * Makes the shard folder of {@code blobId} exist, with its entry on disk: a blob moved into a
     * folder whose own entry a crash lost is lost with it. The first time this process writes into
     * a shard, the first-level folder holding it is forced, and {@code blobs/} the first time for
     * each first level, whoever made them: a folder found made may be another node's (or an earlier
     * process's), which may not have forced it yet. After that, writes into the shard look at one
     * bit instead of the file system; the bit is set under the first level's lock, after forcing.
     */
    private void ensureShard(String blobId, Path shard) throws IOException {
        int index = Integer.parseInt(blobId, 0, 4, 16);
        if (knownShards.contains(index)) {
            return;
        }
        int firstLevel = index >>> 8;
        var lock = shardLocks[firstLevel];
        lock.lock();
        try {
            if (knownShards.contains(index)) {
                return;
            }
            Files.createDirectories(shard);
            folders.force(shard.getParent());
            if (!knownFirstLevels.contains(firstLevel)) {
                folders.force(blobs);
                knownFirstLevels.add(firstLevel);
            }
            knownShards.add(index);
        } finally {
            lock.unlock();
        }
    }

    /** Shard folders as bits: the 65,536 by the first four hex digits of their blobs' ids, or the 256 first levels by two. */
    private static final class ShardBits {
        private final AtomicLongArray words;

        ShardBits(int count) {
            words = new AtomicLongArray(count / 64);
        }

        boolean contains(int index) {
            return (words.get(index >>> 6) & (1L << index)) != 0;
        }

        void add(int index) {
            words.getAndAccumulate(index >>> 6, 1L << index, (a, b) -> a | b);
        }
    }

    /** Exactly {@code remaining} bytes of the underlying stream, which it closes. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(Math.max(n, 0), remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public long transferTo(OutputStream out) throws IOException {
            var buffer = new byte[BUFFER_BYTES];
            long total = 0;
            int n;
            while ((n = read(buffer, 0, buffer.length)) >= 0) {
                out.write(buffer, 0, n);
                total += n;
            }
            return total;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

package io.dossier.store.blob;

import io.dossier.core.Failure;
import io.dossier.core.content.BlobStore;
import io.dossier.core.content.ByteRange;
import io.dossier.core.content.ChunkSums;
import io.dossier.core.content.StoredBlob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link BlobStore} must do; a subclass supplies a fresh store per test and a look inside it. */
abstract class BlobStoreContract {

    static final int MIB = 1024 * 1024;

    /** A new, empty store. */
    protected abstract BlobStore newStore() throws Exception;

    /**
     * Everything the store holds now: complete blobs, and anything a write may leave on the way
     * (temp files, unfinished multipart uploads). Empty for a store nothing was written to.
     */
    protected abstract List<String> leftovers() throws Exception;

    protected BlobStore store;

    private final Random random = new Random(20_260_101);

    @BeforeEach
    final void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    final void closeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void writeReturnsSha256SizeAndHeadAndReadsBackTheSameBytes() throws IOException {
        var content = randomBytes(100_000);

        var blob = store.write(new ByteArrayInputStream(content), 1 * MIB);

        assertThat(blob.sha256()).isEqualTo(sha256(content));
        assertThat(blob.size()).isEqualTo(content.length);
        assertThat(blob.head()).isEqualTo(Arrays.copyOf(content, 8 * 1024));
        assertThat(blob.id()).matches("[0-9a-f]{32}");
        assertThat(store.size(blob.id())).contains((long) content.length);
        assertThat(readAll(blob)).isEqualTo(content);
    }

    @Test
    void listsEveryBlobWithTheTimeItWasStoredAndNothingDeleted() throws IOException {
        var before = java.time.Instant.now().minusSeconds(5);
        var one = store.write(new ByteArrayInputStream(randomBytes(10)), 1 * MIB);
        var two = store.write(new ByteArrayInputStream(randomBytes(20)), 1 * MIB);
        var gone = store.write(new ByteArrayInputStream(randomBytes(30)), 1 * MIB);
        store.delete(gone.id());
        java.util.Map<String, java.time.Instant> listed;
        try (var listing = store.list()) {
            listed = listing.collect(java.util.stream.Collectors.toMap(BlobStore.Listed::id, BlobStore.Listed::storedAt));
        }
        assertThat(listed).containsKeys(one.id(), two.id()).doesNotContainKey(gone.id());
        assertThat(listed.get(one.id())).isAfter(before).isBefore(java.time.Instant.now().plusSeconds(5));
    }

    @Test
    void writesAnEmptyBlob() throws IOException {
        var blob = store.write(InputStream.nullInputStream(), 1 * MIB);

        assertThat(blob.size()).isZero();
        assertThat(blob.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(blob.head()).isEmpty();
        assertThat(store.size(blob.id())).contains(0L);
        assertThat(readAll(blob)).isEmpty();
    }

    @Test
    void headIsTheWholeContentWhenShorterThanEightKibibytes() throws IOException {
        var content = randomBytes(100);

        assertThat(store.write(new ByteArrayInputStream(content), 100).head()).isEqualTo(content);
    }

    @Test
    void readsRangesUpToTheEdges() throws IOException {
        var content = randomBytes(1000);
        var blob = store.write(new ByteArrayInputStream(content), 1 * MIB);

        assertThat(read(blob, new ByteRange.FromTo(0, 0))).containsExactly(content[0]);
        assertThat(read(blob, new ByteRange.FromTo(999, 999))).containsExactly(content[999]);
        assertThat(read(blob, new ByteRange.FromTo(0, 999))).isEqualTo(content);
        assertThat(read(blob, new ByteRange.FromTo(0, 5000))).isEqualTo(content);
        assertThat(read(blob, new ByteRange.FromTo(10, 19))).isEqualTo(Arrays.copyOfRange(content, 10, 20));
        assertThat(read(blob, new ByteRange.From(999))).containsExactly(content[999]);
        assertThat(read(blob, new ByteRange.From(0))).isEqualTo(content);
        assertThat(read(blob, new ByteRange.Suffix(1))).containsExactly(content[999]);
        assertThat(read(blob, new ByteRange.Suffix(10))).isEqualTo(Arrays.copyOfRange(content, 990, 1000));
        assertThat(read(blob, new ByteRange.Suffix(5000))).isEqualTo(content);
        assertThat(ByteRange.resolve(new ByteRange.From(1000), 1000)).isEmpty();
    }

    @Test
    void aRangePastTheEndIsInvalid() throws IOException {
        var blob = store.write(new ByteArrayInputStream(randomBytes(1000)), 1 * MIB);

        assertThatThrownBy(() -> store.read(blob.id(), new ByteRange.Resolved(1000, 10)).close())
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID));
    }

    /** Network input arrives in uneven bits; the store must gather them into whole buffers and parts. */
    @Test
    void storesAStreamThatTricklesInUnevenBits() throws IOException {
        var content = randomBytes(9 * MIB + 123);
        var trickle = new ByteArrayInputStream(content) {
            private int turn;

            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, 1 + (turn++ * 7919) % 40_000));
            }
        };

        var blob = store.write(trickle, 10 * MIB);

        assertThat(blob.sha256()).isEqualTo(sha256(content));
        assertThat(blob.head()).isEqualTo(Arrays.copyOf(content, 8 * 1024));
        assertThat(readAll(blob)).isEqualTo(content);
    }

    @Test
    void unknownBlobIsNotFound() throws IOException {
        var unknown = "0123456789abcdef0123456789abcdef";

        assertThatThrownBy(() -> store.read(unknown, new ByteRange.Resolved(0, 1)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_FOUND));
        assertThat(store.size(unknown)).isEmpty();
        store.delete(unknown);
    }

    @ParameterizedTest(name = "id \"{0}\"")
    @ValueSource(strings = {"", "../../../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF",
            "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0", "0123456789abcdef/123456789abcdef"})
    void aMalformedIdIsSimplyNotFound(String id) throws IOException {
        assertThatThrownBy(() -> store.read(id, new ByteRange.Resolved(0, 1)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_FOUND));
        assertThat(store.size(id)).isEmpty();
        assertThat(store.localFile(id)).isEmpty();
        store.delete(id);
    }

    @Test
    void acceptsExactlyTheLimit() throws IOException {
        var content = randomBytes(1000);

        assertThat(store.write(new ByteArrayInputStream(content), 1000).size()).isEqualTo(1000);
    }

    /** 10 000 bytes, and 12 MiB: beyond one S3 part, so a multipart upload has to be aborted. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {10_000, 12 * MIB})
    void refusesContentOverTheLimitAndStoresNothing(int length) throws Exception {
        var content = new CountingInputStream(new ByteArrayInputStream(randomBytes(length)));

        assertThatThrownBy(() -> store.write(content, length - 1001))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.TOO_LARGE));
        assertThat(content.count).as("bytes read").isEqualTo(length - 1000);
        assertThat(leftovers()).isEmpty();
    }

    @ParameterizedTest(name = "after {0} bytes")
    @ValueSource(ints = {0, 50_000, 9 * MIB})
    void aBrokenInputStoresNothing(int goodBytes) throws Exception {
        var broken = new BrokenInputStream(randomBytes(goodBytes));

        assertThatThrownBy(() -> store.write(broken, 100 * MIB)).isInstanceOf(IOException.class).hasMessage("connection reset");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void concurrentWritesAllReadBackIntact() throws Exception {
        var contents = new ArrayList<byte[]>();
        for (int i = 0; i < 100; i++) {
            contents.add(randomBytes(64 * 1024 + random.nextInt(MIB - 64 * 1024 + 1)));
        }
        var pool = Executors.newFixedThreadPool(16);
        try {
            var writes = new ArrayList<Future<StoredBlob>>();
            for (var content : contents) {
                writes.add(pool.submit(() -> store.write(new ByteArrayInputStream(content), 2 * MIB)));
            }
            var reads = new ArrayList<Future<byte[]>>();
            for (var write : writes) {
                var blob = write.get();
                reads.add(pool.submit((Callable<byte[]>) () -> readAll(blob)));
            }
            for (int i = 0; i < contents.size(); i++) {
                assertThat(writes.get(i).get().sha256()).isEqualTo(sha256(contents.get(i)));
                assertThat(reads.get(i).get()).isEqualTo(contents.get(i));
            }
            assertThat(writes.stream().map(this::id).distinct()).hasSize(100);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void roundTripsTwentyMebibytes() throws IOException {
        var content = randomBytes(20 * MIB);

        var blob = store.write(new ByteArrayInputStream(content), 20 * MIB);

        assertThat(blob.sha256()).isEqualTo(sha256(content));
        assertThat(store.size(blob.id())).contains(20L * MIB);
        assertThat(readAll(blob)).isEqualTo(content);
        // across the boundary between the first two 8 MiB parts, where an S3 store stitched them
        assertThat(read(blob, new ByteRange.FromTo(8 * MIB - 5, 8 * MIB + 4)))
                .isEqualTo(Arrays.copyOfRange(content, 8 * MIB - 5, 8 * MIB + 5));
    }

    @Test
    void writesAStreamOfExactlyOnePart() throws IOException {
        var content = randomBytes(8 * MIB);

        var blob = store.write(new ByteArrayInputStream(content), 20 * MIB);

        assertThat(blob.sha256()).isEqualTo(sha256(content));
        assertThat(readAll(blob)).isEqualTo(content);
    }

    @Test
    void deleteRemovesTheBlobAndToleratesRepetition() throws Exception {
        var blob = store.write(new ByteArrayInputStream(randomBytes(5000)), 1 * MIB);

        store.delete(blob.id());

        assertThat(store.size(blob.id())).isEmpty();
        assertThatThrownBy(() -> store.read(blob.id(), new ByteRange.Resolved(0, 1)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_FOUND));
        assertThat(leftovers()).isEmpty();
        store.delete(blob.id());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_536, 100_000, MIB, MIB + 1, 9 * MIB + 1})
    void keepsTheChunkSumsOfWhatItWrote(int length) throws Exception {
        var content = randomBytes(length);

        var blob = store.write(new ByteArrayInputStream(content), 10 * MIB);

        assertThat(store.chunkSums(blob.id()).orElseThrow().encode(blob.id()))
                .isEqualTo(ChunkSums.of(new ByteArrayInputStream(content)).encode(blob.id()));
        assertThat(store.list().map(BlobStore.Listed::id).toList()).as("sums are not listed as blobs").containsExactly(blob.id());
    }

    @Test
    void putsChunkSumsAfterTheFactAndDeletesThemWithTheBlob() throws Exception {
        var content = randomBytes(70_000);
        var blob = store.write(new ByteArrayInputStream(content), 1 * MIB);
        var other = ChunkSums.of(new ByteArrayInputStream(randomBytes(70_000)));

        store.putChunkSums(blob.id(), other);
        assertThat(store.chunkSums(blob.id()).orElseThrow().encode(blob.id())).isEqualTo(other.encode(blob.id()));

        store.delete(blob.id());
        assertThat(store.chunkSums(blob.id())).isEmpty();
        assertThat(leftovers()).isEmpty();
        assertThat(store.chunkSums("../../etc/passwd")).isEmpty();
    }

    @Test
    void isReachableAndDescribesItself() {
        assertThat(store.reachable()).isTrue();
        assertThat(store.describe()).isNotBlank();
    }

    protected final byte[] randomBytes(int length) {
        var bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    protected final byte[] readAll(StoredBlob blob) throws IOException {
        try (var in = store.read(blob.id(), ByteRange.Resolved.whole(blob.size()))) {
            return in.readAllBytes();
        }
    }

    private byte[] read(StoredBlob blob, ByteRange range) throws IOException {
        var resolved = ByteRange.resolve(range, blob.size()).orElseThrow();
        try (var in = store.read(blob.id(), resolved)) {
            var bytes = in.readAllBytes();
            assertThat(bytes).hasSize((int) resolved.length());
            return bytes;
        }
    }

    private String id(Future<StoredBlob> write) {
        try {
            return write.get().id();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Yields its bytes, then fails as a dropped connection would. */
    private static final class BrokenInputStream extends InputStream {
        private final ByteArrayInputStream good;

        BrokenInputStream(byte[] good) {
            this.good = new ByteArrayInputStream(good);
        }

        @Override
        public int read() throws IOException {
            int b = good.read();
            if (b < 0) {
                throw new IOException("connection reset");
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = good.read(buffer, offset, length);
            if (n < 0) {
                throw new IOException("connection reset");
            }
            return n;
        }
    }

    private static final class CountingInputStream extends InputStream {
        private final InputStream in;
        long count;

        CountingInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}

package io.dossier.store.blob;

import io.dossier.core.content.BlobStore;
import io.dossier.core.content.ByteRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FolderBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    protected BlobStore newStore() {
        return new FolderBlobStore(root);
    }

    @Override
    protected List<String> leftovers() throws IOException {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(file -> root.relativize(file).toString()).sorted().toList();
        }
    }

    /** The contract again for a store that writes through the page cache, as on file systems that refuse O_DIRECT. */
    @Nested
    class ThroughThePageCache extends BlobStoreContract {
        @Override
        protected BlobStore newStore() {
            return new FolderBlobStore(root, false);
        }

        @Override
        protected List<String> leftovers() throws IOException {
            return FolderBlobStoreTest.this.leftovers();
        }
    }

    @Test
    void writesPastThePageCacheWhereTheFileSystemTakesIt() throws IOException {
        // the folder store's reason to be fast: on the file systems servers keep blobs on, blobs are
        // written with O_DIRECT; elsewhere (tmpfs) through the page cache, as on request
        String type = Files.getFileStore(root).type();
        assumeTrue(java.util.Set.of("ext4", "xfs", "btrfs").contains(type), "no direct writes expected on " + type);
        assertThat(((FolderBlobStore) store).directBlockSize()).isPositive();
        assertThat(new FolderBlobStore(root, false).directBlockSize()).isZero();
    }

    static java.util.stream.Stream<Arguments> lengthsAroundEdges() {
        // around the file system's block, the first buffer (64 KiB), the end of the first MiB (where
        // the write-behind starts) and its buffers (256 KiB)
        int[] lengths = {0, 1, 511, 4095, 4096, 4097, 65_535, 65_536, 65_537, 100_000, MIB - 1, MIB, MIB + 1,
                MIB + 256 * 1024, MIB + 256 * 1024 + 4097, 3 * MIB + 7, 6 * MIB + 4097};
        return java.util.stream.Stream.of(true, false)
                .flatMap(direct -> java.util.Arrays.stream(lengths).mapToObj(length -> Arguments.of(length, direct)));
    }

    @ParameterizedTest(name = "{0} bytes, direct writes {1}")
    @MethodSource("lengthsAroundEdges")
    void storesEveryLengthWholeAndNotAByteLonger(int length, boolean direct) throws Exception {
        var folderStore = new FolderBlobStore(root, direct);
        var content = randomBytes(length);

        assertWrittenWhole(folderStore, content);
    }

    /** Writes {@code content} and checks the blob, its file, its sums, and that nothing else is left. */
    private void assertWrittenWhole(FolderBlobStore folderStore, byte[] content) throws Exception {
        var blob = folderStore.write(new ByteArrayInputStream(content), 8 * MIB);

        assertThat(blob.size()).isEqualTo(content.length);
        assertThat(blob.sha256()).isEqualTo(sha256(content));
        assertThat(Files.readAllBytes(folderStore.localFile(blob.id()).orElseThrow())).isEqualTo(content);
        assertThat(folderStore.chunkSums(blob.id()).orElseThrow().encode(blob.id()))
                .isEqualTo(io.dossier.core.content.ChunkSums.of(new ByteArrayInputStream(content)).encode(blob.id()));
        assertThat(leftovers()).hasSize(2);   // the blob and its sums, nothing in tmp/
    }

    /** What other writes hold while one is written. */
    enum Held { SMALL_BUFFERS, LARGE_BUFFERS, ALL_BUFFERS, WRITE_BEHINDS, EVERYTHING }

    static java.util.stream.Stream<Arguments> lengthsWithNothingFree() {
        int[] lengths = {100_000, MIB + 1, MIB + 256 * 1024 + 4097, 6 * MIB + 4097};
        return java.util.Arrays.stream(Held.values())
                .flatMap(held -> java.util.Arrays.stream(lengths).mapToObj(length -> Arguments.of(length, held)));
    }

    /**
     * A write never waits for buffers that others hold (slow clients hold theirs for as long as they
     * send): it goes on through the page cache, or on its own thread without a write-behind, and
     * stores every byte, and the two channels' parts of one file meet where they should.
     */
    @ParameterizedTest(name = "{0} bytes, {1} taken")
    @MethodSource("lengthsWithNothingFree")
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aWriteThatFindsNoBufferFreeGoesOnWithoutWaitingAndStoresEveryByte(int length, Held held) throws Exception {
        var folderStore = (FolderBlobStore) store;
        var smalls = new java.util.ArrayList<java.nio.ByteBuffer>();
        var larges = new java.util.ArrayList<java.nio.ByteBuffer>();
        int writeBehinds = 0;
        try {
            if (held == Held.SMALL_BUFFERS || held == Held.ALL_BUFFERS || held == Held.EVERYTHING) {
                drain(DirectChannel.SMALL, smalls);
            }
            if (held == Held.LARGE_BUFFERS || held == Held.ALL_BUFFERS || held == Held.EVERYTHING) {
                drain(DirectChannel.LARGE, larges);
            }
            if (held == Held.WRITE_BEHINDS || held == Held.EVERYTHING) {
                while (WriteBehind.tryStart()) {
                    writeBehinds++;
                }
            }
            assertWrittenWhole(folderStore, randomBytes(length));
        } finally {
            smalls.forEach(DirectChannel.SMALL::give);
            larges.forEach(DirectChannel.LARGE::give);
            for (int i = 0; i < writeBehinds; i++) {
                WriteBehind.finished();
            }
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(ints = {3 * MIB, 9 * MIB})
    void aWriteThatFailsWhileWritingBehindGivesItsWriteBehindBack(int length) {
        assertThatThrownBy(() -> store.write(new ByteArrayInputStream(randomBytes(length)), length - 1))
                .isInstanceOf(io.dossier.core.Failure.class);
        int free = 0;
        while (WriteBehind.tryStart()) {
            free++;
        }
        for (int i = 0; i < free; i++) {
            WriteBehind.finished();
        }
        assertThat(free).isEqualTo(WriteBehind.AT_ONCE);
    }

    private static void drain(io.dossier.core.content.DirectBufferPool pool, List<java.nio.ByteBuffer> into) {
        for (var taken = pool.tryTake(4096, 1); taken != null; taken = pool.tryTake(4096, 1)) {
            into.add(taken[0]);
        }
    }

    @Test
    void keepsEachBlobAsAFileUnderTwoLevelsOfShards() throws IOException {
        var content = randomBytes(3000);

        var blob = store.write(new ByteArrayInputStream(content), 3000);

        var file = root.resolve("blobs").resolve(blob.id().substring(0, 2)).resolve(blob.id().substring(2, 4)).resolve(blob.id());
        assertThat(leftovers()).containsExactly(root.relativize(file).toString(), root.relativize(file).toString() + ".sums");
        assertThat(store.localFile(blob.id())).contains(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void bigBlobsWrittenAtOnceBeyondTheDirectBuffersAllLandWhole() throws Exception {
        // each big blob written past the page cache holds two of the large buffers while its rest is
        // written: 12 at once are more than the pool has, so some go on through the page cache
        var blobs = new java.util.concurrent.ConcurrentHashMap<String, byte[]>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var tasks = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < 12; t++) {
                int length = 3 * MIB + 4096 * t + t;
                tasks.add(pool.submit(() -> {
                    var content = randomBytes(length);
                    blobs.put(store.write(new ByteArrayInputStream(content), 8 * MIB).id(), content);
                    return null;
                }));
            }
            for (var task : tasks) {
                task.get();
            }
        }
        assertThat(blobs).hasSize(12);
        for (var blob : blobs.entrySet()) {
            assertThat(Files.readAllBytes(((FolderBlobStore) store).localFile(blob.getKey()).orElseThrow())).isEqualTo(blob.getValue());
        }
    }

    @Test
    void writersMakingShardFoldersAtOnceAllLandAndAnotherStoreOnTheFolderWritesBeside() throws Exception {
        // the first write into a shard makes its folder (and forces the folders above it); writes at
        // once into new shards, and a second store on the folder (another node, or a restart) writing
        // into folders it did not make, all land
        var blobs = new java.util.concurrent.ConcurrentHashMap<String, byte[]>();
        var second = new FolderBlobStore(root);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var tasks = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < 8; t++) {
                var writer = t % 2 == 0 ? store : second;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        var content = randomBytes(100 + i);
                        blobs.put(writer.write(new ByteArrayInputStream(content), 1000).id(), content);
                    }
                    return null;
                }));
            }
            for (var task : tasks) {
                task.get();
            }
        }
        assertThat(blobs).hasSize(1200);
        var reopened = new FolderBlobStore(root);
        for (var blob : blobs.entrySet()) {
            try (var in = reopened.read(blob.getKey(), ByteRange.Resolved.whole(blob.getValue().length))) {
                assertThat(in.readAllBytes()).isEqualTo(blob.getValue());
            }
        }
    }

    @Test
    void chunkSumsOutliveTheStoreAndSumsThatDoNotCheckReadAsAbsent() throws IOException {
        var content = randomBytes(200_000);
        var blob = store.write(new ByteArrayInputStream(content), 1 * MIB);

        var reopened = new FolderBlobStore(root);
        assertThat(reopened.chunkSums(blob.id()).orElseThrow().encode(blob.id()))
                .isEqualTo(io.dossier.core.content.ChunkSums.of(new ByteArrayInputStream(content)).encode(blob.id()));

        var sums = store.localFile(blob.id()).orElseThrow().resolveSibling(blob.id() + ".sums");
        // not forced to disk when written: a crash may leave them cut short, or all zeros; they are then
        // computed again from the blob (ContentService), never trusted
        var written = Files.readAllBytes(sums);
        Files.write(sums, new byte[] {1, 2, 3});
        assertThat(reopened.chunkSums(blob.id())).isEmpty();
        Files.write(sums, new byte[written.length]);
        assertThat(reopened.chunkSums(blob.id())).isEmpty();
        written[20] ^= 1;
        Files.write(sums, written);
        assertThat(reopened.chunkSums(blob.id())).isEmpty();
        assertThat(reopened.size(blob.id())).contains((long) content.length);

        // or holding another blob's sums, of the same size, as a disk block reused after a crash can
        var other = store.write(new ByteArrayInputStream(randomBytes(200_000)), 1 * MIB);
        Files.copy(store.localFile(other.id()).orElseThrow().resolveSibling(other.id() + ".sums"), sums,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(reopened.chunkSums(blob.id())).isEmpty();
        assertThat(reopened.chunkSums(other.id())).isPresent();
    }

    @Test
    void openingTheStoreSweepsWhatACrashedWriteLeftInTmp() throws IOException {
        var blob = store.write(new ByteArrayInputStream(randomBytes(10)), 10);
        Files.write(root.resolve("tmp").resolve("0123456789abcdef0123456789abcdef.part"), randomBytes(100));
        Files.write(root.resolve("tmp").resolve("stray"), randomBytes(1));

        var reopened = new FolderBlobStore(root);

        assertThat(root.resolve("tmp")).isEmptyDirectory();
        assertThat(reopened.size(blob.id())).contains(10L);
        assertThat(reopened.sweepTemp()).isZero();
    }

    @Test
    void sweepTempCountsWhatItDeletes() throws IOException {
        Files.write(root.resolve("tmp").resolve("a.part"), randomBytes(1));
        Files.write(root.resolve("tmp").resolve("b.part"), randomBytes(1));

        assertThat(((FolderBlobStore) store).sweepTemp()).isEqualTo(2);
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void aRangeReadCanBeSkippedThroughAndStopsAtItsEnd() throws IOException {
        var content = randomBytes(1000);
        var blob = store.write(new ByteArrayInputStream(content), 1000);

        try (var in = store.read(blob.id(), new ByteRange.Resolved(100, 50))) {
            assertThat(in.read()).isEqualTo(content[100] & 0xff);
            assertThat(in.skip(48)).isEqualTo(48);
            assertThat(in.available()).isEqualTo(1);
            assertThat(in.read()).isEqualTo(content[149] & 0xff);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(new byte[10])).isEqualTo(-1);
        }
    }

    @Test
    void describesItsFolderAndIsUnreachableWhenTheFolderIsGone() throws IOException {
        assertThat(store.describe()).isEqualTo("folder " + root.toAbsolutePath());

        Files.delete(root.resolve("tmp"));

        assertThat(store.reachable()).isFalse();
    }

    @Test
    void localFileIsEmptyForAnUnknownBlob() {
        assertThat(store.localFile("0123456789abcdef0123456789abcdef")).isEmpty();
    }
}

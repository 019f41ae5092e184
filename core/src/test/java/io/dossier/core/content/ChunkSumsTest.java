package io.dossier.core.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkSumsTest {

    static final int CHUNK = ChunkSums.CHUNK_BYTES;
    static final String ID = "0123456789abcdef0123456789abcdef";

    final byte[] blob = random(3 * CHUNK + CHUNK / 2, 7);

    @Test
    void sumsAreTheSameWhateverPiecesTheBytesArriveIn() throws IOException {
        var whole = ChunkSums.of(new ByteArrayInputStream(blob));
        var builder = new ChunkSums.Builder();
        var random = new Random(1);
        for (int at = 0; at < blob.length; ) {
            int n = Math.min(blob.length - at, 1 + random.nextInt(CHUNK + 100));
            builder.update(blob, at, n);
            at += n;
        }
        assertThat(builder.build().encode(ID)).isEqualTo(whole.encode(ID));
        assertThat(whole.size()).isEqualTo(blob.length);
        assertThat(whole.encode(ID)).hasSize(16 + 4 * 4 + 4);
    }

    @Test
    void encodingRoundTripsAndRefusesWhatIsNotChunkSums() throws IOException {
        var sums = ChunkSums.of(new ByteArrayInputStream(blob));
        assertThat(ChunkSums.decode(sums.encode(ID), ID).encode(ID)).isEqualTo(sums.encode(ID));
        assertThat(ChunkSums.decode(ChunkSums.of(new ByteArrayInputStream(new byte[0])).encode(ID), ID).size()).isZero();
        var truncated = Arrays.copyOf(sums.encode(ID), sums.encode(ID).length - 4);
        assertThatThrownBy(() -> ChunkSums.decode(truncated, ID)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ChunkSums.decode(new byte[20], ID)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ChunkSums.decode(new byte[3], ID)).isInstanceOf(IOException.class);
    }

    @Test
    void sumsCheckThemselvesSoThatSumsNotForcedToDiskAreNeverTrustedWhenACrashLeftThemStale() throws IOException {
        var encoded = ChunkSums.of(new ByteArrayInputStream(blob)).encode(ID);
        for (int at : new int[] {4, 16, 20, encoded.length - 1}) {
            var flipped = encoded.clone();
            flipped[at] ^= 0x10;
            assertThatThrownBy(() -> ChunkSums.decode(flipped, ID)).as("byte %d flipped", at).isInstanceOf(IOException.class);
        }
        var zeroed = new byte[encoded.length];   // a crash can leave a file of the right length, all zeros
        assertThatThrownBy(() -> ChunkSums.decode(zeroed, ID)).isInstanceOf(IOException.class);
        // or holding what its disk block held before: another blob's sums, of a blob of the same size
        assertThatThrownBy(() -> ChunkSums.decode(encoded, "0123456789abcdef0123456789abcdee")).isInstanceOf(IOException.class);
    }

    @Test
    void sumsWrittenBeforeTheyCheckedThemselvesStillDecode() throws IOException {
        var sums = ChunkSums.of(new ByteArrayInputStream(blob));
        var encoded = sums.encode(ID);
        var unchecked = Arrays.copyOf(encoded, encoded.length - 4);   // "DCS1": the same, without the last sum
        unchecked[3] = '1';
        var decoded = ChunkSums.decode(unchecked, ID);
        assertThat(decoded.encode(ID)).isEqualTo(encoded);
        assertThat(decoded.size()).isEqualTo(blob.length);
    }

    @Test
    void everyRangeReadsBackExactlyItsBytes() throws IOException {
        var sums = ChunkSums.of(new ByteArrayInputStream(blob));
        long[] edges = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK - 1, 2 * CHUNK, 3 * CHUNK, blob.length - 1, blob.length};
        for (long from : edges) {
            for (long to : edges) {
                if (to < from) {
                    continue;
                }
                var range = new ByteRange.Resolved(from, to - from);
                assertThat(read(sums, blob, range)).as("bytes %d-%d", from, to)
                        .isEqualTo(Arrays.copyOfRange(blob, (int) from, (int) to));
            }
        }
    }

    @Test
    void aFlippedByteInAnyChunkIsNeverHandedOverWholeOrRanged() throws IOException {
        var sums = ChunkSums.of(new ByteArrayInputStream(blob));
        for (int chunk = 0; chunk < 4; chunk++) {
            var damaged = blob.clone();
            int at = chunk * CHUNK + 1234;
            damaged[at] ^= 0x10;
            int chunkStart = chunk * CHUNK;
            int chunkEnd = Math.min(blob.length, chunkStart + CHUNK);
            // whole, and ranges inside, across and outside the damaged chunk
            for (var range : new ByteRange.Resolved[] {ByteRange.Resolved.whole(blob.length), new ByteRange.Resolved(at, 1),
                    new ByteRange.Resolved(Math.max(0, at - CHUNK), 2 * CHUNK), new ByteRange.Resolved(chunkStart, chunkEnd - chunkStart)}) {
                var out = new ByteArrayOutputStream();
                long end = Math.min(range.offset() + range.length(), blob.length);
                var clipped = new ByteRange.Resolved(range.offset(), end - range.offset());
                assertThatThrownBy(() -> copy(sums, damaged, clipped, out)).as("chunk %d, range %s", chunk, clipped)
                        .isInstanceOf(DamagedBlobException.class).hasMessageContaining("chunk " + chunk);
                // what went out before the failure ends before the damaged chunk, and is intact
                assertThat(clipped.offset() + out.size()).isLessThanOrEqualTo(Math.max(clipped.offset(), chunkStart));
                assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(blob, (int) clipped.offset(), (int) clipped.offset() + out.size()));
            }
            // a range that does not touch the damaged chunk reads fine
            int other = chunk == 0 ? CHUNK : 0;
            assertThat(read(sums, damaged, new ByteRange.Resolved(other, 100))).isEqualTo(Arrays.copyOfRange(blob, other, other + 100));
        }
    }

    @Test
    void aShortBlobIsDamagedToo() throws IOException {
        var sums = ChunkSums.of(new ByteArrayInputStream(blob));
        var shorter = Arrays.copyOf(blob, blob.length - 10);
        assertThatThrownBy(() -> read(sums, shorter, ByteRange.Resolved.whole(blob.length))).isInstanceOf(DamagedBlobException.class)
                .hasMessageContaining("shorter");
    }

    static byte[] read(ChunkSums sums, byte[] stored, ByteRange.Resolved range) throws IOException {
        var out = new ByteArrayOutputStream();
        copy(sums, stored, range, out);
        return out.toByteArray();
    }

    /** What a store would hand ContentService: the stored bytes from the range's first chunk on. */
    static void copy(ChunkSums sums, byte[] stored, ByteRange.Resolved range, ByteArrayOutputStream out) throws IOException {
        int start = (int) sums.chunkStart(range.offset());
        try (var in = sums.verifying(new ByteArrayInputStream(stored, start, stored.length - start), "b1", range)) {
            var buffer = new byte[1000];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        }
    }

    static byte[] random(int length, long seed) {
        var bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}

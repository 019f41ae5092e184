package io.dossier.store.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.content.MemoryBudget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartBufferTest {

    private static final int FIRST = 4096;
    private static final int PART = 64 * 1024;

    @TempDir
    Path spool;

    @Test
    void aSmallPartStaysInMemoryAndGivesTheBudgetBackWhenClosed() throws IOException {
        var budget = new MemoryBudget(PART, 0);
        var content = bytes(20_000);
        var copy = new HashingCopy(1 << 30);
        try (var part = new PartBuffer(budget, FIRST, PART, spool)) {
            assertThat(part.fill(copy, new ByteArrayInputStream(content))).isEqualTo(content.length);
            assertThat(part.spooled()).isFalse();
            assertThat(part.open().readAllBytes()).isEqualTo(content);
            assertThat(budget.available()).as("grown from 4 KiB to 32 KiB").isEqualTo(PART - (32 * 1024 - FIRST));
        }
        assertThat(budget.available()).isEqualTo(PART);
        assertThat(copy.result("x").sha256()).isEqualTo(BlobStoreContract.sha256(content));
    }

    /** With no room to grow, every part goes through a file: whole, in order, read again alike, and nothing left on disk. */
    @Test
    void partsThatFindNoRoomInTheBudgetAreGatheredInAFileThatNothingOutlives() throws IOException {
        var budget = new MemoryBudget(1, 0);
        assertPartsAreTheContent(budget, bytes(3 * PART + 1234));
        assertThat(budget.available()).isEqualTo(1);
    }

    /** Room to grow to a quarter of a part: what memory gathered until then moves to the file, then the rest follows. */
    @Test
    void aPartThatRunsOutOfRoomHalfWayMovesToAFileAndGivesItsMemoryBack() throws IOException {
        var budget = new MemoryBudget(PART / 4 - FIRST, 0);
        assertPartsAreTheContent(budget, bytes(2 * PART + 5));
        assertThat(budget.available()).isEqualTo(PART / 4 - FIRST);
    }

    @Test
    void contentOfExactlyOnePartFillsItAndTheNextIsEmpty() throws IOException {
        var content = bytes(PART);
        try (var part = new PartBuffer(new MemoryBudget(1, 0), FIRST, PART, spool)) {
            var in = new ByteArrayInputStream(content);
            var copy = new HashingCopy(1 << 30);
            assertThat(part.fill(copy, in)).isEqualTo(PART);
            assertThat(part.open().readAllBytes()).isEqualTo(content);
            assertThat(part.fill(copy, in)).isZero();
        }
    }

    private void assertPartsAreTheContent(MemoryBudget budget, byte[] content) throws IOException {
        var copy = new HashingCopy(1 << 30);
        var in = trickling(content);
        try (var part = new PartBuffer(budget, FIRST, PART, spool)) {
            int at = 0;
            for (int n = part.fill(copy, in); ; n = part.fill(copy, in)) {
                assertThat(n).isEqualTo(Math.min(PART, content.length - at));
                assertThat(part.spooled()).isTrue();
                var expected = Arrays.copyOfRange(content, at, at + n);
                assertThat(part.open().readAllBytes()).isEqualTo(expected);
                assertThat(part.open().readAllBytes()).as("read again, as a retried request does").isEqualTo(expected);
                assertThat(part.length()).isEqualTo(n);
                try (var files = Files.list(spool)) {
                    assertThat(files).as("the file is unlinked while it is used").isEmpty();
                }
                at += n;
                if (n < PART) {
                    break;
                }
            }
            assertThat(at).isEqualTo(content.length);
        }
        assertThat(copy.result("x").sha256()).isEqualTo(BlobStoreContract.sha256(content));
        try (var files = Files.list(spool)) {
            assertThat(files).isEmpty();
        }
    }

    private static byte[] bytes(int length) {
        var bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** A client that sends in uneven bits, as one on a slow link does. */
    private static InputStream trickling(byte[] content) {
        return new ByteArrayInputStream(content) {
            private int turn;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + (turn++ * 7919) % 3000));
            }
        };
    }
}

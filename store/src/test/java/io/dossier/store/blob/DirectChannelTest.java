package io.dossier.store.blob;

import com.sun.nio.file.ExtendedOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DirectChannelTest {

    private static final int BLOCK = 4096;

    @Test
    void aWriterBeyondThePoolsBuffersGetsNoneInsteadOfTakingMoreDirectMemory() {
        var pool = new DirectChannel.Pool(64 * 1024, 2);
        var first = pool.tryTake(BLOCK, 1);
        var second = pool.tryTake(BLOCK, 1);
        assertThat(pool.tryTake(BLOCK, 1)).as("a third while both are in use").isNull();

        pool.give(first[0]);
        var third = pool.tryTake(BLOCK, 1);

        assertThat(third[0]).isSameAs(first[0]);   // the same buffer again, not a new one
        assertThat(third[0].isDirect()).isTrue();
        assertThat(third[0].capacity()).isEqualTo(64 * 1024);
        assertThat(third[0].alignmentOffset(0, BLOCK)).isZero();
        pool.give(second[0]);
        pool.give(third[0]);
    }

    @Test
    void aWriterThatNeedsTwoBuffersGetsBothOrNone() {
        var pool = new DirectChannel.Pool(64 * 1024, 3);
        var first = pool.tryTake(BLOCK, 2);
        assertThat(pool.tryTake(BLOCK, 2)).as("one buffer is free: not enough").isNull();
        var last = pool.tryTake(BLOCK, 1);
        assertThat(last).as("the refusal took nothing: the one free buffer is still there").isNotNull();

        pool.give(first[0]);
        pool.give(first[1]);
        var second = pool.tryTake(BLOCK, 2);

        assertThat(second).hasSize(2).doesNotContainNull();
        assertThat(second[0]).isNotSameAs(second[1]);
        pool.give(second[0]);
        pool.give(second[1]);
        pool.give(last[0]);
    }

    @Test
    void aBigBlobsBytesReachTheFileInTheOrderGivenWhileTheNextBufferFills(@TempDir Path folder) throws IOException {
        var path = folder.resolve("blob.part");
        FileChannel file;
        try {
            file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "the temp folder's file system takes no direct writes: " + e);
            return;
        }
        var bytes = new byte[3 * DirectChannel.LARGE_BYTES + 5 * BLOCK];   // three full buffers and part of a fourth
        new Random(15).nextBytes(bytes);
        try (file; var out = java.util.Objects.requireNonNull(DirectChannel.large(file, BLOCK))) {
            for (int at = 0; at < bytes.length; at += WriteBehind.BUFFER_BYTES) {
                out.write(ByteBuffer.wrap(bytes, at, Math.min(WriteBehind.BUFFER_BYTES, bytes.length - at)));
            }
            out.flush();
            file.force(true);
        }
        assertThat(Arrays.equals(Files.readAllBytes(path), bytes)).isTrue();
    }

    @Test
    void aWriteThatFailsBehindTheFillingIsThrownToTheWriterNotLost(@TempDir Path folder) throws IOException {
        var path = Files.write(folder.resolve("read-only"), new byte[0]);
        try (var file = FileChannel.open(path, StandardOpenOption.READ); var out = java.util.Objects.requireNonNull(DirectChannel.large(file, BLOCK))) {
            var full = ByteBuffer.allocate(DirectChannel.LARGE_BYTES);
            out.write(full);   // the first buffer's write starts, and fails, behind this one

            assertThatThrownBy(() -> {
                out.write(ByteBuffer.allocate(DirectChannel.LARGE_BYTES));
                out.flush();
            }).isInstanceOf(NonWritableChannelException.class);
        }
    }
}

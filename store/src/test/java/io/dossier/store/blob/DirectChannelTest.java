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
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aWriterBeyondThePoolsBuffersWaitsForOneInsteadOfTakingMoreDirectMemory() throws Exception {
        var pool = new DirectChannel.Pool(64 * 1024, 2);
        var first = pool.take(BLOCK);
        var second = pool.take(BLOCK);
        var third = new ArrayList<java.nio.ByteBuffer>();
        var waiting = Thread.ofVirtual().start(() -> {
            try {
                third.add(pool.take(BLOCK));
            } catch (java.io.InterruptedIOException e) {
                throw new IllegalStateException(e);
            }
        });
        while (waiting.getState() != Thread.State.WAITING) {
            Thread.sleep(10);   // the third writer gets no buffer while both are in use
        }
        assertThat(third).isEmpty();

        pool.give(first);
        waiting.join();

        assertThat(third.getFirst()).isSameAs(first);   // the same buffer again, not a new one
        assertThat(third.getFirst().isDirect()).isTrue();
        assertThat(third.getFirst().capacity()).isEqualTo(64 * 1024);
        assertThat(third.getFirst().alignmentOffset(0, BLOCK)).isZero();
        pool.give(second);
        pool.give(third.getFirst());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aWriterThatNeedsTwoBuffersWaitsUntilBothAreFree() throws Exception {
        var pool = new DirectChannel.Pool(64 * 1024, 3);
        var first = pool.take(BLOCK, 2);
        var second = new ArrayList<java.nio.ByteBuffer[]>();
        var waiting = Thread.ofVirtual().start(() -> {
            try {
                second.add(pool.take(BLOCK, 2));
            } catch (java.io.InterruptedIOException e) {
                throw new IllegalStateException(e);
            }
        });
        while (waiting.getState() != Thread.State.WAITING) {
            Thread.sleep(10);   // one buffer is free: not enough
        }
        assertThat(second).isEmpty();

        pool.give(first[0]);
        pool.give(first[1]);
        waiting.join();

        assertThat(second.getFirst()).hasSize(2).doesNotContainNull();
        assertThat(second.getFirst()[0]).isNotSameAs(second.getFirst()[1]);
        pool.give(second.getFirst()[0]);
        pool.give(second.getFirst()[1]);
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
        try (file; var out = DirectChannel.large(file, BLOCK)) {
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
        try (var file = FileChannel.open(path, StandardOpenOption.READ); var out = DirectChannel.large(file, BLOCK)) {
            var full = ByteBuffer.allocate(DirectChannel.LARGE_BYTES);
            out.write(full);   // the first buffer's write starts, and fails, behind this one

            assertThatThrownBy(() -> {
                out.write(ByteBuffer.allocate(DirectChannel.LARGE_BYTES));
                out.flush();
            }).isInstanceOf(NonWritableChannelException.class);
        }
    }
}

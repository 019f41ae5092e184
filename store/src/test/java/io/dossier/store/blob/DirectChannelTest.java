package io.dossier.store.blob;

import com.sun.nio.file.ExtendedOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DirectChannelTest {

    private static final int BLOCK = 4096;

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

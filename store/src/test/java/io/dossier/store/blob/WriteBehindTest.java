package io.dossier.store.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The writing of a big blob behind its reading ({@link WriteBehind}): order, and failures on either side. */
class WriteBehindTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void writesEveryByteInTheOrderReadAndHashesThem() throws Exception {
        var content = new byte[9 * MIB + 12_345];
        new Random(7).nextBytes(content);
        var copy = new HashingCopy(content.length);
        var written = new Sink(Long.MAX_VALUE);
        var flushes = new java.util.concurrent.atomic.AtomicInteger();

        WriteBehind.copy(copy, new Trickle(content), written, 0, flushes::incrementAndGet);

        assertThat(written.bytes.toByteArray()).isEqualTo(content);
        assertThat(copy.result("x").sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        assertThat(copy.result("x").size()).isEqualTo(content.length);
        assertThat(flushes.get()).as("flushes of the first 8 MiB while the rest was written").isEqualTo(1);
    }

    @Test
    void aFailedFlushFailsTheCopy() {
        assertThatThrownBy(() -> WriteBehind.copy(new HashingCopy(20 * MIB), new ByteArrayInputStream(new byte[20 * MIB]),
                new Sink(Long.MAX_VALUE), 0, () -> {
                    throw new IOException("input/output error");
                })).isInstanceOf(IOException.class).hasMessage("input/output error");
    }

    @Test
    void aFailedWriteIsThrownAndStopsTheReading() {
        var endless = new Endless();
        var disk = new Sink(3 * MIB);

        assertThatThrownBy(() -> WriteBehind.copy(new HashingCopy(Long.MAX_VALUE), endless, disk, 0, () -> { }))
                .isInstanceOf(IOException.class).hasMessage("no space left on device");
        assertThat(endless.read).as("bytes read").isLessThanOrEqualTo(3L * MIB + (WriteBehind.BUFFERS + 2L) * WriteBehind.BUFFER_BYTES);
    }

    @Test
    void aFailedReadIsThrownOnceWhatWasReadBeforeIsWritten() {
        var content = new byte[5 * MIB];
        var disk = new Sink(Long.MAX_VALUE);
        InputStream broken = new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (pos >= 2 * MIB) {
                    throw new IllegalStateException("connection reset");
                }
                return super.read(b, off, Math.min(len, 2 * MIB - pos));
            }
        };

        assertThatThrownBy(() -> WriteBehind.copy(new HashingCopy(Long.MAX_VALUE), broken, disk, 0, () -> { })).hasMessage("connection reset");
        assertThat(disk.bytes.size()).isEqualTo(2 * MIB);
    }

    @Test
    void contentOverTheLimitIsRefusedWhileWritingBehind() {
        var endless = new Endless();

        assertThatThrownBy(() -> WriteBehind.copy(new HashingCopy(4 * MIB), endless, new Sink(Long.MAX_VALUE), 0, () -> { }))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.TOO_LARGE));
        assertThat(endless.read).isEqualTo(4L * MIB + 1);
    }

    /** A channel that keeps what it is given and fails once it holds {@code capacity} bytes. */
    private static final class Sink implements WritableByteChannel {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long capacity;

        Sink(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (bytes.size() >= capacity) {
                throw new IOException("no space left on device");
            }
            int n = Math.min(src.remaining(), 10_000);   // short writes, as a channel may do
            var chunk = new byte[n];
            src.get(chunk);
            bytes.write(chunk);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Uneven bits of the content, as a network stream gives them. */
    private static final class Trickle extends ByteArrayInputStream {
        private final Random random = new Random(11);

        Trickle(byte[] content) {
            super(content);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(70_000)));
        }
    }

    /** Zeros without end, counted. */
    private static final class Endless extends InputStream {
        volatile long read;

        @Override
        public int read() {
            read++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            read += len;
            return len;
        }
    }
}

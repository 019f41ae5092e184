package io.dossier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dossier.core.Failure;
import io.dossier.core.content.BlobStore;
import io.dossier.core.content.ByteRange;
import io.dossier.it.support.StorageSetup;
import io.dossier.it.support.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The blob store the server was configured with (folder or S3), under load and under failure. */
class BlobStorageIT {

    TestServer own;

    @AfterEach
    void close() {
        if (own != null) {
            own.close();
        }
    }

    static byte[] random(int size, long seed) {
        var bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static byte[] read(BlobStore blobs, String id, ByteRange.Resolved range) throws IOException {
        try (var in = blobs.read(id, range)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aHundredConcurrentWritesAllLandIntact() throws Exception {
        var blobs = TestServer.shared().server().dossier().blobs();
        var pool = Executors.newFixedThreadPool(16);
        try {
            var tasks = new ArrayList<Callable<Void>>();
            for (int i = 0; i < 100; i++) {
                var content = random(32 * 1024 + i * 1237, i);
                tasks.add(() -> {
                    var stored = blobs.write(new ByteArrayInputStream(content), 10_000_000);
                    assertThat(stored.size()).isEqualTo(content.length);
                    assertThat(stored.sha256()).isEqualTo(sha256(content));
                    assertThat(read(blobs, stored.id(), ByteRange.Resolved.whole(stored.size()))).isEqualTo(content);
                    return null;
                });
            }
            for (var result : pool.invokeAll(tasks)) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rangeReadsAtTheEdges() throws Exception {
        var blobs = TestServer.shared().server().dossier().blobs();
        var content = random(1000, 7);
        var id = blobs.write(new ByteArrayInputStream(content), 10_000).id();
        var cases = new Object[][] {
                {new ByteRange.FromTo(0, 0), 0, 1},
                {new ByteRange.FromTo(999, 999), 999, 1},
                {new ByteRange.FromTo(0, 999), 0, 1000},
                {new ByteRange.FromTo(990, 5000), 990, 10},
                {new ByteRange.From(999), 999, 1},
                {new ByteRange.From(0), 0, 1000},
                {new ByteRange.Suffix(1), 999, 1},
                {new ByteRange.Suffix(5000), 0, 1000},
        };
        for (var c : cases) {
            var resolved = ByteRange.resolve((ByteRange) c[0], content.length).orElseThrow();
            var expected = java.util.Arrays.copyOfRange(content, (int) c[1], (int) c[1] + (int) c[2]);
            assertThat(read(blobs, id, resolved)).as(c[0].toString()).isEqualTo(expected);
        }
        assertThat(ByteRange.resolve(new ByteRange.FromTo(1000, 1001), 1000)).isEmpty();
        assertThat(ByteRange.resolve(new ByteRange.From(1000), 1000)).isEmpty();
        assertThat(ByteRange.resolve(new ByteRange.Suffix(0), 1000)).isEmpty();
        assertThatThrownBy(() -> read(blobs, "0".repeat(32), ByteRange.Resolved.whole(1)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_FOUND));
    }

    @Test
    void aWriteCutOffMidStreamLeavesNothingBehindAfterARestart() throws Exception {
        own = TestServer.start();
        var blobs = own.server().dossier().blobs();
        var before = visibleBlobs();
        var cutOff = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ >= 10 * 1024 * 1024) {
                    throw new IOException("connection reset by peer");
                }
                return sent & 0xff;
            }
        };
        assertThatThrownBy(() -> blobs.write(cutOff, 100_000_000)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> blobs.write(new ByteArrayInputStream(random(2_000_000, 1)), 1_000_000))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.TOO_LARGE));
        if (own.storage().setupKind() == StorageSetup.Kind.EMBEDDED) {
            // a write cut off by a crash (no chance to clean up) leaves its temp file; the next start sweeps it
            Files.writeString(own.storage().folder().resolve("blobs").resolve("tmp").resolve("crashed.part"), "half a blob");
        }

        own.restart();

        assertThat(visibleBlobs()).isEqualTo(before);
        if (own.storage().setupKind() == StorageSetup.Kind.EMBEDDED) {
            try (var temp = Files.list(own.storage().folder().resolve("blobs").resolve("tmp"))) {
                assertThat(temp).isEmpty();
            }
        } else {
            var s3 = own.storage().s3Server().orElseThrow().client();
            var uploads = s3.listMultipartUploads(b -> b.bucket(own.storage().bucket().orElseThrow()));
            assertThat(uploads.uploads()).isEmpty();
        }
    }

    private long visibleBlobs() throws IOException {
        if (own.storage().setupKind() == StorageSetup.Kind.EMBEDDED) {
            var root = own.storage().folder().resolve("blobs").resolve("blobs");
            if (!Files.exists(root)) {
                return 0;
            }
            try (var files = Files.walk(root)) {
                return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".sums")).count();
            }
        }
        var s3 = own.storage().s3Server().orElseThrow().client();
        return s3.listObjectsV2(b -> b.bucket(own.storage().bucket().orElseThrow())).contents().stream()
                .filter(o -> !o.key().endsWith(".sums")).count();   // a blob's chunk sums are not a blob
    }
}
